namespace MgLru.Engine.Mm;

/// <summary>A task's address space: one anonymous private VMA at [Base, Base + Pages) of the global page space.</summary>
internal sealed class MmStruct
{
    public MmStruct(int id, int basePage, int pages, int ownerMemcg, Scenario.MemoryBackend backend = Scenario.MemoryBackend.Anon)
    {
        Backend = backend;
        Id = id;
        Base = basePage;
        Pages = pages;
        OwnerMemcg = ownerMemcg;
    }

    public int Id { get; }

    /// <summary>
    /// Anon: the range holds PTEs of an anonymous VMA. FileMmap: PTEs of a shared mapping of
    /// <see cref="File"/> (offset i at Base + i). FileRead: the task only reads and writes
    /// <see cref="File"/> through a descriptor; its range holds no PTEs.
    /// </summary>
    public Scenario.MemoryBackend Backend { get; }

    public bool IsFile => Backend != Scenario.MemoryBackend.Anon;

    /// <summary>The file a FileRead or FileMmap task uses (page-cache slots), null for anon.</summary>
    public SharedFile? File { get; set; }

    /// <summary>The VMA's flags.</summary>
    public Scenario.VmaFlags VmaFlags { get; set; }

    /// <summary>vma_has_recency: false for MADV_SEQUENTIAL / MADV_RANDOM mappings and NOREUSE files.</summary>
    public bool HasRecency => (VmaFlags & (Scenario.VmaFlags.SeqRead | Scenario.VmaFlags.RandRead | Scenario.VmaFlags.NoReuse)) == 0;

    /// <summary>should_skip_vma for flags alone: locked, no recency, or a PFN/IO mapping.</summary>
    public bool WalkSkips => !HasRecency || (VmaFlags & (Scenario.VmaFlags.Locked | Scenario.VmaFlags.PfnMap)) != 0;
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
