using System.Collections.Generic;
using MgLru.Engine.Cgroup;
using MgLru.Engine.Memory;
using MgLru.Engine.Mm;
using MgLru.Engine.Scenario;

namespace MgLru.Engine.Simulation;

/// <summary>
/// The simulated machine: the nodes and their frames, the page tables, swap, memcgs and the clock.
/// Mechanisms (reclaim, aging, faults) operate on it; it holds no policy.
/// </summary>
internal sealed class Machine
{
    public Machine(RunOptions options, FrameTable frames, PageTables pageTables, PageCache pageCache, SwapDevice? swap, NumaNode[] nodes)
    {
        PageCache = pageCache;
        Nodes = nodes;
        Distance = Tiering.MemoryTiers.Distances(nodes.Length, options.NodeDistances);
        Tiering.MemoryTiers.Establish(nodes, Distance);
        Random = new Workloads.Xoshiro256StarStar(options.Seed ^ 0x6D656D6367UL);
        Options = options;
        Rules = Reclaim.KernelRuleSet.For(options.Rules);
        Costs = options.Costs;
        Frames = frames;
        PageTables = pageTables;
        Swap = swap;
    }

    public RunOptions Options { get; }
    /// <summary>The kernel's mechanisms where versions differ (Options.Rules as switches).</summary>
    public Reclaim.KernelRuleSet Rules { get; }
    public CostModel Costs { get; }
    public FrameTable Frames { get; }
    public PageTables PageTables { get; }
    public PageCache PageCache { get; }
    public SwapDevice? Swap { get; }
    public List<MemCgroup> Memcgs { get; } = new();
    public List<MmStruct> Mms { get; } = new();
    /// <summary>The NUMA nodes, by id; their frames are contiguous ranges of <see cref="Frames"/>.</summary>
    public NumaNode[] Nodes { get; }

    /// <summary>The run's agings, in order (MGLRU only; the most recent AgingLog.Capacity): agings are rare, so a row each costs nothing on the access path.</summary>
    public Stats.AgingLog Agings { get; } = new();

    /// <summary>node_distance by node ids.</summary>
    public int[][] Distance { get; }

    /// <summary>The kernel's own random choices (memcg LRU bins), seeded from the run's seed.</summary>
    public Workloads.Xoshiro256StarStar Random;

    /// <summary>Simulated CPU time of kswapd (runs beside the tasks, not on their critical path), nanoseconds.</summary>
    public long KswapdNs;

    /// <summary>
    /// The free pages kswapd balances a node to (pgdat_balanced, should_abort_scan): the high watermark,
    /// or promo when NUMA balancing runs in memory-tiering mode, so that promotions find room.
    /// </summary>
    public long BalanceMark(int node)
        => Options.Promotion == PromotionMode.NumaBalancing ? Nodes[node].Watermarks.Promo : Nodes[node].Watermarks.High;

    /// <summary>
    /// Some node's kswapd was woken and has not run yet (see NodeReclaim.RunPendingKswapds): the allocator's
    /// quick test for the nodes' flags. It may stay true after a direct wake cleared a node's flag (the next
    /// RunPendingKswapds recomputes it), never false while one is set.
    /// </summary>
    public bool KswapdPending;

    /// <summary>Wake <paramref name="node"/>'s kswapd without running it inside the caller's reclaim.</summary>
    public void DeferKswapd(int node)
    {
        var n = Nodes[node];
        if (!n.KswapdPending) n.KswapdWokenAtNs = NowNs;
        n.KswapdPending = true;
        KswapdPending = true;
    }

    /// <summary>True while kswapd runs: its work is charged to <see cref="KswapdNs"/>.</summary>
    public bool InKswapd;

    /// <summary>The flusher threads (set once the policy exists).</summary>
    public Reclaim.Flusher? Flusher;

    /// <summary>Simulated time in nanoseconds since boot.</summary>
    public long NowNs;

    /// <summary>jiffies with HZ = 1000: one jiffy per simulated millisecond.</summary>
    public long Jiffies => NowNs / 1_000_000;

    /// <summary>Time spent in reclaim (direct and proactive), nanoseconds.</summary>
    public long ReclaimNs;

    /// <summary>Sentinel of the private list that eviction isolates onto.</summary>
    public int IsolatedList;
    /// <summary>Sentinel of the "clean folios to retry" list of evict_folios.</summary>
    public int RetryList;
    /// <summary>Sentinel of shrink_folio_list's ret_folios (survivors).</summary>
    public int KeepList;
    /// <summary>Sentinel of shrink_folio_list's demote_folios.</summary>
    public int DemoteList;

    public void Spend(long ns) => NowNs += ns;

    /// <summary>Reclaim CPU time (direct and kswapd) by category, nanoseconds.</summary>
    public readonly long[] ReclaimNsByCategory = new long[(int)CostCategory.Count];

    /// <summary>True while the promotion daemon runs (another process): its CPU goes to <see cref="DaemonNs"/>.</summary>
    public bool InDaemon;

    /// <summary>Simulated CPU time of the user-space promotion daemon, nanoseconds.</summary>
    public long DaemonNs;

    public void SpendReclaim(long ns, CostCategory category)
    {
        if (InDaemon)
        {
            DaemonNs += ns;
            return;
        }
        ReclaimNsByCategory[(int)category] += ns;
        if (InKswapd)
        {
            KswapdNs += ns;
            return;
        }
        NowNs += ns;
        ReclaimNs += ns;
    }
}
