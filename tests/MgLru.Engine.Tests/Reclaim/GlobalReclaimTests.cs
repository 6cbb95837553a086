using MgLru.Engine.Scenario;
using MgLru.Engine.Stats;
using Xunit;

namespace MgLru.Engine.Tests.Reclaim;

/// <summary>Node (root) reclaim: watermarks, kswapd, direct reclaim, memory.min/low, min_ttl and the global OOM killer.</summary>
public sealed class GlobalReclaimTests
{
    private static Engine.Simulation.Simulation Run(ReclaimPolicy policy, KernelRules rules, long nodePages, long swapPages, int minTtl,
        params MemCgroupSpec[] cgs)
    {
        var sim = Engine.Simulation.Simulation.Create(new ScenarioSpec(cgs, new RunOptions
        {
            Policy = policy,
            Rules = rules,
            LruGenEnabled = policy == ReclaimPolicy.Mglru ? 7 : 0,
            MemoryBytes = nodePages * Scenarios.Page,
            SwapBytes = swapPages * Scenarios.Page,
            MinTtlMs = minTtl,
            CheckInvariants = true,
            TimeSliceAccesses = 128,
        }));
        sim.Run();
        return sim;
    }

    private static MemCgroupSpec Cg(string name, long rssPages, long accesses, long minPages = 0, long lowPages = 0)
        => new(name, tasks: new[] { new TaskSpec(name, new WorkloadSpec(WorkloadKind.Uniform), rssPages * Scenarios.Page, accesses) },
            minBytes: minPages * Scenarios.Page, lowBytes: lowPages * Scenarios.Page);

    [Theory]
    [InlineData(ReclaimPolicy.Mglru, KernelRules.V6_14)]
    [InlineData(ReclaimPolicy.Mglru, KernelRules.V6_1)]
    [InlineData(ReclaimPolicy.Classic, KernelRules.V6_14)]
    public void Kswapd_reclaims_when_the_node_runs_low(ReclaimPolicy policy, KernelRules rules)
    {
        // Two unlimited memcgs of 600 pages each on a 1024-page node: free memory falls below the low
        // watermark and kswapd reclaims towards high; nothing is OOM-killed.
        var sim = Run(policy, rules, 1024, 4096, 0, Cg("a", 600, 20_000), Cg("b", 600, 20_000));
        var rows = sim.Results();
        Assert.True(rows[0].PgScanKswapd + rows[1].PgScanKswapd > 0);
        Assert.True(rows[0].KswapdCpuMs > 0);
        Assert.Equal(0, rows[0].OomKill + rows[1].OomKill);
        Assert.True(rows[0].ResidentPages + rows[1].ResidentPages <= 1024);
    }

    [Theory]
    [InlineData(ReclaimPolicy.Mglru, KernelRules.V6_14)]
    [InlineData(ReclaimPolicy.Mglru, KernelRules.V6_1)]
    [InlineData(ReclaimPolicy.Classic, KernelRules.V6_14)]
    public void Memory_min_shields_a_memcg_from_global_reclaim(ReclaimPolicy policy, KernelRules rules)
    {
        // /a has memory.min above its size: global reclaim (kswapd and direct) must take from /b only.
        var sim = Run(policy, rules, 1024, 4096, 0, Cg("a", 400, 20_000, minPages: 512), Cg("b", 900, 20_000));
        var rows = sim.Results();
        Assert.Equal(0, rows[0].PgSteal);
        Assert.Equal(0, rows[0].PgMajFault);
        Assert.True(rows[1].PgSteal > 0);
    }

    [Fact]
    public void Classic_memory_low_holds_while_others_have_reclaimable_memory()
    {
        // shrink_node_memcgs skips a memcg below memory.low unless a whole round reclaimed nothing.
        var sim = Run(ReclaimPolicy.Classic, KernelRules.V6_14, 1024, 4096, 0, Cg("a", 400, 20_000, lowPages: 512), Cg("b", 900, 20_000));
        var rows = sim.Results();
        Assert.Equal(0, rows[0].PgSteal);
        Assert.Equal(0, rows[0].MemoryLowEvents);
        Assert.True(rows[1].PgSteal > 0);
    }

    [Fact]
    public void Mglru_memory_low_only_defers_reclaim_to_the_next_visit()
    {
        // shrink_one: below memory.low the first visit only moves the memcg to the tail segment; the next
        // visit reclaims it and counts a "low" event. Every page taken from /a is behind such an event,
        // and /a loses far less than /b.
        var sim = Run(ReclaimPolicy.Mglru, KernelRules.V6_14, 1024, 4096, 0, Cg("a", 400, 20_000, lowPages: 512), Cg("b", 900, 20_000));
        var rows = sim.Results();
        Assert.True(rows[0].PgSteal == 0 || rows[0].MemoryLowEvents > 0);
        Assert.True(rows[0].PgSteal < rows[1].PgSteal);
    }

    [Fact]
    public void Without_swap_an_anon_overcommit_ends_in_a_global_OOM_kill()
    {
        var sim = Run(ReclaimPolicy.Mglru, KernelRules.V6_14, 1024, 0, 0, Cg("a", 600, 5_000), Cg("b", 600, 5_000));
        var rows = sim.Results();
        Assert.Equal(1, rows[0].OomKill + rows[1].OomKill);
        Assert.Equal(0, rows[0].PgSteal + rows[1].PgSteal);
        // The victim's accesses that will never run count as done, whichever task was running at the
        // kill: progress ends at 100 % (2 × (600 populate + 5,000)).
        Assert.True(sim.Finished);
        Assert.Equal(11_200, sim.AccessesDone);
        Assert.True(rows[0].Accesses + rows[1].Accesses < 11_200);
    }

    [Fact]
    public void Min_ttl_OOM_kills_when_every_generation_is_younger_than_it()
    {
        // min_ttl_ms far above the run's length: kswapd finds no memcg whose oldest generation is old
        // enough and invokes the OOM killer instead of reclaiming (invariant 26).
        var sim = Run(ReclaimPolicy.Mglru, KernelRules.V6_14, 1024, 4096, 1_000_000, Cg("a", 600, 5_000), Cg("b", 600, 5_000));
        var rows = sim.Results();
        Assert.True(rows[0].OomKill + rows[1].OomKill >= 1);
        Assert.Equal(0, rows[0].PgScanKswapd + rows[1].PgScanKswapd);
    }
}
