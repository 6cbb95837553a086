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
    [InlineData(ReclaimPolicy.Mglru)]
    [InlineData(ReclaimPolicy.Classic)]
    public void Kswapd_is_one_thread_what_it_cannot_keep_up_with_is_reclaimed_directly(ReclaimPolicy policy)
    {
        // A memcg twice the node, uniform: about half the accesses fault and every faulted page must be
        // freed by someone. kswapd works on a clock of its own: it never uses more CPU than the run lasts,
        // and the slower its swap-out, the larger the share the faulting task reclaims itself. With reclaim
        // free of cost it is never busy: MGLRU's kswapd then always keeps up (the classic one still fails
        // some runs: on this short clock no stats flush shows it the refaults that would let it deactivate).
        ReclaimResult Run(CostModel costs)
        {
            var sim = Engine.Simulation.Simulation.Create(new ScenarioSpec(new[] { Cg("a", 4096, 60_000) }, new RunOptions
            {
                Policy = policy,
                LruGenEnabled = policy == ReclaimPolicy.Mglru ? 7 : 0,
                MemoryBytes = 2048 * Scenarios.Page,
                SwapBytes = 8192 * Scenarios.Page,
                Costs = costs,
                TimeSliceAccesses = 128,
            }));
            sim.Run();
            var row = sim.Results()[0];
            // Counted a second way, per node where each page was freed (the timeline's source).
            Assert.Equal(row.PgStealKswapd, sim.Machine.Nodes[0].Events[(int)VmEvent.PgStealKswapd]);
            Assert.Equal(row.PgStealDirect, sim.Machine.Nodes[0].Events[(int)VmEvent.PgStealDirect]);
            Assert.True(row.KswapdCpuMs <= row.SimulatedMs * 1.02, $"kswapd {row.KswapdCpuMs} ms in {row.SimulatedMs} ms");
            Assert.Equal(0, row.OomKill);
            return row;
        }
        double DirectShare(ReclaimResult r) => (double)r.PgStealDirect / (r.PgStealDirect + r.PgStealKswapd);

        var free = Run(new CostModel { ZramWriteNs = 0, ScanFolioNs = 0, RmapWalkNs = 0, PteVisitNs = 0, PmdVisitNs = 0, BloomTestNs = 0, FreePageNs = 0 });
        Assert.Equal(0, free.KswapdCpuMs);
        Assert.True(free.PgStealKswapd > 20_000, $"kswapd {free.PgStealKswapd}");
        if (policy == ReclaimPolicy.Mglru) Assert.Equal(0, free.PgScanDirect);

        var usual = Run(CostModel.Default);
        var slow = Run(new CostModel { ZramWriteNs = 20_000 });
        Assert.True(DirectShare(usual) > DirectShare(free) + 0.02, $"direct share {DirectShare(usual)} usually, {DirectShare(free)} with free reclaim");
        Assert.True(DirectShare(slow) > DirectShare(usual) + 0.1, $"direct share {DirectShare(slow)} with slow swap-out, {DirectShare(usual)} usually");
        Assert.True(slow.KswapdCpuMs > 0.25 * slow.SimulatedMs, $"kswapd {slow.KswapdCpuMs} ms in {slow.SimulatedMs} ms");
    }

    [Theory]
    [InlineData(ReclaimPolicy.Mglru, KernelRules.V6_1)]
    [InlineData(ReclaimPolicy.Mglru, KernelRules.V6_14)]
    [InlineData(ReclaimPolicy.Classic, KernelRules.V6_14)]
    public void A_successful_direct_reclaim_revives_a_kswapd_that_gave_up(ReclaimPolicy policy, KernelRules rules)
    {
        // kswapd stops being woken after MAX_RECLAIM_RETRIES runs that reclaimed nothing; shrink_node resets
        // the count whenever any reclaimer makes progress on the node, so the next wake runs it again.
        var sim = Engine.Simulation.Simulation.Create(new ScenarioSpec(new[] { Cg("a", 2048, 60_000) }, new RunOptions
        {
            Policy = policy,
            Rules = rules,
            LruGenEnabled = policy == ReclaimPolicy.Mglru ? 7 : 0,
            MemoryBytes = 1024 * Scenarios.Page,
            SwapBytes = 4096 * Scenarios.Page,
            TimeSliceAccesses = 128,
        }));
        sim.Step(20_000);
        var node = sim.Machine.Nodes[0];
        node.KswapdFailures = MgLru.Engine.Reclaim.MemcgReclaim.MaxReclaimRetries;
        long kswapdBefore = sim.Counter("a", VmEvent.PgScanKswapd);
        long directBefore = sim.Counter("a", VmEvent.PgStealDirect);
        sim.Step(20_000);
        Assert.True(sim.Counter("a", VmEvent.PgStealDirect) > directBefore, "the dormant kswapd left the work to direct reclaim");
        Assert.True(sim.Counter("a", VmEvent.PgScanKswapd) > kswapdBefore + 1_000, "kswapd stayed dormant after direct reclaim made progress");
    }

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
