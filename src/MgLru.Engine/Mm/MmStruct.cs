namespace MgLru.Engine.Mm;

/// <summary>A task's address space: one anonymous private VMA at [Base, Base + Pages) of the global page space.</summary>
internal sealed class MmStruct
{
    public MmStruct(int id, int basePage, int pages, int ownerMemcg)
    {
        Id = id;
        Base = basePage;
        Pages = pages;
        OwnerMemcg = ownerMemcg;
    }

    public int Id { get; }
    public int Base { get; }
    public int Pages { get; }

    /// <summary>mm->lru_gen.memcg: the memcg whose mm_list holds this mm.</summary>
    public int OwnerMemcg { get; set; }

    /// <summary>mm->lru_gen.bitmap: set on every context switch into the mm, cleared per node by walkers.</summary>
    public ulong NodeBitmap { get; set; } = ulong.MaxValue;

    /// <summary>Resident pages mapped by this mm (MM_ANONPAGES).</summary>
    public long Rss;

    /// <summary>Pages of this mm in swap (MM_SWAPENTS).</summary>
    public long SwapEntries;

    /// <summary>Name of the task that owns the mm (for OOM reports).</summary>
    public string TaskName { get; set; } = "";

    /// <summary>Set once the task exited or was OOM-killed; its pages are gone.</summary>
    public bool Exited { get; set; }
}
