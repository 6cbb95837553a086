using MgLru.Engine.Reclaim.Mglru;
using MgLru.Engine.Stats;

namespace MgLru.Engine.Cgroup;

/// <summary>Runtime state of one memcg (mm/memcontrol.c): its page counter, limit, event counters and lruvec.</summary>
internal sealed class MemCgroup
{
    public MemCgroup(int index, int kernelId, string path, long maxPages, int? swappiness, Lruvec lruvec)
    {
        Index = index;
        KernelId = kernelId;
        Path = path;
        MaxPages = maxPages;
        Swappiness = swappiness;
        Lruvec = lruvec;
    }

    /// <summary>Index into the simulation's memcg array (also stored in frame flags).</summary>
    public int Index { get; }

    /// <summary>mem_cgroup_id(): 1 for the root, then 2, 3, ... in creation order.</summary>
    public int KernelId { get; }

    /// <summary>cgroup path as debugfs prints it ("/" for the root).</summary>
    public string Path { get; }

    /// <summary>memory.max in pages.</summary>
    public long MaxPages { get; }

    /// <summary>memory.swappiness, or null to use vm.swappiness.</summary>
    public int? Swappiness { get; }

    /// <summary>memory.current in pages (the page counter).</summary>
    public long Usage;

    /// <summary>Pages of this memcg in swap.</summary>
    public long SwapUsage;

    public readonly long[] Events = new long[(int)VmEvent.Count];

    /// <summary>The memcg's lruvec on node 0.</summary>
    public Lruvec Lruvec { get; }

    public void Count(VmEvent e, long n = 1) => Events[(int)e] += n;
}
