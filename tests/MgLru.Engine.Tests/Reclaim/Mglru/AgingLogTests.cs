using System.Linq;
using MgLru.Engine.Scenario;
using MgLru.Engine.Stats;
using Xunit;

namespace MgLru.Engine.Tests.Reclaim.Mglru;

/// <summary>
/// The aging log (Simulation.Agings, Get-LruGenAging): one row per generation created, each carrying its
/// own walk's share of the memcg's walk counters and the reason should_run_aging gave.
/// </summary>
public class AgingLogTests
{
    private static Engine.Simulation.Simulation ZipfOnHalfItsMemory(KernelRules rules, int enabled)
    {
        var sim = Scenarios.Single(2048, 4096, new WorkloadSpec(WorkloadKind.Zipf, 0.9), 30_000, rules, enabled, check: false);
        sim.Run();
        return sim;
    }

    [Theory]
    [InlineData(KernelRules.V6_1)]
    [InlineData(KernelRules.V6_12)]
    [InlineData(KernelRules.V6_14)]
    public void Every_aging_is_one_row_and_the_rows_add_up_to_the_run_counters(KernelRules rules)
    {
        var sim = ZipfOnHalfItsMemory(rules, 7);
        var result = sim.Results().Single(r => r.Memcg == "t");
        var rows = sim.Agings("t");
        Assert.True(rows.Count >= 5, $"only {rows.Count} agings");
        AgingLogCheck.AgreesWithCounters(sim, result);
        Assert.Equal(result.MaxSeq, rows[^1].MaxSeq); // one node: its last aging created the run's max_seq
        // At three generations 6.14 ages whenever there is room; before, only by the young/old heuristic.
        var threeGenerationTriggers = rules == KernelRules.V6_14
            ? new[] { AgingTrigger.ThreeGenerations }
            : new[] { AgingTrigger.YoungOverHalf, AgingTrigger.OldUnderQuarter };
        for (int i = 0; i < rows.Count; i++)
        {
            var r = rows[i];
            Assert.Equal("Direct", r.Reclaimer); // memcg limit reclaim only
            Assert.True(r.PageTableWalk);
            // The trigger is should_run_aging's reason for the generations there were.
            if (r.Trigger == AgingTrigger.TwoGenerations) Assert.Equal(2, r.GenerationsBefore);
            else Assert.Equal(3, r.GenerationsBefore);
            if (r.GenerationsBefore == 3) Assert.Contains(r.Trigger, threeGenerationTriggers);
            // A walk that read no table promoted nothing; the generations left are the lruvec's pages.
            if (r.PteTables == 0) Assert.Equal(0, r.YoungPtes);
            if (i > 0)
            {
                Assert.True(r.TimeMs >= rows[i - 1].TimeMs);
                Assert.True(r.PgSteal >= rows[i - 1].PgSteal);
            }
        }
    }

    [Fact]
    public void Rmap_only_agings_walk_nothing_and_the_classic_LRU_has_none()
    {
        var rmap = ZipfOnHalfItsMemory(KernelRules.V6_12, 1);
        var rows = rmap.Agings();
        Assert.NotEmpty(rows);
        Assert.All(rows, r =>
        {
            Assert.False(r.PageTableWalk);
            Assert.Equal(0, r.Ptes + r.PteTables + r.MmsWalked + r.MmsSkipped + r.BloomSkips + r.NonleafSkips + r.BloomAdds);
        });
        var task = new TaskSpec("t", new WorkloadSpec(WorkloadKind.Zipf, 0.9), 4096 * Scenarios.Page, 30_000);
        var classic = Engine.Simulation.Simulation.Create(new ScenarioSpec(new[] { new MemCgroupSpec("t", 2048 * Scenarios.Page, tasks: new[] { task }) },
            new RunOptions { Policy = ReclaimPolicy.Classic, SwapBytes = (1 << 16) * Scenarios.Page }));
        classic.Run();
        Assert.True(classic.Results().Single(r => r.Memcg == "t").PgSteal > 0);
        Assert.Empty(classic.Agings());
    }

    [Fact]
    public void A_second_aging_before_the_task_runs_again_walks_no_mm()
    {
        // The mm bitmap: a walk clears the mm's bit for the node and only a context switch to the task sets it
        // again, so an aging right after another finds no mm to walk (the kernel's back-to-back agings).
        var trace = Enumerable.Range(0, 1024).Select(i => (uint)i).ToArray();
        var task = new TaskSpec("t", WorkloadSpec.FromTrace(trace), 1024 * Scenarios.Page, 0);
        var sim = Engine.Simulation.Simulation.Create(new ScenarioSpec(new[] { new MemCgroupSpec("t", tasks: new[] { task }) },
            new RunOptions { Rules = KernelRules.V6_12, LruGenEnabled = 7, SwapBytes = 1 << 24, CheckInvariants = true }));
        var l = sim.Machine.Memcgs[1].Lruvecs[0];
        sim.Step(1024);
        Assert.True(sim.Policy.TryToIncMaxSeq(l, l.MaxSeq, 60, forceScan: false, AgingTrigger.OldUnderQuarter, "Direct"));
        Assert.True(sim.Policy.TryToIncMaxSeq(l, l.MaxSeq, 60, forceScan: false, AgingTrigger.OldUnderQuarter, "Direct"));
        var rows = sim.Agings("t");
        Assert.Equal(2, rows.Count);
        // The first walk (forced: the mm is new to the list) reads both PTE tables and finds all 1024 pages young.
        Assert.Equal((1L, 0L, 2L, 1024L, 1024L), (rows[0].MmsWalked, rows[0].MmsSkipped, rows[0].PteTables, rows[0].Ptes, rows[0].YoungPtes));
        Assert.Equal(1024, rows[0].PagesMaxSeqMinus1);
        // The second skips the mm: nothing read, nothing promoted, and the generation it promoted into is empty.
        Assert.Equal((0L, 1L, 0L, 0L, 0L), (rows[1].MmsWalked, rows[1].MmsSkipped, rows[1].PteTables, rows[1].Ptes, rows[1].YoungPtes));
        Assert.True(rows[1].PageTableWalk);
        Assert.Equal(0, rows[1].PagesMaxSeqMinus1);
        Assert.Equal(1024, rows[1].PagesMaxSeqMinus2);
        Assert.Equal(rows[0].TimeMs, rows[1].TimeMs);
    }

    [Fact]
    public void The_log_keeps_the_most_recent_agings_in_order_and_counts_the_dropped_ones()
    {
        var log = new AgingLog();
        for (int i = 0; i < AgingLog.Capacity + 5; i++) log.Add(new AgingRow { Index = i, MaxSeq = 4 + i });
        var rows = log.ToList();
        Assert.Equal(AgingLog.Capacity + 5, log.Recorded);
        Assert.Equal(AgingLog.Capacity, rows.Count);
        Assert.Equal(Enumerable.Range(5, AgingLog.Capacity), rows.Select(r => r.Index));
    }
}

/// <summary>
/// The aging log against the counters kept elsewhere, shared by these tests and the property tests: a row
/// per aging of the memcg, max_seq one up each time per lruvec (a new one starts at 3), and the rows' walk
/// columns adding up to the memcg's walk counters (every walk ends in an aging).
/// </summary>
internal static class AgingLogCheck
{
    public static void AgreesWithCounters(Engine.Simulation.Simulation sim, ReclaimResult result)
    {
        var rows = sim.Agings(result.Memcg);
        Assert.Equal(result.AgingRuns, rows.Count);
        var lastSeq = new System.Collections.Generic.Dictionary<int, long>();
        foreach (var row in rows)
        {
            Assert.Equal((lastSeq.TryGetValue(row.Node, out long seq) ? seq : 3) + 1, row.MaxSeq);
            lastSeq[row.Node] = row.MaxSeq;
            if (!row.PageTableWalk) Assert.Equal(0, row.Ptes + row.PteTables + row.MmsWalked + row.MmsSkipped);
        }
        Assert.Equal(result.WalkPtes, rows.Sum(r => r.Ptes));
        Assert.Equal(result.WalkYoungPtes, rows.Sum(r => r.YoungPtes));
        Assert.Equal(result.WalkPteTables, rows.Sum(r => r.PteTables));
        Assert.Equal(result.WalkMms, rows.Sum(r => r.MmsWalked));
        Assert.Equal(result.WalkMmsSkipped, rows.Sum(r => r.MmsSkipped));
        Assert.Equal(result.WalkPmdsSkippedBloom, rows.Sum(r => r.BloomSkips));
        Assert.Equal(sim.Counter(result.Memcg, VmEvent.WalkPmdsSkippedNonleaf), rows.Sum(r => r.NonleafSkips));
    }
}
