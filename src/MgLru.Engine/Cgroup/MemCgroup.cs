using MgLru.Engine.Reclaim.Mglru;
using MgLru.Engine.Stats;

namespace MgLru.Engine.Cgroup;

/// <summary>Runtime state of one memcg (mm/memcontrol.c): its page counter, limit, event counters and lruvecs.</summary>
internal sealed class MemCgroup
{
    public MemCgroup(int index, int kernelId, string path, long maxPages, int? swappiness, Lruvec[] lruvecs, long minPages = 0, long lowPages = 0)
    {
        MinPages = minPages;
        LowPages = lowPages;
        Index = index;
        KernelId = kernelId;
        Path = path;
        MaxPages = maxPages;
        Swappiness = swappiness;
        Lruvecs = lruvecs;
    }

    /// <summary>Index into the simulation's memcg array (also stored in frame flags).</summary>
    public int Index { get; }

    /// <summary>mem_cgroup_id(): 1 for the root, then 2, 3, ... in creation order.</summary>
    public int KernelId { get; }

    /// <summary>cgroup path as debugfs prints it ("/" for the root).</summary>
    public string Path { get; }

    /// <summary>memory.max in pages.</summary>
    public long MaxPages { get; }

    /// <summary>memory.min in pages.</summary>
    public long MinPages { get; }

    /// <summary>memory.low in pages.</summary>
    public long LowPages { get; }

    /// <summary>
    /// mem_cgroup_below_min / below_low against a reclaim target: a memcg's own protection never applies
    /// when it is the target; below the root (global reclaim) the effective protection of a flat
    /// hierarchy is min(protection, usage).
    /// </summary>
    public bool BelowMin(MemCgroup? target) => target != this && MinPages > 0 && Usage <= MinPages;

    public bool BelowLow(MemCgroup? target) => target != this && LowPages > 0 && Usage <= LowPages;

    /// <summary>memory.events "low": times global reclaim had to reclaim below memory.low.</summary>
    public long LowEvents;

    /// <summary>memory.events "max": times a charge found the memcg at memory.max and reclaimed from it.</summary>
    public long MaxEvents;

    /// <summary>memory.swappiness, or null to use vm.swappiness.</summary>
    public int? Swappiness { get; }

    /// <summary>Pages charged at creation that reclaim cannot take (see MemCgroupSpec.OverheadBytes).</summary>
    public long OverheadPages;

    /// <summary>memory.current in pages (the page counter).</summary>
    public long Usage;

    /// <summary>Pages of this memcg in swap.</summary>
    public long SwapUsage;


    public readonly long[] Events = new long[(int)VmEvent.Count];

    /// <summary>lru_gen_mm_list: the mms whose owner is this memcg, in the order they joined.</summary>
    public readonly System.Collections.Generic.List<Mm.MmStruct> MmList = new();

    /// <summary>The memcg's MGLRU lruvec on each node, by node id.</summary>
    public Lruvec[] Lruvecs { get; }

    public void Count(VmEvent e, long n = 1) => Events[(int)e] += n;
}
