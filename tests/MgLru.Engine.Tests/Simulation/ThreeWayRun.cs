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
        CheckAgingLog(a, results);
        return results;
    }

    /// <summary>
    /// The aging log against the counters: a row per aging of each memcg, max_seq one up each time per
    /// lruvec, and the rows' walk columns adding up to the memcg's walk counters (every walk ends in an aging).
    /// </summary>
    private static void CheckAgingLog(Engine.Simulation.Simulation sim, IReadOnlyList<ReclaimResult> results)
    {
        foreach (var r in results)
        {
            var rows = sim.Agings(r.Memcg);
            Assert.Equal(r.AgingRuns, rows.Count);
            long ptes = 0, young = 0, tables = 0, mms = 0, skipped = 0;
            var lastSeq = new Dictionary<int, long>();
            foreach (var row in rows)
            {
                ptes += row.Ptes;
                young += row.YoungPtes;
                tables += row.PteTables;
                mms += row.MmsWalked;
                skipped += row.MmsSkipped;
                long previous = lastSeq.TryGetValue(row.Node, out long seq) ? seq : 3; // a new lruvec starts at max_seq 3
                Assert.Equal(previous + 1, row.MaxSeq);
                lastSeq[row.Node] = row.MaxSeq;
                if (!row.PageTableWalk) Assert.Equal(0, row.Ptes + row.MmsWalked + row.MmsSkipped);
            }
            Assert.Equal(r.WalkPtes, ptes);
            Assert.Equal(r.WalkYoungPtes, young);
            Assert.Equal(r.WalkPteTables, tables);
            Assert.Equal(r.WalkMms, mms);
            Assert.Equal(r.WalkMmsSkipped, skipped);
        }
    }
}
