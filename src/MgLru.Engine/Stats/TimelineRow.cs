namespace MgLru.Engine.Stats;

/// <summary>
/// One node in one interval of simulated time: what it held at the end of the interval and what
/// happened during it (accesses served, demotions, promotions, swap-outs). Flat scalars.
/// </summary>
public sealed class TimelineRow
{
    /// <summary>0, 1, 2, ...; the last row of a run may cover a shorter interval.</summary>
    public int Interval { get; init; }
    /// <summary>Simulated time at the end of the interval.</summary>
    public double TimeMs { get; init; }
    public int Node { get; init; }
    public string Kind { get; init; } = "";
    public long ResidentPages { get; init; }
    public long AnonPages { get; init; }
    public long FilePages { get; init; }
    public long FreePages { get; init; }
    /// <summary>Accesses this node served during the interval.</summary>
    public long Accesses { get; init; }
    /// <summary>This node's share of the interval's accesses.</summary>
    public double AccessShare { get; init; }
    /// <summary>Pages demoted from this node during the interval (kswapd, direct and proactive).</summary>
    public long PgDemote { get; init; }
    /// <summary>Pages promoted to this node during the interval.</summary>
    public long PgPromoteSuccess { get; init; }
    public long NumaHintFaults { get; init; }
    public long PswpOut { get; init; }
    /// <summary>Pages this node's kswapd reclaimed during the interval (pgsteal_kswapd, every memcg).</summary>
    public long PgStealKswapd { get; init; }
    /// <summary>Pages direct reclaim took from this node during the interval (pgsteal_direct, every memcg): what kswapd did not keep up with, or memcg limit reclaim.</summary>
    public long PgStealDirect { get; init; }
    /// <summary>
    /// MGLRU: the node's pages (every memcg) in the youngest generation (max_seq) and the three older ones,
    /// at the end of the interval; 0 under the other policies.
    /// </summary>
    public long PagesMaxSeq { get; init; }
    public long PagesMaxSeqMinus1 { get; init; }
    public long PagesMaxSeqMinus2 { get; init; }
    public long PagesMaxSeqMinus3 { get; init; }
    /// <summary>Refaults (workingset_refault_anon + _file) of every memcg during the interval: the same on each node's row.</summary>
    public long Refaults { get; init; }
    /// <summary>Reclaim CPU (direct and kswapd, ms) of the machine during the interval: the same on each node's row.</summary>
    public double ReclaimCpuMs { get; init; }
}
