using System.Collections.Generic;

namespace MgLru.Engine.Mm;

/// <summary>A task's address space: [Base, Base + Pages) of the global page space, tiled by its VMAs.</summary>
internal sealed class MmStruct
{
    private Vma[] _vmas = System.Array.Empty<Vma>();

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

    /// <summary>The VMAs in address order; together they cover the mm's range.</summary>
    public IReadOnlyList<Vma> Vmas => _vmas;

    /// <summary>The first VMA (the only one for most tasks).</summary>
    public Vma Primary => _vmas[0];

    public bool SingleVma => _vmas.Length == 1;

    public void AddVma(Vma vma)
    {
        System.Array.Resize(ref _vmas, _vmas.Length + 1);
        _vmas[_vmas.Length - 1] = vma;
    }

    /// <summary>find_vma for a page of this mm (a few VMAs per mm: a linear scan beats a tree).</summary>
    public Vma FindVma(int vpage)
    {
        var vmas = _vmas;
        int i = 0;
        while (i < vmas.Length - 1 && vpage >= vmas[i].End) i++;
        return vmas[i];
    }

    /// <summary>The node the owning task runs on: its allocations start there (threads share it).</summary>
    public int HomeNode { get; set; }

    /// <summary>mm->lru_gen.memcg: the memcg whose mm_list holds this mm.</summary>
    public int OwnerMemcg { get; set; }

    /// <summary>mm->lru_gen.bitmap: set on every context switch into the mm, cleared per node by walkers.</summary>
    public ulong NodeBitmap { get; set; } = ulong.MaxValue;

    /// <summary>Resident pages mapped by this mm (MM_ANONPAGES + MM_FILEPAGES).</summary>
    public long Rss;

    /// <summary>Pages of this mm in swap (MM_SWAPENTS).</summary>
    public long SwapEntries;

    /// <summary>Name of the task that owns the mm (for OOM reports).</summary>
    public string TaskName { get; set; } = "";

    /// <summary>NUMA balancing: when the next scan of this mm is due (mm->numa_next_scan), and where it resumes.</summary>
    public long NextNumaScanNs;
    public int NumaScanOffset;

    /// <summary>Set once the task exited or was OOM-killed; its pages are gone.</summary>
    public bool Exited { get; set; }
}
