using MgLru.Engine.Reclaim.Mglru;
using MgLru.Engine.Scenario;
using Xunit;

namespace MgLru.Engine.Tests.Reclaim.Mglru;

public sealed class PidControllerTests
{
    [Fact]
    public void Worked_example_from_the_reference_protects_tiers_above_0()
    {
        // tier0 refaulted 100 / total 10,000 (gain 2); tier1 refaulted 80 / total 2,000 (gain 3):
        // 80 × 10,064 × 2 = 1,610,240 > 101 × 2,000 × 3 = 606,000 → not positive.
        var sp = new MglruPolicy.CtrlPos(100, 10_000, 2);
        var pv = new MglruPolicy.CtrlPos(80, 2_000, 3);
        Assert.False(MglruPolicy.PositiveCtrlErr(sp, pv));
        // With tier1 at 30 refaults (below MIN_LRU_BATCH) there is too little signal: positive.
        Assert.True(MglruPolicy.PositiveCtrlErr(sp, new MglruPolicy.CtrlPos(30, 2_000, 3)));
        // At equal ratios the margin (2:3) keeps it positive.
        Assert.True(MglruPolicy.PositiveCtrlErr(new MglruPolicy.CtrlPos(100, 1_000, 2), new MglruPolicy.CtrlPos(100, 1_000, 3)));
    }

    [Theory]
    [InlineData(KernelRules.V6_14)]
    [InlineData(KernelRules.V6_12)]
    [InlineData(KernelRules.V6_1)]
    public void Tier_index_is_3_while_no_tier_has_64_refaults(KernelRules rules)
    {
        var sim = Scenarios.Single(64, 32, new WorkloadSpec(WorkloadKind.Uniform), 0, rules);
        var l = sim.Machine.Memcgs[1].Lruvecs[0];
        for (int tier = 0; tier < 4; tier++)
        {
            l.Refaulted[tier] = 63;
            l.Evicted[tier] = 1;
        }
        Assert.Equal(3, sim.Policy.GetTierIdx(l, Lruvec.Anon));
    }

    [Fact]
    public void Tier_index_drops_to_0_for_the_worked_example()
    {
        var sim = Scenarios.Single(64, 32, new WorkloadSpec(WorkloadKind.Uniform), 0);
        var l = sim.Machine.Memcgs[1].Lruvecs[0];
        l.Refaulted[0] = 100; l.Evicted[0] = 10_000;
        l.Refaulted[1] = 80; l.Evicted[1] = 2_000;
        Assert.Equal(0, sim.Policy.GetTierIdx(l, Lruvec.Anon));
    }

    [Fact]
    public void Carry_over_halves_into_the_averages_and_clears_the_counters()
    {
        var sim = Scenarios.Single(64, 32, new WorkloadSpec(WorkloadKind.Uniform), 0);
        var l = sim.Machine.Memcgs[1].Lruvecs[0];
        l.AvgRefaulted[2] = 10; l.Refaulted[2] = 7;
        l.AvgTotal[2] = 100; l.Evicted[2] = 21; l.Protected[2] = 4;
        sim.Policy.ResetCtrlPos(l, Lruvec.Anon, carryover: true);
        Assert.Equal(8, l.AvgRefaulted[2]);   // (10 + 7) / 2
        Assert.Equal(62, l.AvgTotal[2]);      // (100 + 4 + 21) / 2
        Assert.Equal(0, l.Refaulted[2] + l.Evicted[2] + l.Protected[2]);
    }

    [Theory]
    [InlineData(0, Lruvec.File)]
    [InlineData(1, Lruvec.File)]
    [InlineData(200, Lruvec.Anon)]
    public void Extreme_swappiness_picks_the_type_outright(int swappiness, int expected)
    {
        var sim = Scenarios.Single(64, 32, new WorkloadSpec(WorkloadKind.Uniform), 0);
        Assert.Equal(expected, sim.Policy.GetTypeToScan(sim.Machine.Memcgs[1].Lruvecs[0], swappiness));
    }
}
