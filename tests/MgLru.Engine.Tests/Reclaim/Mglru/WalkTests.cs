using System.Linq;
using MgLru.Engine.Memory;
using MgLru.Engine.Mm;
using MgLru.Engine.Reclaim.Mglru;
using MgLru.Engine.Scenario;
using MgLru.Engine.Stats;
using Xunit;

namespace MgLru.Engine.Tests.Reclaim.Mglru;

/// <summary>Page-table walks on hand-built access patterns (invariants 10, 13, 14, 15, 16).</summary>
public sealed class WalkTests
{
    /// <summary>
    /// One task of 1024 pages (two PTE tables) in /t (memcg id 2), replaying <paramref name="trace"/>; swap so anon is
    /// walked. With <paramref name="turnPerAccess"/> each access is a scheduler turn, so each step marks the mm used.
    /// </summary>
    private static Engine.Simulation.Simulation Sim(uint[] trace, KernelRules rules = KernelRules.V6_14, int enabled = 3, bool turnPerAccess = false)
    {
        var task = new TaskSpec("t", WorkloadSpec.FromTrace(trace), 1024 * Scenarios.Page, 0);
        var cg = new MemCgroupSpec("t", tasks: new[] { task });
        return Engine.Simulation.Simulation.Create(new ScenarioSpec(new[] { cg }, new RunOptions
        {
            Rules = rules,
            LruGenEnabled = enabled,
            SwapBytes = 1 << 24,
            CheckInvariants = true,
            TimeSliceAccesses = turnPerAccess ? 1 : new RunOptions().TimeSliceAccesses,
        }));
    }

    private static uint[] Populate => Enumerable.Range(0, 1024).Select(i => (uint)i).ToArray();

    private static uint Flags(Engine.Simulation.Simulation sim, int page) => sim.Machine.Frames.Flags[Pte.Frame(sim.Machine.PageTables.Ptes[page])];

    private static long MaxSeq(Engine.Simulation.Simulation sim) => sim.Machine.Memcgs[1].Lruvecs[0].MaxSeq;

    [Fact]
    public void A_page_found_young_once_is_only_referenced_and_twice_is_promoted_with_workingset()
    {
        // Invariant 10 (≥6.14). Populate (young at fault, placed in seq 2), walk: PG_referenced only.
        // Touch page 5 again, walk: it moves to gen(max_seq) of that walk and gets PG_workingset.
        var sim = Sim(Populate.Concat(new uint[] { 5 }).ToArray());
        sim.Step(1024);
        sim.WriteLruGen("+ 2 0 3");
        uint f = Flags(sim, 5);
        Assert.NotEqual(0u, f & PageFlags.Referenced);
        Assert.Equal(0u, f & PageFlags.Workingset);
        Assert.Equal(2, PageFlags.Gen(f)); // not promoted: still seq 2's generation
        sim.Step(1);
        long seq = MaxSeq(sim); // 4
        sim.WriteLruGen($"+ 2 0 {seq}");
        f = Flags(sim, 5);
        Assert.NotEqual(0u, f & PageFlags.Workingset);
        Assert.Equal(Lruvec.GenFromSeq(seq), PageFlags.Gen(f));
        Assert.Equal(2, PageFlags.Gen(Flags(sim, 6))); // page 6 was not touched again
    }

    [Fact]
    public void Under_the_61_rules_the_first_young_PTE_promotes()
    {
        var sim = Sim(Populate, KernelRules.V6_1);
        sim.Run();
        sim.WriteLruGen("+ 2 0 3");
        uint f = Flags(sim, 5);
        Assert.Equal(Lruvec.GenFromSeq(3), PageFlags.Gen(f));
        Assert.Equal(0u, f & (PageFlags.Referenced | PageFlags.Workingset));
    }

    [Fact]
    public void An_mm_that_has_not_run_since_the_last_walk_is_skipped_unless_forced()
    {
        // Invariant 13 and 14: every aging walks each mm at most once; without force_scan an mm whose
        // bitmap bit was cleared by the previous walk (the task has not run since) is skipped.
        var sim = Sim(Populate);
        sim.Run();
        sim.WriteLruGen("+ 2 0 3 60 0"); // first iteration: the new mm is force-scanned anyway
        Assert.Equal(1, sim.Counter("t", VmEvent.WalkMms));
        sim.WriteLruGen("+ 2 0 4 60 0");
        Assert.Equal(1, sim.Counter("t", VmEvent.WalkMms));
        Assert.Equal(1, sim.Counter("t", VmEvent.WalkMmsSkipped));
        sim.WriteLruGen("+ 2 0 5"); // force_scan defaults to 1
        Assert.Equal(2, sim.Counter("t", VmEvent.WalkMms));
    }

    [Fact]
    public void A_sparse_PTE_table_drops_out_of_the_Bloom_filter_and_is_not_scanned_next_time()
    {
        // Invariant 15. Table 0 = pages 0..511, table 1 = pages 512..1023. Both are dense after populate
        // (every PTE young), so the first walk (seq 3) puts both into filter[(3 + 1) % 2] = filter[0].
        // Then pages 0..99 (dense: 100 × 8 ≥ 512) and page 600 (sparse) are touched; the walk of seq 4 scans
        // both (both in filter[0]) and carries only table 0 into filter[1]. After the same accesses again,
        // the walk of seq 5 skips table 1: page 600 keeps its young bit and is not promoted.
        var again = Enumerable.Range(0, 100).Select(i => (uint)i).Append(600u).ToArray();
        var sim = Sim(Populate.Concat(again).Concat(again).ToArray());
        var l = sim.Machine.Memcgs[1].Lruvecs[0];
        sim.Step(1024);
        sim.WriteLruGen("+ 2 0 3 60 0");
        Assert.True(l.Filters[0]!.Test(0) && l.Filters[0]!.Test(1));
        sim.Step(101);
        sim.WriteLruGen("+ 2 0 4 60 0");
        Assert.True(l.Filters[1]!.Test(0));
        Assert.False(l.Filters[1]!.Test(1));
        Assert.Equal(0, sim.Counter("t", VmEvent.WalkPmdsSkippedBloom));
        sim.Step(101);
        sim.WriteLruGen("+ 2 0 5 60 0");
        Assert.Equal(1, sim.Counter("t", VmEvent.WalkPmdsSkippedBloom));
        Assert.NotEqual(0u, sim.Machine.PageTables.Ptes[600] & Pte.Young);
        Assert.Equal(0u, sim.Machine.PageTables.Ptes[50] & Pte.Young);
        // The first walker of iteration 5 cleared filter[(5 + 1) % 2] = filter[0] before refilling it with table 0.
        Assert.True(l.Filters[0]!.Test(0));
        Assert.False(l.Filters[0]!.Test(1));
    }

    [Fact]
    public void With_non_leaf_young_a_PTE_table_whose_PMD_is_old_is_skipped()
    {
        // Invariant 16 (0x7). The first walk force-scans the new mm and leaves PMD accessed bits alone; the
        // second (not forced) tests and clears them. Then only table 0 is touched, so the third walk skips
        // table 1 on its old PMD without looking at its PTEs.
        var again = Enumerable.Range(0, 100).Select(i => (uint)i).ToArray();
        var sim = Sim(Populate.Concat(again).Concat(again).ToArray(), enabled: 7);
        sim.Step(1024);
        sim.WriteLruGen("+ 2 0 3 60 0");
        Assert.True(sim.Machine.PageTables.PmdYoung[1]);
        sim.Step(100);
        sim.WriteLruGen("+ 2 0 4 60 0");
        Assert.False(sim.Machine.PageTables.PmdYoung[0] || sim.Machine.PageTables.PmdYoung[1]);
        sim.Step(100);
        Assert.True(sim.Machine.PageTables.PmdYoung[0]);
        long ptesBefore = sim.Counter("t", VmEvent.WalkPtes);
        sim.WriteLruGen("+ 2 0 5 60 0");
        Assert.Equal(1, sim.Counter("t", VmEvent.WalkPmdsSkippedNonleaf));
        Assert.Equal(512, sim.Counter("t", VmEvent.WalkPtes) - ptesBefore);
    }

    [Theory]
    [InlineData(KernelRules.V6_1, true)]
    [InlineData(KernelRules.V6_12, false)]
    public void A_forced_walk_ignores_non_leaf_young_from_611_on(KernelRules rules, bool skipsOldPmd)
    {
        // v6.11 "ignore non-leaf pmd_young for force_scan=true". A young PTE under an old PMD: table 1 holds
        // only page 600 among the pages touched after populate, so the second walk finds it sparse and leaves
        // it out of the next Bloom filter; the third walk clears its (young) PMD and then skips it on the
        // filter, so page 600 stays young under an old PMD. A forced fourth walk skips table 1 on 6.1 and
        // walks it from 6.11 on. (try_to_inc_max_seq directly: the debugfs command refuses an unforced
        // aging at MAX_NR_GENS before 6.14.)
        var touched = Enumerable.Range(0, 100).Select(i => (uint)i);
        var trace = Populate.Append(600u).Concat(touched).Append(600u).Concat(touched).Concat(touched).ToArray();
        var sim = Sim(trace, rules, enabled: 7, turnPerAccess: true); // each step runs the task anew: its mm counts as used
        var l = sim.Machine.Memcgs[1].Lruvecs[0];
        var policy = sim.Policy;
        var pt = sim.Machine.PageTables;
        sim.Step(1024);
        Assert.True(policy.TryToIncMaxSeq(l, l.MaxSeq, 60, forceScan: false, AgingTrigger.Debugfs, "test")); // forced anyway: the mm is new
        sim.Step(101);
        Assert.True(policy.TryToIncMaxSeq(l, l.MaxSeq, 60, forceScan: false, AgingTrigger.Debugfs, "test")); // table 1 sparse: not carried over
        sim.Step(101);
        Assert.True(policy.TryToIncMaxSeq(l, l.MaxSeq, 60, forceScan: false, AgingTrigger.Debugfs, "test")); // table 1: PMD cleared, then Bloom-skipped
        Assert.NotEqual(0u, pt.Ptes[600] & Pte.Young);
        Assert.False(pt.PmdYoung[1]);
        sim.Step(100);
        long ptesBefore = sim.Counter("t", VmEvent.WalkPtes);
        long skippedBefore = sim.Counter("t", VmEvent.WalkPmdsSkippedNonleaf);
        Assert.True(policy.TryToIncMaxSeq(l, l.MaxSeq, 60, forceScan: true, AgingTrigger.Debugfs, "test"));
        Assert.Equal(skippedBefore + (skipsOldPmd ? 1 : 0), sim.Counter("t", VmEvent.WalkPmdsSkippedNonleaf));
        Assert.Equal(skipsOldPmd ? 512 : 1024, sim.Counter("t", VmEvent.WalkPtes) - ptesBefore);
        Assert.Equal(skipsOldPmd, (pt.Ptes[600] & Pte.Young) != 0);
        // 6.1's forced walk cleared table 0's young PMD; a forced walk from 6.11 on leaves it alone.
        Assert.Equal(!skipsOldPmd, pt.PmdYoung[0]);
        // The aging rows carry each walk's own share: the fourth one is exactly what the counters moved by.
        var agings = sim.Agings("t");
        Assert.Equal(4, agings.Count);
        Assert.Equal(new long[] { 4, 5, 6, 7 }, agings.Select(a => a.MaxSeq));
        var last = agings[3];
        Assert.Equal(skipsOldPmd ? 512 : 1024, last.Ptes);
        Assert.Equal(skipsOldPmd ? 1 : 0, last.NonleafSkips);
        Assert.Equal(skipsOldPmd ? 1 : 2, last.PteTables);
        Assert.True(last.PageTableWalk);
        Assert.Equal(1, last.MmsWalked);
        Assert.Equal(sim.Counter("t", VmEvent.WalkPtes), agings.Sum(a => a.Ptes));
    }

    [Theory]
    [InlineData(KernelRules.V6_1, 7, false)]
    [InlineData(KernelRules.V6_1, 7, true)]
    [InlineData(KernelRules.V6_1, 3, false)]
    [InlineData(KernelRules.V6_1, 3, true)]
    [InlineData(KernelRules.V6_12, 7, false)]
    [InlineData(KernelRules.V6_12, 7, true)]
    public void A_back_to_back_aging_empties_the_filter_after_next_only_if_it_walks_an_mm(KernelRules rules, int enabled, bool switchedIn)
    {
        // Where the lab's 6.1 0x7 runs part from the replay (README "Against the real kernel"). The first walk
        // (forced: the mm is new) promotes everything and puts both tables in the next filter. A second aging
        // right after finds nothing young. If the task was switched out and back in between (its bitmap bit
        // set), that aging walks the mm: it resets the filter after next and adds nothing, so the third walk
        // reads no table though 20 PTEs are young. If not, it walks no mm, that filter is never allocated, and
        // the third walk reads both tables (a missing filter lets everything through).
        var touched = Enumerable.Range(0, 10).Concat(Enumerable.Range(512, 10)).Select(i => (uint)i);
        var sim = Sim(Populate.Concat(touched).ToArray(), rules, enabled, turnPerAccess: true); // the 20 accesses mark the mm used
        var l = sim.Machine.Memcgs[1].Lruvecs[0];
        var policy = sim.Policy;
        sim.Step(1024);
        Assert.True(policy.TryToIncMaxSeq(l, l.MaxSeq, 60, forceScan: false, AgingTrigger.Debugfs, "test"));
        if (switchedIn) sim.Machine.Mms[0].NodeBitmap = ulong.MaxValue; // context_switch → lru_gen_use_mm
        Assert.True(policy.TryToIncMaxSeq(l, l.MaxSeq, 60, forceScan: false, AgingTrigger.Debugfs, "test"));
        sim.Step(20);
        Assert.True(policy.TryToIncMaxSeq(l, l.MaxSeq, 60, forceScan: false, AgingTrigger.Debugfs, "test"));
        var agings = sim.Agings("t");
        Assert.Equal(new long[] { 1024, 0, switchedIn ? 0 : 20 }, agings.Select(a => a.YoungPtes));
        Assert.Equal(new long[] { 2, 0, 0 }, agings.Select(a => a.BloomAdds));
        // The second aging: no mm, or the mm with both tables skipped on their old PMDs (6.1 0x7: the forced
        // first walk cleared them; from 6.11 a forced walk leaves PMDs alone) or read and found cold.
        bool pmdsCleared = enabled == 7 && rules == KernelRules.V6_1;
        Assert.Equal(switchedIn ? 1 : 0, agings[1].MmsWalked);
        Assert.Equal(switchedIn && !pmdsCleared ? 2 : 0, agings[1].PteTables);
        Assert.Equal(switchedIn && pmdsCleared ? 2 : 0, agings[1].NonleafSkips);
        // The third: both tables, or both skipped on the emptied filter.
        Assert.Equal(switchedIn ? 0 : 2, agings[2].PteTables);
        Assert.Equal(switchedIn ? 2 : 0, agings[2].BloomSkips);
    }

    [Fact]
    public void Page_tables_are_sparse_so_walks_skip_PMD_entries_without_a_PTE_table()
    {
        // A 1024-page VMA (two PTE spans) of which only pages 0..99 were ever touched: the second PTE table
        // was never allocated, so the walk visits one table of 512 PTEs.
        var sim = Sim(Enumerable.Range(0, 100).Select(i => (uint)i).ToArray());
        sim.Run();
        Assert.False(sim.Machine.PageTables.PmdPresent[1]);
        sim.WriteLruGen("+ 2 0 3");
        Assert.Equal(512, sim.Counter("t", VmEvent.WalkPtes));
        Assert.Equal(1, sim.Counter("t", VmEvent.WalkPteTables));
    }

    private static Engine.Simulation.Simulation Four(int walkers)
    {
        var tasks = Enumerable.Range(0, 4).Select(i => new TaskSpec("t" + i, new WorkloadSpec(WorkloadKind.Zipf), 600 * Scenarios.Page, 6_000)).ToArray();
        return Engine.Simulation.Simulation.Create(new ScenarioSpec(new[] { new MemCgroupSpec("t", 1200 * Scenarios.Page, tasks: tasks) }, new RunOptions
        {
            LruGenEnabled = 7,
            SwapBytes = 1 << 24,
            Walkers = walkers,
            CheckInvariants = true,
        }));
    }

    [Theory]
    [InlineData(2)]
    [InlineData(3)]
    [InlineData(5)]
    public void Interleaved_walkers_each_get_unique_mms_and_change_nothing(int walkers)
    {
        // Invariant 14 is checked on every iteration (an mm handed out twice, or two walkers ending one
        // iteration, throws); the results equal those of a single walker.
        var one = Four(1);
        var many = Four(walkers);
        one.Run();
        many.Run();
        Assert.Equivalent(one.Results()[0], many.Results()[0], strict: true);
        Assert.Equal(one.LruGenText(full: true), many.LruGenText(full: true));
        long before = many.Counter("t", VmEvent.WalkMms);
        long maxSeq = MaxSeq(many);
        many.WriteLruGen($"+ 2 0 {maxSeq}");
        Assert.Equal(4, many.Counter("t", VmEvent.WalkMms) - before); // each of the 4 mms once
        Assert.Equal(maxSeq + 1, MaxSeq(many));
    }

    [Fact]
    public void The_bloom_filter_keys_are_two_15_bit_halves_of_one_golden_ratio_hash()
    {
        BloomFilter.Keys(0, out int k0, out int k1);
        ulong h = unchecked(0xFFFF888000000000UL * 0x61C8864680B583EBUL) >> 34;
        Assert.Equal((int)(h & 0x7FFF), k0);
        Assert.Equal((int)(h >> 15), k1);
        var filter = new BloomFilter();
        Assert.False(filter.Test(42));
        filter.Add(42);
        Assert.True(filter.Test(42));
        filter.Clear();
        Assert.False(filter.Test(42));
    }
}
