using System;

namespace MgLru.Engine.Scenario;

/// <summary>Run-wide switches: policy, kernel rule set, swap, seed. Immutable.</summary>
public sealed class RunOptions
{
    /// <summary>LRU_GEN_CORE: MGLRU on.</summary>
    public const int LruGenCore = 0x1;
    /// <summary>LRU_GEN_MM_WALK: aging walks page tables.</summary>
    public const int LruGenMmWalk = 0x2;
    /// <summary>LRU_GEN_NONLEAF_YOUNG: walkers test and clear non-leaf PMD accessed bits.</summary>
    public const int LruGenNonleafYoung = 0x4;

    public ReclaimPolicy Policy { get; init; } = ReclaimPolicy.Mglru;
    public KernelRules Rules { get; init; } = KernelRules.V6_14;

    /// <summary>/sys/kernel/mm/lru_gen/enabled bits (0x1 core, 0x2 walks, 0x4 non-leaf young).</summary>
    public int LruGenEnabled { get; init; } = LruGenCore;

    /// <summary>Memory of the (single) node in bytes; 0 sizes it to hold every memcg up to its limit, so only limits create pressure.</summary>
    public long MemoryBytes { get; init; }

    /// <summary>vm.swappiness (0..200).</summary>
    public int Swappiness { get; init; } = 60;

    /// <summary>Swap size in bytes; 0 = no swap (anon cannot be reclaimed).</summary>
    public long SwapBytes { get; init; }

    public SwapDeviceKind SwapDevice { get; init; } = SwapDeviceKind.Zram;

    /// <summary>/sys/kernel/mm/lru_gen/min_ttl_ms.</summary>
    public int MinTtlMs { get; init; }

    public ulong Seed { get; init; } = 1;

    /// <summary>
    /// Every page-table walk force-scans, ignoring the mm bitmap, the Bloom filters and non-leaf PMD
    /// accessed bits (as a debugfs '+' does by default): to measure what those filters save.
    /// </summary>
    public bool WalkForceScan { get; init; }

    /// <summary>
    /// Reclaimers that age a lruvec together, interleaved round-robin mm by mm (kswapd and direct reclaimers
    /// on other CPUs): each is handed unique mms and one of them ends the iteration. Results do not depend on it.
    /// </summary>
    public int Walkers { get; init; } = 1;

    /// <summary>Look-around on the eviction path (lru_gen_look_around).</summary>
    public bool LookAround { get; init; } = true;

    /// <summary>Run the §12 invariant checker after every reclaim step (slow; for tests).</summary>
    public bool CheckInvariants { get; init; }

    /// <summary>Accesses a task runs before the scheduler switches to the next one.</summary>
    public int TimeSliceAccesses { get; init; } = 4096;

    public CostModel Costs { get; init; } = CostModel.Default;

    /// <summary>The NUMA nodes; null: one DRAM node (node 0) of <see cref="MemoryBytes"/>.</summary>
    public System.Collections.Generic.IReadOnlyList<NodeSpec>? Nodes { get; init; }

    /// <summary>node_distance (the SLIT), by node id; null: 10 to itself, 20 to any other node.</summary>
    public int[][]? NodeDistances { get; init; }

    /// <summary>/sys/kernel/mm/numa/demotion_enabled: reclaim migrates folios to the next lower tier before swapping.</summary>
    public bool Demotion { get; init; }

    public DemotionMode DemotionMode { get; init; } = DemotionMode.Current;

    public PromotionMode Promotion { get; init; } = PromotionMode.None;

    /// <summary>kernel.numa_balancing_hot_threshold_ms: a hint fault sooner than this after the scan marks the page hot.</summary>
    public int HotThresholdMs { get; init; } = 1000;

    /// <summary>kernel.numa_balancing_promote_rate_limit_MBps (promotion), or the daemon's rate.</summary>
    public int PromoteRateLimitMBps { get; init; } = 65536;

    /// <summary>How often the NUMA scanner (task_numa_work) marks a task's slow-tier pages for hint faults, or the daemon runs, in simulated ms.</summary>
    public int PromotionScanPeriodMs { get; init; } = 1000;

    /// <summary>Record a timeline row per node every this many simulated ms (0: no timeline).</summary>
    public int TimelineIntervalMs { get; init; }

    /// <summary>Node ids in the order given, or the single default node.</summary>
    public int NodeCount => Nodes?.Count ?? 1;

    public bool PageTableWalks => Policy == ReclaimPolicy.Mglru && (LruGenEnabled & LruGenCore) != 0 && (LruGenEnabled & LruGenMmWalk) != 0;

    /// <summary>The enabled bits in effect: 0 for the classic LRU.</summary>
    public int EffectiveLruGenEnabled => Policy == ReclaimPolicy.Mglru ? LruGenEnabled : 0;

    public void Validate()
    {
        if (Swappiness is < 0 or > 200) throw new ArgumentOutOfRangeException(nameof(Swappiness), Swappiness, "Swappiness must be in 0..200.");
        if (MemoryBytes < 0 || (MemoryBytes > 0 && MemoryBytes < 1L << 20)) throw new ArgumentOutOfRangeException(nameof(MemoryBytes), MemoryBytes, "The node needs at least 1 MiB of memory (or 0 for automatic).");
        if (SwapBytes < 0) throw new ArgumentOutOfRangeException(nameof(SwapBytes), SwapBytes, "Swap size cannot be negative.");
        if ((LruGenEnabled & ~0x7) != 0) throw new ArgumentOutOfRangeException(nameof(LruGenEnabled), LruGenEnabled, "lru_gen enabled takes bits 0x1, 0x2 and 0x4 only.");
        if (Policy == ReclaimPolicy.Mglru && (LruGenEnabled & LruGenCore) == 0) throw new ArgumentOutOfRangeException(nameof(LruGenEnabled), LruGenEnabled, "The Mglru policy needs bit 0x1 (LRU_GEN_CORE); use -Policy Classic for 0x0.");
        if (MinTtlMs < 0) throw new ArgumentOutOfRangeException(nameof(MinTtlMs), MinTtlMs, "min_ttl_ms cannot be negative.");
        if (Walkers < 1 || Walkers > 64) throw new ArgumentOutOfRangeException(nameof(Walkers), Walkers, "Between 1 and 64 walkers.");
        if (Nodes != null)
        {
            if (Nodes.Count == 0 || Nodes.Count > NodeSpec.MaxNodes) throw new ArgumentOutOfRangeException(nameof(Nodes), Nodes.Count, $"Between 1 and {NodeSpec.MaxNodes} nodes.");
            if (MemoryBytes != 0) throw new ArgumentException("Give the memory either as nodes with their capacities or as MemoryBytes, not both.", nameof(MemoryBytes));
            bool cpu = false;
            for (int i = 0; i < Nodes.Count; i++)
            {
                if (Nodes[i] == null) throw new ArgumentNullException(nameof(Nodes), $"Node {i} of the list is null.");
                if (Nodes[i].Id != i) throw new ArgumentException($"Node ids must be 0, 1, ... in order; the node at position {i} has id {Nodes[i].Id}.", nameof(Nodes));
                cpu |= !Nodes[i].MemoryOnly;
            }
            if (!cpu) throw new ArgumentException("At least one node needs CPUs (a memory-only node cannot run tasks).", nameof(Nodes));
        }
        if (NodeDistances != null)
        {
            int n = NodeCount;
            if (NodeDistances.Length != n) throw new ArgumentException($"The distance matrix needs {n} rows, one per node; it has {NodeDistances.Length}.", nameof(NodeDistances));
            for (int i = 0; i < n; i++)
            {
                if (NodeDistances[i] == null || NodeDistances[i].Length != n) throw new ArgumentException($"Row {i} of the distance matrix needs {n} entries.", nameof(NodeDistances));
                if (NodeDistances[i][i] != 10) throw new ArgumentException($"A node's distance to itself is 10 (LOCAL_DISTANCE); row {i} says {NodeDistances[i][i]}.", nameof(NodeDistances));
                for (int j = 0; j < n; j++)
                    if (i != j && (NodeDistances[i][j] <= 10 || NodeDistances[i][j] > 254)) throw new ArgumentException($"Distance {i}→{j} is {NodeDistances[i][j]}; remote distances are 11 to 254.", nameof(NodeDistances));
            }
        }
        if (NodeCount > 1 && Policy == ReclaimPolicy.Lru) throw new ArgumentException("The exact LRU is a single-list reference without NUMA nodes; use Mglru or Classic with several nodes.", nameof(Policy));
        if (TimelineIntervalMs < 0) throw new ArgumentOutOfRangeException(nameof(TimelineIntervalMs), TimelineIntervalMs, "The timeline interval cannot be negative (0 turns it off).");
        if (HotThresholdMs <= 0) throw new ArgumentOutOfRangeException(nameof(HotThresholdMs), HotThresholdMs, "The hot threshold must be positive.");
        if (PromoteRateLimitMBps <= 0) throw new ArgumentOutOfRangeException(nameof(PromoteRateLimitMBps), PromoteRateLimitMBps, "The promotion rate limit must be positive.");
        if (PromotionScanPeriodMs <= 0) throw new ArgumentOutOfRangeException(nameof(PromotionScanPeriodMs), PromotionScanPeriodMs, "The scan period must be positive.");
        if (TimeSliceAccesses <= 0) throw new ArgumentOutOfRangeException(nameof(TimeSliceAccesses), TimeSliceAccesses, "The time slice must be positive.");
    }
}
