namespace MgLru.Engine.Stats;

/// <summary>
/// One NUMA node at the end of (or during) a run: its place in the memory tiers, what it holds, the
/// accesses it served and its migration counters (/sys/devices/system/node/nodeN/vmstat). Flat scalars.
/// </summary>
public sealed class NodeResult
{
    public int Node { get; init; }
    /// <summary>Dram, Pmem or Cxl.</summary>
    public string Kind { get; init; } = "";
    /// <summary>memory_tier id (abstract distance / 128): memory_tier4 for DRAM, memory_tier22 for dax/kmem.</summary>
    public int MemoryTier { get; init; }
    public int AbstractDistance { get; init; }
    public bool TopTier { get; init; }
    public bool MemoryOnly { get; init; }
    /// <summary>node_demotion[nid].preferred, comma-separated ("" for the last tier).</summary>
    public string DemotionTargets { get; init; } = "";
    public long CapacityPages { get; init; }
    /// <summary>Frames in use (charged pages of every memcg, including kernel overhead).</summary>
    public long ResidentPages { get; init; }
    public long AnonPages { get; init; }
    public long FilePages { get; init; }
    public long FreePages { get; init; }
    public long WatermarkMin { get; init; }
    public long WatermarkLow { get; init; }
    public long WatermarkHigh { get; init; }
    public long WatermarkPromo { get; init; }
    /// <summary>Accesses this node's memory served.</summary>
    public long Accesses { get; init; }
    /// <summary>Share of all accesses this node served.</summary>
    public double AccessShare { get; init; }
    public long PgDemoteKswapd { get; init; }
    public long PgDemoteDirect { get; init; }
    public long PgDemoteProactive { get; init; }
    /// <summary>Demotions from this node by LRU type (the simulator's split; lazy-free pages count as file).</summary>
    public long DemotedAnon { get; init; }
    public long DemotedFile { get; init; }
    public long PgPromoteSuccess { get; init; }
    public long PgPromoteCandidate { get; init; }
    public long NumaHintFaults { get; init; }
    /// <summary>Pages swapped out from this node.</summary>
    public long PswpOut { get; init; }
    /// <summary>Clean lazy-free pages reclaim discarded from this node.</summary>
    public long PgLazyFreed { get; init; }
}
