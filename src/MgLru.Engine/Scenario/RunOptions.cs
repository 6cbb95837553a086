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
        if (TimeSliceAccesses <= 0) throw new ArgumentOutOfRangeException(nameof(TimeSliceAccesses), TimeSliceAccesses, "The time slice must be positive.");
    }
}
