namespace MgLru.Engine.Stats;

/// <summary>
/// One flat result row per memcg: configuration keys first, then the kernel's counters (memory.stat
/// names in PascalCase), then MGLRU state. Scalars only, so it exports cleanly to CSV and Excel.
/// </summary>
public sealed class ReclaimResult
{
    public string Memcg { get; init; } = "";
    public int MemcgId { get; init; }
    public string Policy { get; init; } = "";
    public string KernelRules { get; init; } = "";
    /// <summary>/sys/kernel/mm/lru_gen/enabled as the kernel prints it (0x0007).</summary>
    public string LruGenEnabled { get; init; } = "";
    public int Swappiness { get; init; }
    public ulong Seed { get; init; }
    /// <summary>NUMA nodes of the machine (1 unless the run gave several).</summary>
    public int Nodes { get; init; }
    /// <summary>Demotion on reclaim: "off", "Current" or "Rfc2018".</summary>
    public string Demotion { get; init; } = "";
    /// <summary>Promotion of hot slow-tier pages: None, NumaBalancing or Daemon.</summary>
    public string Promotion { get; init; } = "";
    public long LimitBytes { get; init; }
    public long Accesses { get; init; }
    public long PgFault { get; init; }
    public long PgMajFault { get; init; }
    public long PswpIn { get; init; }
    public long PswpOut { get; init; }
    public long PgScan { get; init; }
    public long PgScanDirect { get; init; }
    public long PgScanKswapd { get; init; }
    public long PgSteal { get; init; }
    public long PgStealDirect { get; init; }
    public long PgStealKswapd { get; init; }
    public long PgScanAnon { get; init; }
    public long PgScanFile { get; init; }
    public long PgStealAnon { get; init; }
    public long PgStealFile { get; init; }
    /// <summary>pgpgin: KiB read from block devices, page-cache reads and swap-ins (6.1 does not count zram swap-ins).</summary>
    public long PgPgIn { get; init; }
    /// <summary>pgpgout: KiB written to block devices, page-cache writeback and swap-outs (6.1 does not count zram swap-outs).</summary>
    public long PgPgOut { get; init; }
    /// <summary>pgrotated: written-back folios reclaim asked for, rotated to be reclaimed next.</summary>
    public long PgRotated { get; init; }
    public long PgRefill { get; init; }
    public long PgActivate { get; init; }
    public long PgDeactivate { get; init; }
    public long WorkingsetRefaultAnon { get; init; }
    public long WorkingsetRefaultFile { get; init; }
    public long WorkingsetActivateAnon { get; init; }
    public long WorkingsetActivateFile { get; init; }
    public long WorkingsetRestoreAnon { get; init; }
    public long WorkingsetRestoreFile { get; init; }
    /// <summary>memory.stat workingset_nodereclaim: page-cache xa_nodes of shadow entries freed by the shadow-node shrinker.</summary>
    public long WorkingsetNodeReclaim { get; init; }
    public long OomKill { get; init; }
    /// <summary>memory.stat pgdemote_kswapd / pgdemote_direct / pgdemote_proactive: pages reclaim migrated to a lower tier.</summary>
    public long PgDemoteKswapd { get; init; }
    public long PgDemoteDirect { get; init; }
    public long PgDemoteProactive { get; init; }
    /// <summary>Demotions of the memcg's pages by LRU type (the simulator's split of pgdemote_*; lazy-free pages count as file).</summary>
    public long DemotedAnon { get; init; }
    public long DemotedFile { get; init; }
    /// <summary>memory.stat pgpromote_success: slow-tier pages promoted to the top tier.</summary>
    public long PgPromoteSuccess { get; init; }
    /// <summary>numa_hint_faults taken by the memcg's pages.</summary>
    public long NumaHintFaults { get; init; }
    /// <summary>pglazyfreed: clean MADV_FREE pages reclaim discarded.</summary>
    public long PgLazyFreed { get; init; }
    /// <summary>Misses per access, first touches included (page faults, plus read()/write() calls that missed the page cache): a cache simulator's miss ratio.</summary>
    public double MissRatio { get; init; }
    /// <summary>Major faults per access.</summary>
    public double MajorFaultRatio { get; init; }
    public long MaxSeq { get; init; }
    public long MinSeqAnon { get; init; }
    public long MinSeqFile { get; init; }
    public long AgingRuns { get; init; }
    public long EvictionRuns { get; init; }
    /// <summary>memory.current at the end, in pages.</summary>
    public long ResidentPages { get; init; }
    public long SwapPages { get; init; }
    /// <summary>Simulated wall time of the whole run, milliseconds.</summary>
    public double SimulatedMs { get; init; }
    /// <summary>Simulated CPU time the tasks spent in direct reclaim (all memcgs), milliseconds.</summary>
    public double ReclaimCpuMs { get; init; }
    /// <summary>Simulated CPU time of kswapd (all memcgs), milliseconds.</summary>
    public double KswapdCpuMs { get; init; }
    /// <summary>CPU of the RFC's user-space promotion daemon (another process), ms.</summary>
    public double PromotionDaemonCpuMs { get; init; }
    /// <summary>memory.events low: global reclaim had to reclaim below memory.low.</summary>
    public long MemoryLowEvents { get; init; }
    /// <summary>memory.events "max": times a charge met memory.max and reclaimed (once per reclaim attempt).</summary>
    public long MemoryMaxEvents { get; init; }
    /// <summary>Accesses of this memcg's tasks per simulated second: the workload's throughput.</summary>
    public double OpsPerSecond { get; init; }

    // Page-table walks of this memcg's lruvec.
    public long WalkMms { get; init; }
    public long WalkMmsSkipped { get; init; }
    public long WalkPteTables { get; init; }
    public long WalkPtes { get; init; }
    public long WalkYoungPtes { get; init; }
    public long WalkPmdsSkippedNonleaf { get; init; }
    public long WalkPmdsSkippedBloom { get; init; }
    public long LookAroundPromotions { get; init; }
    /// <summary>Agings that fell back to rmap only because a walker could not be allocated.</summary>
    public long WalkerAllocFailures { get; init; }

    // Where reclaim CPU (direct and kswapd, whole machine) went, in percent: a kswapd-style profile.
    public double ProfileRmapPct { get; init; }
    public double ProfileWalkPct { get; init; }
    public double ProfileLookAroundPct { get; init; }
    public double ProfileScanPct { get; init; }
    public double ProfileSwapOutPct { get; init; }
    public double ProfileFreePct { get; init; }
    /// <summary>Share of reclaim CPU spent migrating pages to a lower tier (demotion).</summary>
    public double ProfileMigratePct { get; init; }
}
