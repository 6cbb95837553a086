using MgLru.Engine.Cgroup;

namespace MgLru.Engine.Reclaim;

/// <summary>Who is reclaiming: selects the pgscan_*/pgsteal_* counters (reclaimer_offset).</summary>
internal enum Reclaimer
{
    Kswapd,
    Direct,
    Proactive,
}

/// <summary>struct scan_control: the parameters and progress of one reclaim call. Reused between calls.</summary>
internal sealed class ScanControl
{
    /// <param name="proactiveCounters">Whether proactive reclaim has its own counters (<see cref="KernelRuleSet.ProactiveReclaimCounters"/>).</param>
    public ScanControl(bool proactiveCounters) => _proactiveCounters = proactiveCounters;

    private readonly bool _proactiveCounters;

    public Reclaimer Reclaimer;
    /// <summary>The node being shrunk (pgdat).</summary>
    public int Node;
    /// <summary>The nodes this reclaim may shrink, in order (the zonelist's pgdats).</summary>
    public int[] Zonelist = AllNodesOfOne;
    private static readonly int[] AllNodesOfOne = { 0 };
    /// <summary>Target of cgroup (limit or proactive) reclaim; null for root reclaim.</summary>
    public MemCgroup? TargetMemcg;
    public long NrToReclaim;
    public long NrReclaimed;
    public long NrScanned;
    public int Priority;
    public bool MaySwap;
    /// <summary>sc->no_demotion: this reclaim may not migrate folios to a lower tier.</summary>
    public bool NoDemotion;
    /// <summary>Overrides the memcg's swappiness (memory.reclaim "swappiness=").</summary>
    public int? ProactiveSwappiness;
    /// <summary>nr.file_taken / nr.unqueued_dirty for the flusher wake-up rule.</summary>
    public long FileTaken;
    public long UnqueuedDirty;

    // Classic LRU (prepare_scan_control): which types may have their active lists deactivated, and
    // the cost snapshot get_scan_count balances anon against file with.
    public const int DeactivateAnon = 1, DeactivateFile = 2;
    public int MayDeactivate;
    public bool ForceDeactivate;
    public bool SkippedDeactivate;
    public bool CacheTrimMode;

    /// <summary>memory.low is honoured until a round reclaims nothing; then it is breached (memcg_low_reclaim).</summary>
    public bool MemcgLowReclaim;
    public bool MemcgLowSkipped;
    public long AnonCost;
    public long FileCost;

    public bool CgroupReclaim => TargetMemcg != null;

    /// <summary>
    /// PGSCAN_KSWAPD + reclaimer_offset(): the pgscan_* counter this reclaimer feeds. Before the proactive
    /// counters, memory.reclaim counts as direct reclaim.
    /// </summary>
    public Stats.VmEvent ScanEvent => Reclaimer switch
    {
        Reclaimer.Kswapd => Stats.VmEvent.PgScanKswapd,
        Reclaimer.Proactive when _proactiveCounters => Stats.VmEvent.PgScanProactive,
        _ => Stats.VmEvent.PgScanDirect,
    };

    /// <summary>PGSTEAL_KSWAPD + reclaimer_offset().</summary>
    public Stats.VmEvent StealEvent => Reclaimer switch
    {
        Reclaimer.Kswapd => Stats.VmEvent.PgStealKswapd,
        Reclaimer.Proactive when _proactiveCounters => Stats.VmEvent.PgStealProactive,
        _ => Stats.VmEvent.PgStealDirect,
    };

    /// <summary>PGDEMOTE_KSWAPD + reclaimer_offset().</summary>
    public Stats.VmEvent DemoteEvent => Reclaimer switch
    {
        Reclaimer.Kswapd => Stats.VmEvent.PgDemoteKswapd,
        Reclaimer.Proactive when _proactiveCounters => Stats.VmEvent.PgDemoteProactive,
        _ => Stats.VmEvent.PgDemoteDirect,
    };

    public void Reset(Reclaimer reclaimer, MemCgroup? target, long nrToReclaim, bool maySwap, int priority)
    {
        Reclaimer = reclaimer;
        TargetMemcg = target;
        NrToReclaim = nrToReclaim;
        NrReclaimed = 0;
        NrScanned = 0;
        Priority = priority;
        MaySwap = maySwap;
        NoDemotion = false;
        ProactiveSwappiness = null;
        FileTaken = 0;
        UnqueuedDirty = 0;
        MayDeactivate = 0;
        ForceDeactivate = false;
        SkippedDeactivate = false;
        CacheTrimMode = false;
        MemcgLowReclaim = false;
        MemcgLowSkipped = false;
    }
}
