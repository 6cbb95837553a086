using MgLru.Engine.Scenario;

namespace MgLru.Engine.Reclaim;

/// <summary>
/// The kernel changes between 6.1.y, 6.12.y and 6.14+ that move reclaim's counters, one switch each
/// (linux-mglru-versions.md PART 2). Policies ask for the mechanism, never for a version number, so a
/// difference is implemented once and documented where the switch is read.
/// </summary>
internal sealed class KernelRuleSet
{
    private KernelRuleSet(KernelRules rules)
    {
        Rules = rules;
        bool v612 = rules >= KernelRules.V6_12;
        MemcgLru = v612;
        WorkingsetAccountingFix = v612;
        RecencySkipsRmap = v612;
        CostCountsIoAndRotations = v612;
        LookAroundClearsTriggerFirst = v612;
        DebugfsTyfa = v612;
        ReadaheadStopsAtChargeFailure = v612;
        MmapMissSparesWorkingset = v612;
        ReclaimReadsFlushedMemcgStats = v612;
        FolioActivateIsBatchedOffLru = v612 && rules < KernelRules.V6_14;
        ForceScanIgnoresNonleafYoung = v612;
        ZramSwapIsBlockIo = v612;
        ProactiveReclaimCounters = rules >= KernelRules.V6_14;
        MemoryStatKhugepagedAndTieringKeys = v612;
        AgingFeedback2024 = rules >= KernelRules.V6_14;
    }

    public static KernelRuleSet For(KernelRules rules) => new(rules);

    public KernelRules Rules { get; }

    /// <summary>
    /// v6.3 "multi-gen LRU: memcg LRU" series: reclaim walks the per-node memcg LRU (shrink_many); aging in
    /// get_nr_to_scan stops the lruvec for this priority (-1) instead of evicting on; memcg reclaim is never
    /// aborted early; kswapd no longer ages every memcg (age_lruvec); set_initial_priority.
    /// </summary>
    public bool MemcgLru { get; }

    /// <summary>
    /// v6.5 "Multi-gen LRU: fix workingset accounting": workingset_refault counts every refault into the
    /// same lruvec and workingset_activate the recent ones; 6.1 counts refault only when recent and
    /// activate at sort_folio's tier protection.
    /// </summary>
    public bool WorkingsetAccountingFix { get; }

    /// <summary>
    /// v6.3/6.4 "mm: support POSIX_FADV_NOREUSE" (vma_has_recency in invalid_folio_referenced_vma): rmap
    /// ignores SEQ/RAND_READ (and NOREUSE) mappings entirely. 6.1 clears their young PTEs, counts them
    /// unless VM_SEQ_READ, and only skips look-around; it has no NOREUSE.
    /// </summary>
    public bool RecencySkipsRmap { get; }

    /// <summary>Classic LRU (v6.2 "make rotations a secondary factor in balancing anon vs file"): lru_note_cost weighs I/O ×32 plus rotations; 6.1 counts pages written and refaults of workingset pages once each.</summary>
    public bool CostCountsIoAndRotations { get; }

    /// <summary>
    /// Look-around after 6.1: the triggering PTE is cleared first (6.12-rc6 "use
    /// {ptep,pmdp}_clear_young_notify()"), so an order-0 evicted folio is not marked referenced and
    /// folio_check_references keeps it instead of activating; without a walker every promotable neighbour
    /// goes through folio_activate (v6.3 "simplify lru_gen_look_around()"; 6.1 updates gens in place from
    /// PAGEVEC_SIZE neighbours on); anon neighbours only when the evicted folio is anon.
    /// </summary>
    public bool LookAroundClearsTriggerFirst { get; }

    /// <summary>
    /// v6.10 "mm/readahead: break read-ahead loop if filemap_add_folio return -ENOMEM": a readahead page
    /// the memcg cannot charge (__GFP_NORETRY) ends the window; 6.1 tries the following pages too.
    /// </summary>
    public bool ReadaheadStopsAtChargeFailure { get; }

    /// <summary>
    /// v6.10 "mm/filemap: don't decrease mmap_miss when folio has workingset flag": fault-around counts a
    /// cached page as a hit against the file's mmap_miss only without PG_workingset, so a mapping whose
    /// read-around batches refault (in a fault, so they get PG_workingset) stops reading around after
    /// MMAP_LOTSAMISS net misses. 6.1 counts every cached page of the window.
    /// </summary>
    public bool MmapMissSparesWorkingset { get; }

    /// <summary>
    /// Memcg rstat flushing reworked after 6.1 (Yosry Ahmed's 2023 series): reclaim flushes
    /// only when the periodic flusher (every FLUSH_TIME = 2 s) is a full cycle late
    /// (mem_cgroup_flush_stats_ratelimited), so prepare_scan_control's refault check, inactive_is_low,
    /// snapshot_refaults and workingset_test_recent read memcg stats as of the last periodic flush; so
    /// does count_shadow_nodes (every policy) for the LRU and slab pages that size the shadow-node budget,
    /// which reads 0 until a flush has seen the memcg filled. 6.1 flushed at every shrink_node once enough
    /// updates had piled up and summed exact per-CPU counters in count_shadow_nodes: in effect current values.
    /// </summary>
    public bool ReclaimReadsFlushedMemcgStats { get; }

    /// <summary>
    /// folio_activate after 6.1 clears PG_lru when it queues the folio on the per-CPU activate batch
    /// (PAGEVEC_SIZE 31 from v6.9 "mm: increase folio batch size"), which lru_activate drains when full
    /// or at the next lru_add_drain (each lru_gen_shrink_lruvec / lru_gen_shrink_node); a queued folio
    /// the eviction scan meets is sorted as ineligible (folio_inc_gen, pgrefill; the "!PG_lru" branch of
    /// sort_folio in 6.12.y). 6.1 moves the folio at once (its batch keeps PG_lru and is not modelled);
    /// so does the V6_14 rule set for now: later kernels batch too, but the ineligible branch was reverted
    /// (a queued folio is skipped by isolate_folio instead), which is not modelled.
    /// </summary>
    public bool FolioActivateIsBatchedOffLru { get; }

    /// <summary>
    /// v6.11 "mm: multi-gen LRU: ignore non-leaf pmd_young for force_scan=true" (June 2024): a forced walk (the first
    /// walk of an mm added since the last iteration, or the debugfs '+' command's force_scan) neither tests
    /// nor clears the non-leaf PMD accessed bit. 6.1 tests it on every walk, so a forced walk still skips
    /// the PTE tables under a PMD that is not young.
    /// </summary>
    public bool ForceScanIgnoresNonleafYoung { get; }

    /// <summary>
    /// v6.3 "remove ->rw_page" (Christoph Hellwig): zram's swap reads and writes are bios, counted in
    /// /proc/vmstat pgpgin/pgpgout (KiB) like any block device's. 6.1 reads and writes a zram slot through
    /// bdev_read_page/bdev_write_page (zram's rw_page), which bypasses submit_bio and its accounting; swap
    /// on a disk is counted in every version.
    /// </summary>
    public bool ZramSwapIsBlockIo { get; }

    /// <summary>
    /// pgscan_proactive / pgsteal_proactive / pgdemote_proactive (2025, in the kernels V6_14 stands for):
    /// memory.reclaim has its own reclaimer_offset. Before (6.1, 6.12) proactive reclaim counts as direct
    /// (pgscan_direct, pgsteal_direct, pgdemote_direct) and memory.stat has no proactive keys.
    /// </summary>
    public bool ProactiveReclaimCounters { get; }

    /// <summary>
    /// memory.stat format after 6.1: the khugepaged reclaim counters (pgscan/pgsteal/pgdemote_khugepaged,
    /// from v6.3's split of khugepaged out of direct reclaim) and the memcg tiering counters (pgdemote_*,
    /// pgpromote_success, numa_hint_faults) are printed; the 6.1 dump has none of them.
    /// </summary>
    public bool MemoryStatKhugepagedAndTieringKeys { get; }

    /// <summary>6.12-rc6: lru_gen_full prints the TYFA mm-walk columns and 'x' for not applicable (6.1: LOYNFA, blanks).</summary>
    public bool DebugfsTyfa { get; }

    /// <summary>
    /// v6.14 "mm/mglru: rework aging feedback / type selection / workingset protection": independent
    /// min_seqs, aging below four generations, referenced-then-workingset promotion, tiers by
    /// workingset, all-tier type selection with gains 2:3, recency within four generations of max_seq,
    /// lru_gen_folio_seq placement, lru_gen_set_refs in folio_check_references.
    /// </summary>
    public bool AgingFeedback2024 { get; }
}
