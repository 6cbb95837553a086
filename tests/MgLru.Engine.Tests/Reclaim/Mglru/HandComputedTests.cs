using MgLru.Engine.Scenario;
using MgLru.Engine.Stats;
using Xunit;

namespace MgLru.Engine.Tests.Reclaim.Mglru;

/// <summary>Scenarios small enough to follow the kernel's rules by hand; each derivation is in the comments.</summary>
public sealed class HandComputedTests
{
    private static string Lines(params string[] lines) => string.Join("\n", lines) + "\n";

    [Fact]
    public void Faulted_pages_enter_max_seq_minus_1_under_the_614_rules()
    {
        // A fresh lruvec has max_seq = 3, min_seq = {0, 0}: four generations (lru_gen_init_lruvec).
        // Ten anonymous page faults set PG_active (in_lru_fault) without PG_workingset, so
        // lru_gen_folio_seq uses d = MIN_NR_GENS - workingset = 2: seq max_seq - 1 = 2.
        // The run takes 10 minor faults of 1.5 µs: every generation is 0 ms old.
        var sim = Scenarios.Single(64, 10, new WorkloadSpec(WorkloadKind.Sequential), 0);
        sim.Run();
        Assert.Equal(Lines(
            "memcg     1 /",
            " node     0",
            "          0          0          0           0 ",
            "          1          0          0           0 ",
            "          2          0          0           0 ",
            "          3          0          0           0 ",
            "memcg     2 /t",
            " node     0",
            "          0          0          0           0 ",
            "          1          0          0           0 ",
            "          2          0         10           0 ",
            "          3          0          0           0 "), sim.LruGenText());
    }

    [Fact]
    public void Faulted_pages_enter_max_seq_under_the_61_rules()
    {
        // 6.1.69+ lru_gen_add_folio: an active folio goes to max_seq (seq 3).
        var sim = Scenarios.Single(64, 10, new WorkloadSpec(WorkloadKind.Sequential), 0, KernelRules.V6_1);
        sim.Run();
        Assert.Contains("          3          0         10           0 \n", sim.LruGenText());
    }

    [Fact]
    public void First_overflow_keeps_young_pages_once_then_swaps_them_out()
    {
        // memory.max = 8 pages, 16 pages touched once each in order (no populate pass, rmap-only aging, 6.14 rules).
        // Pages 0..7 fault into seq 2. Page 8's charge fails: try_to_free_mem_cgroup_pages(nr_to_reclaim = 32).
        // Round 1, priority 12..0: with four generations nothing needs aging and 8 >> priority is 0 down to
        //   priority 3, where evict_folios finds the oldest generations empty: try_to_inc_min_seq moves both
        //   min_seqs to 2, leaving two generations, so scanned is forced to 0. Priorities 2 and 1 age twice
        //   (max_seq 5). At priority 0, 8 pages are isolated from seq 2; all have young PTEs (set at fault),
        //   so lru_gen_set_refs gives PG_referenced and KEEP; put back, they would land in min_seq, so they
        //   get PG_active (refs cleared) and go to max_seq - 1. Nothing reclaimed.
        // Round 2 (a retry): the pages' young bits were cleared by rmap; after aging they are isolated again
        //   and, now old, swapped out: 8 reclaimed. The charge succeeds and pages 9..15 fit.
        var sim = Scenarios.Single(8, 16, new WorkloadSpec(WorkloadKind.Sequential, populate: false), 16);
        sim.Run();
        Assert.Equal(16, sim.Counter("t", VmEvent.PgFault));
        Assert.Equal(16, sim.Counter("t", VmEvent.PgScanDirect));
        Assert.Equal(8, sim.Counter("t", VmEvent.PgStealDirect));
        Assert.Equal(8, sim.Counter("t", VmEvent.PswpOut));
        Assert.Equal(0, sim.Counter("t", VmEvent.PgActivate));
        Assert.Equal(0, sim.Counter("t", VmEvent.PgMajFault));
        var r = sim.Results()[0];
        Assert.Equal(8, r.ResidentPages);
        Assert.Equal(8, r.SwapPages);
    }

    [Fact]
    public void Swappiness_0_never_evicts_anon_and_OOM_kills_instead()
    {
        // get_swappiness returns the memcg's 0: anon is not evictable, so the memcg can only OOM.
        var sim = Scenarios.Single(8, 16, new WorkloadSpec(WorkloadKind.Sequential, populate: false), 16, swappiness: 0);
        sim.Run();
        Assert.Equal(0, sim.Counter("t", VmEvent.PgScanDirect));
        Assert.Equal(0, sim.Counter("t", VmEvent.PswpOut));
        Assert.Equal(1, sim.Counter("t", VmEvent.OomKill));
        Assert.Equal(9, sim.Counter("t", VmEvent.PgFault));
    }

    [Theory]
    [InlineData(0, true)]
    [InlineData(3, true)]
    [InlineData(4, false)]
    [InlineData(9, false)]
    public void A_614_refault_is_recent_within_four_generations_of_max_seq(int generationsLater, bool recent)
    {
        // lru_gen_test_recent (≥6.14): |max_seq - evicted min_seq| < MAX_NR_GENS.
        var sim = Scenarios.Single(64, 4, new WorkloadSpec(WorkloadKind.Sequential), 0);
        sim.Run();
        var memcg = sim.Machine.Memcgs[1];
        var l = memcg.Lruvecs[0];
        l.MaxSeq = l.MinSeq[0] + generationsLater; // only the distance matters to the test
        ulong shadow = sim.Policy.Eviction(0);
        uint flags = sim.Policy.Refault(shadow, memcg, 0, Engine.Memory.PageFlags.SwapBacked, inFault: true);
        Assert.Equal(1, memcg.Events[(int)VmEvent.WorkingsetRefaultAnon]); // counted either way
        Assert.Equal(recent ? 1 : 0, memcg.Events[(int)VmEvent.WorkingsetActivateAnon]);
        Assert.Equal(recent ? 1 : 0, l.Refaulted[0]);
        Assert.Equal(0, memcg.Events[(int)VmEvent.WorkingsetRestoreAnon]); // no PG_workingset at eviction
        Assert.Equal(0u, flags & Engine.Memory.PageFlags.Workingset);
    }

    [Theory]
    [InlineData(0, true)]
    [InlineData(1, false)]
    public void A_61_refault_counts_only_while_its_generation_is_still_the_oldest(int minSeqAdvance, bool counted)
    {
        // 6.1: recent iff the shadow's min_seq equals the current min_seq; only then are
        // workingset_refault and (in a fault) workingset_restore counted, and PG_workingset + refs restored.
        var sim = Scenarios.Single(64, 4, new WorkloadSpec(WorkloadKind.Sequential), 0, KernelRules.V6_1);
        sim.Run();
        var memcg = sim.Machine.Memcgs[1];
        ulong shadow = sim.Policy.Eviction(0);
        memcg.Lruvecs[0].MinSeq[0] += minSeqAdvance;
        uint flags = sim.Policy.Refault(shadow, memcg, 0, Engine.Memory.PageFlags.SwapBacked, inFault: true);
        Assert.Equal(counted ? 1 : 0, memcg.Events[(int)VmEvent.WorkingsetRefaultAnon]);
        Assert.Equal(counted ? 1 : 0, memcg.Events[(int)VmEvent.WorkingsetRestoreAnon]);
        Assert.Equal(0, memcg.Events[(int)VmEvent.WorkingsetActivateAnon]); // 6.1 counts activations in sort_folio
        Assert.Equal(counted, (flags & Engine.Memory.PageFlags.Workingset) != 0);
    }

    [Fact]
    public void A_refault_into_another_memcg_is_ignored()
    {
        var sim = Scenarios.Single(64, 4, new WorkloadSpec(WorkloadKind.Sequential), 0);
        sim.Run();
        ulong shadow = sim.Policy.Eviction(0);
        var root = sim.Machine.Memcgs[0];
        uint flags = sim.Policy.Refault(shadow, root, 0, Engine.Memory.PageFlags.SwapBacked, inFault: true);
        Assert.Equal(0, root.Events[(int)VmEvent.WorkingsetRefaultAnon]);
        Assert.Equal(0, sim.Machine.Memcgs[1].Events[(int)VmEvent.WorkingsetRefaultAnon]);
        Assert.Equal(Engine.Memory.PageFlags.SwapBacked, flags);
    }
}
