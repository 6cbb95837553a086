using System;
using System.Linq;
using MgLru.Engine.Scenario;
using MgLru.Engine.Stats;
using Xunit;

namespace MgLru.Engine.Tests.Cgroup;

/// <summary>New-MemCgroup -Overhead: charged from the start, never reclaimed, on no LRU.</summary>
public sealed class OverheadTests
{
    [Theory]
    [InlineData(ReclaimPolicy.Mglru)]
    [InlineData(ReclaimPolicy.Classic)]
    [InlineData(ReclaimPolicy.Lru)]
    public void Overhead_takes_room_from_the_limit(ReclaimPolicy policy)
    {
        // memory.max 64 pages, 16 of them overhead, no swap: the 48 anon pages that fit are charged and
        // the 49th fault finds nothing reclaimable (anon without swap, and the overhead is not on an LRU).
        var task = new TaskSpec("t", new WorkloadSpec(WorkloadKind.Sequential), 80 * Scenarios.Page, 0);
        var cg = new MemCgroupSpec("cg", 64 * Scenarios.Page, tasks: new[] { task }, overheadBytes: 16 * Scenarios.Page);
        var sim = Engine.Simulation.Simulation.Create(new ScenarioSpec(new[] { cg }, new RunOptions { Policy = policy, CheckInvariants = true }));
        Assert.Equal(16, sim.Machine.Memcgs[1].Usage); // charged before the first access
        sim.Run();
        var r = sim.Results().Single();
        Assert.Equal(49, r.PgFault);
        Assert.Equal(1, r.OomKill);
        Assert.Equal(0, r.PgSteal);
        Assert.Equal(16, sim.Machine.Memcgs[1].Usage); // the killed task's pages are gone, the overhead stays
        Assert.Equal(16 * Scenarios.Page, sim.MemoryStat("cg").Single(e => e.Key == "kernel").Value);
        sim.CheckInvariants();
    }

    [Fact]
    public void With_swap_the_overhead_is_never_swapped_and_the_rest_cycles()
    {
        var task = new TaskSpec("t", new WorkloadSpec(WorkloadKind.Sequential), 80 * Scenarios.Page, 400);
        var cg = new MemCgroupSpec("cg", 64 * Scenarios.Page, tasks: new[] { task }, overheadBytes: 16 * Scenarios.Page);
        var sim = Engine.Simulation.Simulation.Create(new ScenarioSpec(new[] { cg }, new RunOptions { SwapBytes = 1 << 20, CheckInvariants = true }));
        sim.Run();
        var r = sim.Results().Single();
        Assert.Equal(0, r.OomKill);
        // memory.current (ResidentPages) is at the limit; only the 48 pages beside the overhead are on the LRU.
        Assert.Equal(64, r.ResidentPages);
        Assert.Equal(48 * Scenarios.Page, sim.MemoryStat("cg").Single(e => e.Key == "anon").Value);
        Assert.Equal(16 * Scenarios.Page, sim.MemoryStat("cg").Single(e => e.Key == "kernel").Value);
        Assert.Equal(80 + 400, r.Accesses);
        Assert.Equal(r.PgFault - 80, r.PgMajFault);
    }

    [Fact]
    public void Overhead_must_stay_below_the_limit_and_fit_the_node()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => new MemCgroupSpec("cg", 64 * Scenarios.Page, overheadBytes: 64 * Scenarios.Page));
        var cg = new MemCgroupSpec("cg", tasks: new[] { new TaskSpec("t", new WorkloadSpec(WorkloadKind.Sequential), Scenarios.Page, 0) }, overheadBytes: 8L << 20);
        var e = Assert.Throws<ArgumentException>(() => Engine.Simulation.Simulation.Create(new ScenarioSpec(new[] { cg }, new RunOptions { MemoryBytes = 4L << 20 })));
        Assert.Contains("overhead", e.Message);
    }
}
