using System.Linq;
using MgLru.Engine.Reclaim.Classic;
using MgLru.Engine.Scenario;
using MgLru.Engine.Stats;
using Xunit;

namespace MgLru.Engine.Tests.Reclaim;

public sealed class ClassicTests
{
    private const long PagesPerGiB = 1L << 18;

    [Theory]
    // int_sqrt(10 × GiB): 1 GiB → 3, 10 GiB → 10, 100 GiB → 31, 1 TiB → 101; below 1 GiB the ratio is 1.
    [InlineData(0.5, 1)]
    [InlineData(1, 3)]
    [InlineData(10, 10)]
    [InlineData(100, 31)]
    [InlineData(1024, 101)]
    public void Inactive_is_low_uses_the_square_root_ratio(double gib, long ratio)
    {
        long total = (long)(gib * PagesPerGiB);
        // inactive × ratio < active is the boundary: find the largest inactive share that is still low.
        long inactive = total / (ratio + 1);
        long active = total - inactive;
        Assert.Equal(inactive * ratio < active, ClassicPolicy.InactiveIsLow(inactive, active));
        Assert.False(ClassicPolicy.InactiveIsLow(inactive + ratio, active - ratio));
    }

    private static Engine.Simulation.Simulation Classic(long limit, long rss, WorkloadSpec w, long accesses, long swap = 1 << 16)
    {
        var task = new TaskSpec("t", w, rss * Scenarios.Page, accesses);
        var cg = new MemCgroupSpec("t", limit * Scenarios.Page, tasks: new[] { task });
        return Engine.Simulation.Simulation.Create(new ScenarioSpec(new[] { cg }, new RunOptions
        {
            Policy = ReclaimPolicy.Classic,
            LruGenEnabled = 0,
            SwapBytes = swap * Scenarios.Page,
            CheckInvariants = true,
        }));
    }

    [Fact]
    public void New_anon_pages_start_on_the_inactive_list()
    {
        var sim = Classic(64, 10, new WorkloadSpec(WorkloadKind.Sequential), 0);
        sim.Run();
        var stat = sim.MemoryStatText("t");
        Assert.Contains("inactive_anon 40960\n", stat);
        Assert.Contains("active_anon 0\n", stat);
    }

    [Theory]
    [InlineData(0, true)]
    [InlineData(6, true)]
    [InlineData(7, false)]
    [InlineData(100, false)]
    public void A_refault_activates_iff_its_distance_fits_the_workingset(long laterEvictions, bool activated)
    {
        // Ten pages faulted (inactive anon). Pretend six are active: an anon refault's workingset_size is
        // active_file + inactive_file + active_anon (swap is available) = 6. The eviction reads the age,
        // then ticks it; laterEvictions more ticks give refault distance = laterEvictions.
        var sim = Classic(64, 10, new WorkloadSpec(WorkloadKind.Sequential), 0);
        sim.Run();
        var policy = (ClassicPolicy)sim.LruPolicy;
        var l = policy.Lruvec(1);
        l.Size[ClassicLruvec.ActiveAnon] = 6;
        ulong shadow = policy.Eviction(0);
        l.NonresidentAge += laterEvictions - 1;
        var memcg = sim.Machine.Memcgs[1];
        policy.FlushMemcgStats(memcg); // ≥6.12 judges the distance by the flushed list sizes
        uint flags = policy.Refault(shadow, memcg, 0, Engine.Memory.PageFlags.SwapBacked, inFault: true);
        Assert.Equal(1, memcg.Events[(int)VmEvent.WorkingsetRefaultAnon]);
        Assert.Equal(activated ? 1 : 0, memcg.Events[(int)VmEvent.WorkingsetActivateAnon]);
        Assert.Equal(activated, (flags & Engine.Memory.PageFlags.Active) != 0);
    }

    [Fact]
    public void A_refault_from_further_back_than_the_workingset_is_not_activated()
    {
        // Streaming over 4096 pages with room for 64: a page comes back after ~4000 evictions, far more
        // than the 64-page workingset, so no refault is activated.
        var sim = Classic(64, 4096, new WorkloadSpec(WorkloadKind.Sequential, populate: false), 3 * 4096);
        sim.Run();
        Assert.True(sim.Counter("t", VmEvent.WorkingsetRefaultAnon) > 4000);
        Assert.Equal(0, sim.Counter("t", VmEvent.WorkingsetActivateAnon));
    }

    [Fact]
    public void Classic_reclaim_deactivates_and_counts_pgscan_as_scanned()
    {
        var sim = Classic(256, 512, new WorkloadSpec(WorkloadKind.Zipf), 20_000);
        sim.Run();
        var r = sim.Results()[0];
        Assert.Equal("0x0000", r.LruGenEnabled);
        Assert.True(r.PgSteal > 0);
        Assert.True(r.PgScan >= r.PgSteal);
        Assert.Equal(r.PgSteal, r.PswpOut);
        Assert.True(r.PgRefill > 0); // the active list was refilled into the inactive one
        Assert.True(r.PgDeactivate > 0);
    }
}

/// <summary>From 6.12 the classic LRU's reclaim reads memcg stats as last flushed (memory.stat reads, the 2 s flusher).</summary>
public sealed class FlushedStatsTests
{
    private static ReclaimResult Run(KernelRules rules, long[]? reads)
    {
        // A 96-page Zipf working set in a 64-page memcg: refaults all the time; the run lasts far less than
        // the flusher's 2 s of simulated time.
        var task = new TaskSpec("t", new WorkloadSpec(WorkloadKind.Zipf), 96 * Scenarios.Page, 20_000, memoryStatReads: reads);
        var cg = new MemCgroupSpec("t", 64 * Scenarios.Page, tasks: new[] { task });
        var sim = Engine.Simulation.Simulation.Create(new ScenarioSpec(new[] { cg }, new RunOptions
        {
            Policy = ReclaimPolicy.Classic,
            Rules = rules,
            SwapBytes = 1 << 24,
            CheckInvariants = true,
        }));
        sim.Run();
        var r = sim.Results().Single();
        Assert.True(r.SimulatedMs < 2000, $"the run took {r.SimulatedMs} ms of simulated time");
        return r;
    }

    private static readonly long[] EveryThousand = Enumerable.Range(0, 21).Select(i => i * 1000L).ToArray();

    [Fact]
    public void Under_612_nothing_flushed_means_the_empty_memcgs_stats_and_no_refault_is_activated()
    {
        // workingset_test_recent sees a workingset of 0 pages: every refault is too far. (Pages still get
        // activated by reference checks, and deactivated when a round with nothing to reclaim forces it.)
        var r = Run(KernelRules.V6_12, null);
        Assert.True(r.WorkingsetRefaultAnon > 1000);
        Assert.Equal(0, r.WorkingsetActivateAnon);
    }

    [Fact]
    public void Under_612_memory_stat_reads_flush_and_refaults_are_judged_again()
    {
        var r = Run(KernelRules.V6_12, EveryThousand);
        Assert.True(r.WorkingsetActivateAnon > 100);
    }

    [Fact]
    public void Under_61_reclaim_reads_current_stats_and_memory_stat_reads_change_nothing()
    {
        var quiet = Run(KernelRules.V6_1, null);
        var polled = Run(KernelRules.V6_1, EveryThousand);
        Assert.True(quiet.WorkingsetActivateAnon > 0);
        Assert.Equal(quiet.PgMajFault, polled.PgMajFault);
        Assert.Equal(quiet.WorkingsetActivateAnon, polled.WorkingsetActivateAnon);
        Assert.Equal(quiet.PgDeactivate, polled.PgDeactivate);
    }
}
