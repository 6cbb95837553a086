using System;
using System.Collections.Generic;
using MgLru.Engine.Scenario;
using MgLru.Engine.Stats;
using Xunit;

namespace MgLru.Engine.Tests.Simulation;

/// <summary>
/// The determinism check the property tests share: a scenario run as given (invariant checker on), with
/// a single page-table walker (the interleaving of walkers must not change anything), and through the
/// general access loop instead of the fast one (the same accesses, clock and decisions). All three must
/// agree on every result field, the clock, lru_gen and memory.stat.
/// </summary>
internal static class ThreeWayRun
{
    /// <param name="build">The scenario, with the walker count to use (null: the case's own).</param>
    public static IReadOnlyList<ReclaimResult> Check(Func<int?, ScenarioSpec> build)
    {
        var a = Engine.Simulation.Simulation.Create(build(null));
        a.Run();
        a.CheckInvariants();
        var oneWalker = Engine.Simulation.Simulation.Create(build(1));
        oneWalker.Run();
        var general = Engine.Simulation.Simulation.Create(build(null));
        general.GeneralAccessLoop = true;
        general.Run();
        var results = a.Results();
        foreach (var other in new[] { oneWalker, general })
        {
            Assert.Equal(a.NowMs, other.NowMs);
            Assert.Equal(a.AccessesDone, other.AccessesDone);
            var theirs = other.Results();
            Assert.Equal(results.Count, theirs.Count);
            for (int i = 0; i < results.Count; i++) Assert.Equivalent(results[i], theirs[i], strict: true);
            Assert.Equal(a.LruGenText(full: true), other.LruGenText(full: true));
            Assert.Equal(a.MemoryStatText("cg0"), other.MemoryStatText("cg0"));
            Assert.Equivalent(a.Agings(), other.Agings(), strict: true);
        }
        foreach (var r in results) Reclaim.Mglru.AgingLogCheck.AgreesWithCounters(a, r);
        return results;
    }
}
