using MgLru.Engine.Scenario;
using Xunit;
using Xunit.Abstractions;

namespace MgLru.Engine.Tests.Simulation;

public sealed class SmokeTests
{
    private readonly ITestOutputHelper _out;
    public SmokeTests(ITestOutputHelper output) => _out = output;

    [Fact]
    public void Quickstart_scenario_runs()
    {
        var task = new TaskSpec("kv", new WorkloadSpec(WorkloadKind.Zipf), 128L << 20, 2_000_000);
        var cg = new MemCgroupSpec("web", 64L << 20, tasks: new[] { task });
        var sim = Engine.Simulation.Simulation.Create(new ScenarioSpec(new[] { cg }, new RunOptions { SwapBytes = 1L << 30, LruGenEnabled = 7 }));
        sim.Run();
        var r = sim.Results()[0];
        _out.WriteLine($"faults {r.PgFault} maj {r.PgMajFault} scan {r.PgScan} steal {r.PgSteal} refill {r.PgRefill} act {r.PgActivate} refault {r.WorkingsetRefaultAnon} restore {r.WorkingsetRestoreAnon} aging {r.AgingRuns} ms {r.SimulatedMs}");
        _out.WriteLine(sim.LruGenText(full: true));
        Assert.True(r.PgMajFault > 0);
    }

    [Fact]
    public void Setting_up_a_large_task_stops_when_cancelled()
    {
        // A task of 2 Mi pages shuffles its Zipf ranking for a while before the first access; a cancelled
        // token stops the setup (Ctrl+C in Invoke-Reclaim and Start-ReclaimSimulation), the same scenario
        // without one builds.
        var task = new TaskSpec("kv", new WorkloadSpec(WorkloadKind.Zipf), 8L << 30, 10);
        var scenario = new ScenarioSpec(new[] { new MemCgroupSpec("web", 64L << 20, tasks: new[] { task }) }, new RunOptions());
        using var cancelled = new System.Threading.CancellationTokenSource();
        cancelled.Cancel();
        Assert.Throws<System.OperationCanceledException>(() => Engine.Simulation.Simulation.Create(scenario, cancelled.Token));
        Assert.Equal(10 + (8L << 30) / Scenarios.Page, Engine.Simulation.Simulation.Create(scenario).AccessesTotal);
    }
}
