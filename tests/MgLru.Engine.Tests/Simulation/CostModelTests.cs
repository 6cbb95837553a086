using MgLru.Engine.Scenario;
using Xunit;

namespace MgLru.Engine.Tests.Simulation;

public sealed class CostModelTests
{
    private static Stats.ReclaimResult Run(CostModel costs, int enabled = 1)
    {
        var task = new TaskSpec("t", new WorkloadSpec(WorkloadKind.Zipf), 2048 * Scenarios.Page, 20_000);
        var cg = new MemCgroupSpec("t", 1024 * Scenarios.Page, tasks: new[] { task });
        var sim = Engine.Simulation.Simulation.Create(new ScenarioSpec(new[] { cg }, new RunOptions { SwapBytes = 1 << 24, Costs = costs, LruGenEnabled = enabled }));
        sim.Run();
        return sim.Results()[0];
    }

    /// <summary>
    /// A Zipf(1.0) task of 4,096 pages, 80,000 accesses, on 2,048 pages: a memcg limit of that size, or
    /// (<paramref name="memcgLimit"/> false) no limit, the machine's size then coming from the options.
    /// </summary>
    private static Stats.ReclaimResult RunZipfOnHalfItsMemory(RunOptions options, bool memcgLimit)
    {
        var task = new TaskSpec("t", new WorkloadSpec(WorkloadKind.Zipf, 1.0), 4096 * Scenarios.Page, 80_000);
        var cg = new MemCgroupSpec("t", memcgLimit ? 2048 * Scenarios.Page : long.MaxValue, tasks: new[] { task });
        var sim = Engine.Simulation.Simulation.Create(new ScenarioSpec(new[] { cg }, options));
        sim.Run();
        return sim.Results()[0];
    }

    [Fact]
    public void Look_around_takes_rmap_walks_off_eviction_as_its_patch_reports()
    {
        // "exploit locality in rmap": kswapd's page_vma_mapped_walk 18.47 % → 8.20 %, compression's share up.
        // Rmap-only aging (0x0001) with and without look-around on a Zipf load twice the limit: with it, young
        // neighbours are promoted in place, so fewer folios are isolated and walked one by one.
        var off = RunZipfOnHalfItsMemory(new RunOptions { SwapBytes = 1 << 25, LruGenEnabled = 1, LookAround = false }, memcgLimit: true);
        var on = RunZipfOnHalfItsMemory(new RunOptions { SwapBytes = 1 << 25, LruGenEnabled = 1 }, memcgLimit: true);
        Assert.Equal(0, off.LookAroundPromotions);
        Assert.True(on.LookAroundPromotions > 1_000, $"{on.LookAroundPromotions} look-around promotions");
        Assert.True(on.PgScan < off.PgScan * 0.8, $"pgscan {on.PgScan} with look-around, {off.PgScan} without");
        Assert.True(on.ProfileRmapPct < off.ProfileRmapPct * 0.75, $"rmap {on.ProfileRmapPct:F1} % with look-around, {off.ProfileRmapPct:F1} % without");
        Assert.True(on.ProfileSwapOutPct > off.ProfileSwapOutPct, $"swap-out {on.ProfileSwapOutPct:F1} % with look-around, {off.ProfileSwapOutPct:F1} % without");
        Assert.True(on.ReclaimCpuMs < off.ReclaimCpuMs);
    }

    [Fact]
    public void Under_global_pressure_kswapd_does_the_reclaiming_and_walks_move_its_profile_as_their_patch_reports()
    {
        // The patches' profiles are kswapd's. A Zipf load twice a small machine's memory, no memcg limit:
        // kswapd does most of the reclaim CPU; with walks (0x0007) against rmap-only aging with look-around
        // (0x0001) its page_vma_mapped_walk share falls (the patch: 7.38 % → 6.84 %) and walk_pte_range
        // appears (2.86 %).
        var rmap = RunZipfOnHalfItsMemory(new RunOptions { MemoryBytes = 2048 * Scenarios.Page, SwapBytes = 1 << 25, LruGenEnabled = 1 }, memcgLimit: false);
        var walks = RunZipfOnHalfItsMemory(new RunOptions { MemoryBytes = 2048 * Scenarios.Page, SwapBytes = 1 << 25, LruGenEnabled = 7 }, memcgLimit: false);
        foreach (var r in new[] { rmap, walks })
            Assert.True(r.KswapdCpuMs > 4 * r.ReclaimCpuMs, $"kswapd {r.KswapdCpuMs:F1} ms, direct reclaim {r.ReclaimCpuMs:F1} ms");
        Assert.Equal(0, rmap.WalkPtes);
        Assert.True(walks.WalkPtes > 10_000, $"{walks.WalkPtes} PTEs walked");
        Assert.True(walks.ProfileWalkPct > 0, "walks cost something");
        Assert.True(walks.ProfileRmapPct < rmap.ProfileRmapPct, $"rmap {walks.ProfileRmapPct:F2} % with walks, {rmap.ProfileRmapPct:F2} % without");
        Assert.True(walks.PgScan < rmap.PgScan, $"pgscan {walks.PgScan} with walks, {rmap.PgScan} without");
        // What the walks found young they promoted: no more misses than rmap-only aging (a walk that only
        // cleared young bits would evict hot pages: +6 % here).
        Assert.True(walks.PgMajFault <= rmap.PgMajFault * 1.02, $"{walks.PgMajFault} major faults with walks, {rmap.PgMajFault} without");
    }

    [Fact]
    public void Costs_move_the_clock_but_not_the_decisions_when_no_time_based_rule_is_on()
    {
        // Without min_ttl, nothing the kernel decides depends on time: counters are equal, time is not.
        var a = Run(CostModel.Default);
        var b = Run(new CostModel { ZramWriteNs = 50_000 });
        Assert.Equal(a.PgSteal, b.PgSteal);
        Assert.Equal(a.PgMajFault, b.PgMajFault);
        Assert.True(b.SimulatedMs > a.SimulatedMs);
        Assert.True(b.ProfileSwapOutPct > a.ProfileSwapOutPct);
        Assert.True(b.OpsPerSecond < a.OpsPerSecond);
    }

    [Fact]
    public void A_scaled_cost_model_scales_every_cost_and_so_the_clock()
    {
        // Every int property, so a cost added later cannot be left out of Scaled.
        var doubled = CostModel.Default.Scaled(2);
        foreach (var p in typeof(CostModel).GetProperties())
            if (p.PropertyType == typeof(int)) Assert.Equal(2 * (int)p.GetValue(CostModel.Default)!, (int)p.GetValue(doubled)!);
        // MGLRU without min_ttl decides nothing by time: same counters, twice the simulated time.
        var a = Run(CostModel.Default);
        var b = Run(doubled);
        Assert.Equal(a.PgMajFault, b.PgMajFault);
        Assert.Equal(2 * a.SimulatedMs, b.SimulatedMs, 6);
        Assert.Throws<System.ArgumentOutOfRangeException>(() => CostModel.Default.Scaled(0));
        Assert.Throws<System.ArgumentOutOfRangeException>(() => CostModel.Default.Scaled(double.NaN));
    }

    [Fact]
    public void The_profile_adds_up_to_100_percent()
    {
        var r = Run(CostModel.Default, 7);
        double sum = r.ProfileRmapPct + r.ProfileWalkPct + r.ProfileLookAroundPct + r.ProfileScanPct + r.ProfileSwapOutPct + r.ProfileFreePct;
        Assert.InRange(sum, 99.999, 100.001);
        Assert.True(r.ProfileWalkPct > 0);
    }

    [Fact]
    public void Simulated_time_is_the_sum_of_the_costs_on_the_tasks_path()
    {
        // 100 pages, no pressure: 100 minor faults and 1000 hits.
        var task = new TaskSpec("t", new WorkloadSpec(WorkloadKind.Uniform), 100 * Scenarios.Page, 1000);
        var sim = Engine.Simulation.Simulation.Create(new ScenarioSpec(new[] { new MemCgroupSpec("t", tasks: new[] { task }) }, new RunOptions()));
        sim.Run();
        var c = CostModel.Default;
        Assert.Equal((100L * c.MinorFaultNs + 1000L * c.AccessNs) / 1e6, sim.NowMs, 9);
    }
}
