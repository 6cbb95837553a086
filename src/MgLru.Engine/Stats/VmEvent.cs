namespace MgLru.Engine.Stats;

/// <summary>
/// Event counters kept per memcg, named as in cgroup-v2 memory.stat and /proc/vmstat
/// (see <see cref="VmEventNames"/>). Values are pages unless the name says otherwise.
/// </summary>
public enum VmEvent
{
    PgFault,
    PgMajFault,
    PswpIn,
    PswpOut,
    PgScanKswapd,
    PgScanDirect,
    PgScanProactive,
    PgStealKswapd,
    PgStealDirect,
    PgStealProactive,
    PgScanAnon,
    PgScanFile,
    PgStealAnon,
    PgStealFile,
    PgRefill,
    PgActivate,
    PgDeactivate,
    PgRotated,
    WorkingsetRefaultAnon,
    WorkingsetRefaultFile,
    WorkingsetActivateAnon,
    WorkingsetActivateFile,
    WorkingsetRestoreAnon,
    WorkingsetRestoreFile,
    OomKill,
    /// <summary>MGLRU: successful increments of max_seq.</summary>
    LruGenAging,
    /// <summary>MGLRU: evict_folios calls that isolated something.</summary>
    LruGenEviction,
    /// <summary>Simulated accesses (loads and stores) issued by the memcg's tasks.</summary>
    Accesses,
    /// <summary>pgpgin: KiB read from block devices: page-cache reads and swap-ins (not 6.1's zram, see KernelRuleSet.ZramSwapIsBlockIo).</summary>
    PgPgIn,
    /// <summary>pgpgout: KiB written to block devices: page-cache writeback and swap-outs (not 6.1's zram).</summary>
    PgPgOut,
    // Page-table-walk statistics of the simulator (not kernel counters; lru_gen_full shows TYFA).
    WalkMms,
    WalkMmsSkipped,
    WalkPtes,
    WalkYoungPtes,
    WalkPmdsSkippedNonleaf,
    WalkPmdsSkippedBloom,
    WalkPteTables,
    LookAroundPromotions,
    WalkerAllocFailures,
    /// <summary>read()/write() calls that missed the page cache (a fault-free miss; the simulator's, for MissRatio).</summary>
    PageCacheReadMisses,
    /// <summary>pgdemote_kswapd / pgdemote_direct / pgdemote_proactive: pages migrated to a lower tier by reclaim.</summary>
    PgDemoteKswapd,
    PgDemoteDirect,
    PgDemoteProactive,
    /// <summary>pgpromote_success: pages migrated from a slow tier to the top tier.</summary>
    PgPromoteSuccess,
    /// <summary>pgpromote_candidate: hot slow-tier pages considered for promotion (counted against the rate limit).</summary>
    PgPromoteCandidate,
    /// <summary>numa_hint_faults: faults on PTEs the NUMA scanner made inaccessible.</summary>
    NumaHintFaults,
    /// <summary>Pages lazily freed by MADV_FREE and later discarded by reclaim (pglazyfreed).</summary>
    PgLazyFreed,
    /// <summary>Demoted pages by LRU type (the simulator's split of pgdemote_*; lazy-free pages count as file).</summary>
    PgDemoteAnon,
    PgDemoteFile,
    /// <summary>workingset_nodereclaim: page-cache xa_nodes of shadow entries freed by the shadow-node shrinker.</summary>
    WorkingsetNodeReclaim,
    Count,
}

/// <summary>Kernel key for each <see cref="VmEvent"/>.</summary>
public static class VmEventNames
{
    private static readonly string[] Names =
    {
        "pgfault", "pgmajfault", "pswpin", "pswpout",
        "pgscan_kswapd", "pgscan_direct", "pgscan_proactive",
        "pgsteal_kswapd", "pgsteal_direct", "pgsteal_proactive",
        "pgscan_anon", "pgscan_file", "pgsteal_anon", "pgsteal_file",
        "pgrefill", "pgactivate", "pgdeactivate", "pgrotated",
        "workingset_refault_anon", "workingset_refault_file",
        "workingset_activate_anon", "workingset_activate_file",
        "workingset_restore_anon", "workingset_restore_file",
        "oom_kill", "lru_gen_aging", "lru_gen_eviction", "accesses", "pgpgin", "pgpgout",
        "mglru_walk_mms", "mglru_walk_mms_skipped", "mglru_walk_ptes", "mglru_walk_young_ptes",
        "mglru_walk_pmds_skipped_nonleaf", "mglru_walk_pmds_skipped_bloom", "mglru_walk_pte_tables", "mglru_look_around_promotions", "mglru_walker_alloc_failures",
        "pagecache_read_misses",
        "pgdemote_kswapd", "pgdemote_direct", "pgdemote_proactive", "pgpromote_success", "pgpromote_candidate", "numa_hint_faults",
        "pglazyfreed", "pgdemote_anon", "pgdemote_file", "workingset_nodereclaim",
    };

    public static string Of(VmEvent e) => Names[(int)e];
}

/// <summary>The memory.stat totals the kernel sums over the reclaimers (memcg_vm_event_stat's pgscan and pgsteal).</summary>
internal static class VmEventSums
{
    public static long PgScan(long[] events) => events[(int)VmEvent.PgScanKswapd] + events[(int)VmEvent.PgScanDirect] + events[(int)VmEvent.PgScanProactive];

    public static long PgSteal(long[] events) => events[(int)VmEvent.PgStealKswapd] + events[(int)VmEvent.PgStealDirect] + events[(int)VmEvent.PgStealProactive];
}
