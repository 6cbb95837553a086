using MgLru.Engine.Memory;
using MgLru.Engine.Scenario;
using Xunit;

namespace MgLru.Engine.Tests.Reclaim.Mglru;

/// <summary>fd-access tiers (folio_mark_accessed → lru_gen_inc_refs / folio_inc_refs) per rule set.</summary>
public sealed class TierTests
{
    [Theory]
    // ≥6.14: N = 1..4 → refs 1..4 → tiers 0,1,2,2; N ≥ 5 → PG_workingset → tier 3.
    [InlineData(KernelRules.V6_14, 0, 0)]
    [InlineData(KernelRules.V6_14, 1, 0)]
    [InlineData(KernelRules.V6_14, 2, 1)]
    [InlineData(KernelRules.V6_14, 3, 2)]
    [InlineData(KernelRules.V6_14, 4, 2)]
    [InlineData(KernelRules.V6_14, 5, 3)]
    [InlineData(KernelRules.V6_14, 9, 3)]
    // 6.1: referenced, then workingset, then the counter: tiers 0, 1, 2, 2, 3.
    [InlineData(KernelRules.V6_1, 1, 0)]
    [InlineData(KernelRules.V6_1, 2, 1)]
    [InlineData(KernelRules.V6_1, 3, 2)]
    [InlineData(KernelRules.V6_1, 4, 2)]
    [InlineData(KernelRules.V6_1, 5, 3)]
    [InlineData(KernelRules.V6_1, 9, 3)]
    public void N_fd_accesses_give_the_kernels_tier(KernelRules rules, int accesses, int tier)
    {
        var sim = Scenarios.Single(64, 1, new WorkloadSpec(WorkloadKind.Sequential), 0, rules);
        sim.Run();
        int frame = 0;
        uint before = sim.Machine.Frames.Flags[frame];
        Assert.NotEqual(0u, before & PageFlags.InUse);
        // An anon fault leaves no refs; clear PG_referenced as a fresh read would find it.
        sim.Machine.Frames.Flags[frame] &= ~(PageFlags.Referenced | PageFlags.Workingset | PageFlags.RefsMask);
        int next = sim.Machine.Frames.Next[frame];
        for (int i = 0; i < accesses; i++) sim.Policy.IncRefs(frame);
        Assert.Equal(tier, sim.Policy.FolioTier(sim.Machine.Frames.Flags[frame]));
        // fd accesses never move a folio between lists (invariant 17).
        Assert.Equal(next, sim.Machine.Frames.Next[frame]);
        Assert.Equal(before & PageFlags.GenMask, sim.Machine.Frames.Flags[frame] & PageFlags.GenMask);
    }

    [Theory]
    [InlineData(0, 0)]
    [InlineData(1, 0)]
    [InlineData(2, 1)]
    [InlineData(3, 2)]
    [InlineData(4, 2)]
    [InlineData(5, 3)]
    [InlineData(8, 3)]
    [InlineData(9, 4)]
    public void Order_base_2_is_ceil_log2(int n, int expected)
        => Assert.Equal(expected, MgLru.Engine.Reclaim.Mglru.MglruPolicy.OrderBase2(n));
}
