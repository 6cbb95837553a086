using System.Linq;
using MgLru.Engine.Mm;
using MgLru.Engine.Scenario;
using Xunit;

namespace MgLru.Engine.Tests.Reclaim.Mglru;

/// <summary>lru_gen_migrate_mm (invariant 28): a moved task's mm changes lists; its charged pages do not.</summary>
public sealed class MigrationTests
{
    [Fact]
    public void After_a_move_the_new_memcgs_walkers_leave_the_old_memcgs_pages_alone()
    {
        // 100 pages populated in /a, then the task moves to /b (halfway through its 200 accesses) and
        // touches every page again: the pages stay charged to /a and young.
        var task = new TaskSpec("t", new WorkloadSpec(WorkloadKind.Sequential), 100 * Scenarios.Page, 100, moveTo: "b", moveAt: 0.5);
        var a = new MemCgroupSpec("a", tasks: new[] { task });
        var b = new MemCgroupSpec("b");
        var sim = Engine.Simulation.Simulation.Create(new ScenarioSpec(new[] { a, b }, new RunOptions { LruGenEnabled = 7, SwapBytes = 1 << 24, CheckInvariants = true }));
        sim.Run();
        var memcgA = sim.Machine.Memcgs[1];
        var memcgB = sim.Machine.Memcgs[2];
        var mm = sim.Machine.Mms[0];
        Assert.Empty(memcgA.MmList);
        Assert.Same(mm, Assert.Single(memcgB.MmList));
        Assert.Equal(100, memcgA.Usage);
        Assert.Equal(0, memcgB.Usage);
        string before = sim.LruGenText();

        // /b's walker (memcg id 3) walks the mm (swap exists, so anon VMAs are walked) and finds only
        // misplaced pages: nothing promoted, bits kept.
        sim.WriteLruGen("+ 3 0 3");
        Assert.All(Enumerable.Range(0, 100), v => Assert.NotEqual(0u, sim.Machine.PageTables.Ptes[v] & Pte.Young));
        Assert.Equal(0, sim.Counter("b", Stats.VmEvent.WalkYoungPtes));
        Assert.True(sim.Counter("b", Stats.VmEvent.WalkPtes) >= 100);
        // /a's generations did not change (only /b's max_seq moved).
        string aBefore = before.Substring(before.IndexOf("/a", System.StringComparison.Ordinal), 60);
        string after = sim.LruGenText();
        Assert.Equal(aBefore, after.Substring(after.IndexOf("/a", System.StringComparison.Ordinal), 60));

        // /a's aging has no mm to walk any more.
        sim.WriteLruGen("+ 2 0 3");
        Assert.Equal(0, sim.Counter("a", Stats.VmEvent.WalkMms));
    }

    [Fact]
    public void A_live_move_charges_new_pages_to_the_new_memcg()
    {
        var task = new TaskSpec("t", new WorkloadSpec(WorkloadKind.Sequential, populate: false), 100 * Scenarios.Page, 100);
        var sim = Engine.Simulation.Simulation.Create(new ScenarioSpec(new[] { new MemCgroupSpec("a", tasks: new[] { task }), new MemCgroupSpec("b") },
            new RunOptions { CheckInvariants = true }));
        sim.Step(40);
        sim.MoveTask("t", "b");
        sim.Run();
        Assert.Equal(40, sim.Machine.Memcgs[1].Usage);
        Assert.Equal(60, sim.Machine.Memcgs[2].Usage);
    }

    [Fact]
    public void Moving_a_thread_moves_its_whole_process()
    {
        // cgroup v2 moves processes: the leader goes with the thread, so both charge the mm's memcg. Before,
        // the leader kept charging /a while its mm belonged to /b, and an OOM in /a found no task to kill.
        // /a has no swap room: had the leader stayed, its next charges would have OOM-killed in /a.
        var leader = new TaskSpec("leader", new WorkloadSpec(WorkloadKind.Sequential, populate: false), 200 * Scenarios.Page, 200);
        var thread = new TaskSpec("thread", new WorkloadSpec(WorkloadKind.Sequential, populate: false), 200 * Scenarios.Page, 200, shareMmWith: "leader");
        var sim = Engine.Simulation.Simulation.Create(new ScenarioSpec(
            new[] { new MemCgroupSpec("a", 64 * Scenarios.Page, tasks: new[] { leader, thread }), new MemCgroupSpec("b") },
            new RunOptions { CheckInvariants = true, TimeSliceAccesses = 16 }));
        sim.Step(32);
        long inA = sim.Machine.Memcgs[1].Usage;
        Assert.True(inA > 0 && inA <= 64);
        sim.MoveTask("thread", "b");
        sim.Run();
        Assert.Equal(inA, sim.Machine.Memcgs[1].Usage);
        Assert.Equal(200 - inA, sim.Machine.Memcgs[2].Usage);
        Assert.Equal(0, sim.Counter("a", Stats.VmEvent.OomKill));
        Assert.False(sim.Machine.Mms[0].Exited);
    }
}

public sealed class ThreadTests
{
    [Fact]
    public void Threads_share_one_mm_so_pages_fault_once_and_a_walk_visits_it_once()
    {
        var w = new WorkloadSpec(WorkloadKind.Uniform);
        var tasks = new[]
        {
            new TaskSpec("kv", w, 1024 * Scenarios.Page, 5000),
            new TaskSpec("kv-2", w, 1024 * Scenarios.Page, 5000, shareMmWith: "kv"),
            new TaskSpec("kv-3", w, 1024 * Scenarios.Page, 5000, shareMmWith: "kv"),
        };
        var sim = Engine.Simulation.Simulation.Create(new ScenarioSpec(new[] { new MemCgroupSpec("t", tasks: tasks) },
            new RunOptions { LruGenEnabled = 7, SwapBytes = 1 << 24, CheckInvariants = true }));
        sim.Run();
        var r = sim.Results()[0];
        Assert.Equal(3 * (1024 + 5000), r.Accesses);
        Assert.Equal(1024, r.PgFault); // the threads' populate passes hit the leader's pages
        Assert.Single(sim.Machine.Memcgs[1].MmList);
        sim.WriteLruGen("+ 2 0 3");
        Assert.Equal(1, sim.Counter("t", Stats.VmEvent.WalkMms));
    }

    [Fact]
    public void A_thread_of_an_unknown_task_is_refused()
    {
        var t = new TaskSpec("x", new WorkloadSpec(WorkloadKind.Uniform), Scenarios.Page, 1, shareMmWith: "nobody");
        var e = Assert.Throws<System.ArgumentException>(() => new ScenarioSpec(new[] { new MemCgroupSpec("t", tasks: new[] { t }) }, new RunOptions()));
        Assert.Contains("'nobody'", e.Message);
    }
}

public sealed class SchedulerTests
{
    [Fact]
    public void A_task_with_a_run_fraction_takes_that_share_of_the_turns()
    {
        // Two tasks, slices of 100 accesses; "b" runs one turn in four. After 10 slices "a" has had 8 turns
        // and "b" 2 (b's offered turns: yes on the 4th and 8th).
        var a = new TaskSpec("a", new WorkloadSpec(WorkloadKind.Uniform, populate: false), 64 * Scenarios.Page, 10_000);
        var b = new TaskSpec("b", new WorkloadSpec(WorkloadKind.Uniform, populate: false), 64 * Scenarios.Page, 10_000, runFraction: 0.25);
        var sim = Engine.Simulation.Simulation.Create(new ScenarioSpec(new[] { new MemCgroupSpec("x", tasks: new[] { a }), new MemCgroupSpec("y", tasks: new[] { b }) },
            new RunOptions { TimeSliceAccesses = 100 }));
        sim.Step(1000);
        Assert.Equal(800, sim.Counter("x", Stats.VmEvent.Accesses));
        Assert.Equal(200, sim.Counter("y", Stats.VmEvent.Accesses));
        sim.Run(); // once "a" is done, "b" runs every turn
        Assert.Equal(10_000, sim.Counter("y", Stats.VmEvent.Accesses));
    }
}
