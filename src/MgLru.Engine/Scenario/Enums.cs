namespace MgLru.Engine.Scenario;

/// <summary>Which reclaim policy manages the LRU lists.</summary>
public enum ReclaimPolicy
{
    /// <summary>Multi-Gen LRU (mm/vmscan.c lru_gen_*).</summary>
    Mglru,
    /// <summary>The classic active/inactive lists per type with refault-distance activation (lru_gen enabled 0x0000).</summary>
    Classic,
    /// <summary>One exact LRU list per memcg, every access moves the page to the head: a reference for cache simulators.</summary>
    Lru,
}

/// <summary>Which kernel's MGLRU rules the engine follows where versions differ.</summary>
public enum KernelRules
{
    /// <summary>
    /// 6.1.y from 6.1.69 (the "fix underprotected page cache" backport): first-young promotion,
    /// order_base_2(refs+1) tiers, gains 1:2, no memcg LRU, aging inside direct-reclaim eviction,
    /// workingset_refault only for recent refaults, workingset_activate at tier protection.
    /// </summary>
    V6_1,
    /// <summary>
    /// 6.12.y (v6.12-rc6 through 6.13): 6.1's aging, tiers and PID controller, with the memcg LRU,
    /// the v6.5 workingset accounting, recency-less mappings ignored by rmap, and the 6.12-rc6 look-around.
    /// </summary>
    V6_12,
    /// <summary>6.14 and later: referenced-then-workingset promotion, workingset = tier 3, gains 2:3.</summary>
    V6_14,
}

/// <summary>Backing store for swapped-out anonymous pages.</summary>
public enum SwapDeviceKind
{
    /// <summary>Compressed RAM (zram): cheap I/O, CPU spent compressing.</summary>
    Zram,
    /// <summary>A solid-state disk: slower faults, little CPU.</summary>
    Ssd,
}

/// <summary>Access pattern of a synthetic workload.</summary>
public enum WorkloadKind
{
    /// <summary>Loop over the footprint in order.</summary>
    Sequential,
    /// <summary>Every page equally likely.</summary>
    Uniform,
    /// <summary>Zipf-distributed page ranks (rank r hits page perm[r]).</summary>
    Zipf,
    /// <summary>A recorded sequence of page indexes, replayed once in order.</summary>
    Trace,
    /// <summary>Normally distributed ranks (mean and standard deviation as fractions of the footprint), scattered over the pages.</summary>
    Gaussian,
    /// <summary>A hot set (HotFraction of the pages, scattered) that takes HotProbability of the accesses; the rest go uniformly to the cold pages.</summary>
    HotCold,
    /// <summary>One streaming pass: every page once, in order (a backup, a scan); it must not flush the working set.</summary>
    Scan,
    /// <summary>A list of workloads run one after another, for set numbers of accesses, and round again: hot sets that move.</summary>
    Phases,
}

/// <summary>What a task's memory is and how its accesses reach it.</summary>
public enum MemoryBackend
{
    /// <summary>Private anonymous memory, touched through page tables (stores).</summary>
    Anon,
    /// <summary>A file read through a file descriptor (read/pread): the page cache, with fd-access tiers, no mapping.</summary>
    FileRead,
    /// <summary>A file mapped shared and read through page tables (loads): page-cache pages with PTEs.</summary>
    FileMmap,
    /// <summary>
    /// A file mapped private (MAP_PRIVATE, as program text and data): loads map the page-cache page
    /// read-only; the first store to a page copies it into a private anonymous page (copy-on-write).
    /// </summary>
    FilePrivate,
}

/// <summary>Flags of a task's VMA (include/linux/mm.h) that change how reclaim treats its pages.</summary>
[System.Flags]
public enum VmaFlags
{
    None = 0,
    /// <summary>VM_LOCKED (mlock): pages are unevictable, walks skip the VMA.</summary>
    Locked = 1,
    /// <summary>
    /// VM_SEQ_READ (MADV_SEQUENTIAL, with POSIX_FADV_SEQUENTIAL on the file as the kernel lab does): no
    /// recency (faults are not active, references and walks ignore it), and file pages are read ahead in
    /// windows of up to 64 pages, the next one asynchronously, so a sequential stream misses once.
    /// </summary>
    SeqRead = 2,
    /// <summary>VM_RAND_READ (MADV_RANDOM / POSIX_FADV_RANDOM): no recency, as SeqRead; a miss reads just its page.</summary>
    RandRead = 4,
    /// <summary>FMODE_NOREUSE (POSIX_FADV_NOREUSE on the file): no recency.</summary>
    NoReuse = 8,
    /// <summary>VM_PFNMAP|VM_IO (device memory): no struct pages on any LRU; walks skip it.</summary>
    PfnMap = 16,
    /// <summary>
    /// MADV_FREE once the populate pass is done (an allocator returning freed buffers): clean pages become
    /// lazy-free, on the file LRU, and reclaim discards them without swap; a store re-dirties a page and
    /// makes it normal anon again. Anonymous mappings only.
    /// </summary>
    LazyFree = 32,
}

/// <summary>How reclaim demotes: the current kernel's rules, or the 2018 PMEM RFC's.</summary>
public enum DemotionMode
{
    /// <summary>demote_folio_list (5.15 and later): any folio reclaim chose, anon or file, goes to the next lower tier first.</summary>
    Current,
    /// <summary>The Dec-2018 RFC: only anonymous (swap-backed) pages on DRAM migrate to PMEM; clean lazy-free pages are freed; PMEM pages are swapped.</summary>
    Rfc2018,
}

/// <summary>How hot pages on slow tiers come back to the top tier.</summary>
public enum PromotionMode
{
    /// <summary>No promotion: demoted pages stay until reclaimed.</summary>
    None,
    /// <summary>kernel.numa_balancing = 2 (memory tiering): hint faults on slow-tier pages, hot threshold, rate limit.</summary>
    NumaBalancing,
    /// <summary>The 2018 RFC's user-space daemon: every interval, slow-tier pages found accessed are moved to DRAM, up to a rate.</summary>
    Daemon,
}
