using MgLru.Engine.Memory;
using MgLru.Engine.Reclaim.Mglru;
using MgLru.Engine.Scenario;
using Xunit;

namespace MgLru.Engine.Tests.Reclaim.Mglru;

/// <summary>lru_gen_folio_seq placement and the memcg LRU (invariants 23, 24, 27).</summary>
public sealed class PlacementTests
{
    private static Engine.Simulation.Simulation Fresh(KernelRules rules = KernelRules.V6_14)
    {
        var sim = Scenarios.Single(64, 4, new WorkloadSpec(WorkloadKind.Sequential), 0, rules);
        sim.Run();
        return sim;
    }

    [Theory]
    // ≥6.14, max_seq 3, min_seq 0: active + workingset → max_seq; active → max_seq - 1;
    // anon not in swap cache → max_seq - 1; clean file → oldest (max_seq - 3, clamped to min_seq);
    // clean file with workingset → max_seq - 2; a rotation after writeback (reclaiming) → oldest.
    [InlineData(PageFlags.SwapBacked | PageFlags.Active | PageFlags.Workingset, false, 3)]
    [InlineData(PageFlags.SwapBacked | PageFlags.Active, false, 2)]
    [InlineData(PageFlags.SwapBacked, false, 2)]
    [InlineData(0u, false, 0)]
    [InlineData(PageFlags.Workingset, false, 1)]
    [InlineData(PageFlags.Dirty | PageFlags.Reclaim, false, 2)]
    [InlineData(0u, true, 0)]
    public void Placement_follows_lru_gen_folio_seq(uint flags, bool reclaiming, long seq)
    {
        var sim = Fresh();
        Assert.Equal(seq, sim.Policy.FolioSeq(sim.Machine.Memcgs[1].Lruvecs[0], flags, reclaiming));
    }

    [Theory]
    // 6.1.69+: active → max_seq; anon not in swap cache → max_seq - 1; clean file at ≥3 generations → min_seq + 1.
    [InlineData(PageFlags.SwapBacked | PageFlags.Active, 3)]
    [InlineData(PageFlags.SwapBacked, 2)]
    [InlineData(0u, 1)]
    public void Placement_follows_the_61_rules(uint flags, long seq)
    {
        var sim = Fresh(KernelRules.V6_1);
        Assert.Equal(seq, sim.Policy.FolioSeq(sim.Machine.Memcgs[1].Lruvecs[0], flags, false));
    }

    [Fact]
    public void A_workingset_refault_in_a_fault_goes_to_max_seq()
    {
        // Invariant 23: the shadow carried PG_workingset; lru_gen_refault restores it and the fault's
        // PG_active puts the folio at max_seq.
        var sim = Fresh();
        var frames = sim.Machine.Frames;
        frames.Flags[0] |= PageFlags.Workingset;
        ulong shadow = sim.Policy.Eviction(0);
        var memcg = sim.Machine.Memcgs[1];
        uint flags = sim.Policy.Refault(shadow, memcg, 0, PageFlags.SwapBacked | sim.Policy.InFaultFlags, inFault: true);
        Assert.NotEqual(0u, flags & PageFlags.Workingset);
        Assert.Equal(memcg.Lruvecs[0].MaxSeq, sim.Policy.FolioSeq(memcg.Lruvecs[0], flags, false));
    }

    [Fact]
    public void Pages_read_through_a_descriptor_enter_the_oldest_file_generation()
    {
        // Invariant 24: buffered-read pages are not active, clean and without workingset.
        var task = new TaskSpec("r", new WorkloadSpec(WorkloadKind.Sequential, backend: MemoryBackend.FileRead), 8 * Scenarios.Page, 0);
        var sim = Engine.Simulation.Simulation.Create(new ScenarioSpec(new[] { new MemCgroupSpec("t", tasks: new[] { task }) }, new RunOptions { CheckInvariants = true }));
        sim.Run();
        Assert.Contains("          0          0          0           8 \n", sim.LruGenText().Substring(sim.LruGenText().IndexOf("/t", System.StringComparison.Ordinal)));
    }

    [Fact]
    public void The_memcg_LRU_sequence_advances_when_the_old_generation_empties()
    {
        // Invariant 27: onlined memcgs start in the old generation (seq % 3); a memcg that aged moves to
        // the young one; memcg_lru.seq increments exactly when the old generation becomes empty.
        var task = new TaskSpec("t", new WorkloadSpec(WorkloadKind.Sequential), 4 * Scenarios.Page, 0);
        var cgs = new[] { new MemCgroupSpec("a", tasks: new[] { task }), new MemCgroupSpec("b", tasks: new[] { task }) };
        var sim = Engine.Simulation.Simulation.Create(new ScenarioSpec(cgs, new RunOptions()));
        var policy = sim.Policy;
        var memcgs = sim.Machine.Memcgs;
        Assert.All(memcgs, m => Assert.Equal(0, m.Lruvecs[0].LruGen));
        Assert.Equal(0, policy.MemcgLruSeq);
        policy.RotateMemcg(memcgs[1].Lruvecs[0], MglruPolicy.MemcgLruYoung);
        Assert.Equal(1, memcgs[1].Lruvecs[0].LruGen);
        policy.RotateMemcg(memcgs[2].Lruvecs[0], MglruPolicy.MemcgLruTail);
        Assert.Equal(0, memcgs[2].Lruvecs[0].LruGen);
        Assert.Equal(0, policy.MemcgLruSeq);
        policy.RotateMemcg(memcgs[2].Lruvecs[0], MglruPolicy.MemcgLruYoung);
        Assert.Equal(0, policy.MemcgLruSeq);
        policy.RotateMemcg(memcgs[0].Lruvecs[0], MglruPolicy.MemcgLruYoung); // the last one leaves the old generation
        Assert.Equal(1, policy.MemcgLruSeq);
    }
}
