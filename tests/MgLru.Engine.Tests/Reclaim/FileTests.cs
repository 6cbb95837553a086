using System.Linq;
using MgLru.Engine.Memory;
using MgLru.Engine.Reclaim.Mglru;
using MgLru.Engine.Scenario;
using MgLru.Engine.Stats;
using Xunit;

namespace MgLru.Engine.Tests.Reclaim;

public sealed class FileTests
{
    private static Engine.Simulation.Simulation Run(ReclaimPolicy policy, int enabled, params TaskSpec[] tasks)
    {
        var cg = new MemCgroupSpec("t", 256 * Scenarios.Page, tasks: tasks);
        var sim = Engine.Simulation.Simulation.Create(new ScenarioSpec(new[] { cg }, new RunOptions
        {
            Policy = policy,
            LruGenEnabled = enabled,
            SwapBytes = 1 << 24,
            CheckInvariants = true,
            TimeSliceAccesses = 64,
        }));
        sim.Run();
        return sim;
    }

    [Theory]
    [InlineData(ReclaimPolicy.Mglru, 1)]
    [InlineData(ReclaimPolicy.Mglru, 7)]
    [InlineData(ReclaimPolicy.Classic, 0)]
    public void Single_use_file_pages_read_through_a_descriptor_go_before_faulted_anon_pages(ReclaimPolicy policy, int enabled)
    {
        // 128 hot anon pages and a one-pass read of a 4096-page file through a 256-page memcg: the clean,
        // once-read file pages enter the oldest generation (inactive list) and are dropped; no anon page
        // is swapped out.
        var anon = new TaskSpec("hot", new WorkloadSpec(WorkloadKind.Uniform), 128 * Scenarios.Page, 20_000);
        var scan = new TaskSpec("scan", new WorkloadSpec(WorkloadKind.Sequential, populate: false, backend: MemoryBackend.FileRead), 4096 * Scenarios.Page, 4096);
        var sim = Run(policy, enabled, anon, scan);
        Assert.Equal(0, sim.Counter("t", VmEvent.PswpOut));
        Assert.Equal(0, sim.Counter("t", VmEvent.PgMajFault));
        Assert.True(sim.Counter("t", VmEvent.PgStealFile) >= 4096 - 256 + 128);
        Assert.Equal(4096 * 4, sim.Counter("t", VmEvent.PgPgIn));
        Assert.Equal(128, sim.Counter("t", VmEvent.PgFault)); // reads through a descriptor are not page faults
    }

    [Fact]
    public void A_page_read_five_times_through_a_descriptor_is_protected_by_its_tier()
    {
        // Pages 0..9 read once, page 0 five more times: six reads make PG_workingset, tier 3 (≥6.14).
        uint[] trace = Enumerable.Range(0, 10).Select(i => (uint)i).Concat(Enumerable.Repeat(0u, 5)).ToArray();
        var task = new TaskSpec("r", WorkloadSpec.FromTrace(trace, backend: MemoryBackend.FileRead), 10 * Scenarios.Page, 0);
        var sim = Run(ReclaimPolicy.Mglru, 1, task);
        var frames = sim.Machine.Frames;
        var cache = sim.Machine.PageCache.Entries; // the file's page cache: slot i holds page i
        int page0 = Mm.Pte.Frame(cache[0]);
        Assert.Equal(3, sim.Policy.FolioTier(frames.Flags[page0]));
        Assert.Equal(0, sim.Policy.FolioTier(frames.Flags[Mm.Pte.Frame(cache[1])]));
        // Tier 3 has refaulted far more than tier 0 (the PID controller's evidence): get_tier_idx = 2.
        var l = sim.Machine.Memcgs[1].Lruvecs[0];
        l.Refaulted[Lruvec.File * 4 + 3] = 1000;
        l.Evicted[Lruvec.File * 4 + 3] = 1000;
        l.Evicted[Lruvec.File * 4 + 0] = 10_000;
        Assert.Equal(2, sim.Policy.GetTierIdx(l, Lruvec.File));
        // All ten pages sit in the oldest file generation (single-use reads): evict it.
        sim.WriteLruGen("- 2 0 0 1"); // swappiness 1: file first
        Assert.True(Mm.Pte.IsPresent(cache[0]), "the tier-3 page was evicted");
        Assert.Equal(9, sim.Counter("t", VmEvent.PgStealFile));
        Assert.Equal(1, sim.Counter("t", VmEvent.PgRefill));
        Assert.Equal(0, sim.Counter("t", VmEvent.PgFault));
    }

    [Fact]
    public void File_mmap_faults_are_major_and_refaults_are_counted_as_file()
    {
        // MADV_RANDOM: no read-around, and fault-around finds no page cached but unmapped (one mapper).
        var task = new TaskSpec("m", new WorkloadSpec(WorkloadKind.Zipf, backend: MemoryBackend.FileMmap), 1024 * Scenarios.Page, 20_000, vmaFlags: VmaFlags.RandRead);
        var sim = Run(ReclaimPolicy.Mglru, 7, task);
        var r = sim.Results()[0];
        Assert.Equal(r.PgFault, r.PgMajFault); // every fault on the mapping reads its page in
        Assert.True(r.WorkingsetRefaultFile > 0);
        Assert.Equal(0, r.WorkingsetRefaultAnon);
        Assert.Equal(0, r.PswpOut);
        Assert.Equal(r.PgMajFault * 4, sim.Counter("t", VmEvent.PgPgIn));
    }
}

public sealed class WritebackTests
{
    [Theory]
    [InlineData(ReclaimPolicy.Mglru, 1)]
    [InlineData(ReclaimPolicy.Classic, 0)]
    public void Dirty_file_pages_are_written_back_then_rotated_and_reclaimed(ReclaimPolicy policy, int enabled)
    {
        // A task writes a 2048-page file through its descriptor in a 256-page memcg: reclaim cannot drop
        // dirty pages; it marks them PG_reclaim (sorted aside, or activated) and wakes the flushers, whose
        // writeback rotates them to where reclaim looks next. Everything written is written back.
        var task = new TaskSpec("w", new WorkloadSpec(WorkloadKind.Sequential, populate: false, writeFraction: 1.0, backend: MemoryBackend.FileRead),
            2048 * Scenarios.Page, 2048);
        var cg = new MemCgroupSpec("t", 256 * Scenarios.Page, tasks: new[] { task });
        var sim = Engine.Simulation.Simulation.Create(new ScenarioSpec(new[] { cg }, new RunOptions
        {
            Policy = policy,
            LruGenEnabled = enabled,
            CheckInvariants = true,
        }));
        sim.Run();
        var r = sim.Results()[0];
        Assert.Equal(0, r.OomKill);
        Assert.True(r.PgRotated > 0, "no written-back folio was rotated for reclaim");
        Assert.True(r.PgStealFile >= 2048 - 256);
        Assert.True(r.PgPgOut >= (2048 - 256) * 4);
        Assert.Equal(0, r.PswpOut);
    }
}

public sealed class SharedFileTests
{
    private static Engine.Simulation.Simulation Run(ReclaimPolicy policy, int mappers, long limitPages, long accesses)
    {
        var tasks = new TaskSpec[mappers];
        for (int i = 0; i < mappers; i++)
            // MADV_RANDOM: a miss reads its page alone, so the page cache holds what the mappers touched.
            tasks[i] = new TaskSpec("m" + i, new WorkloadSpec(WorkloadKind.Zipf, backend: MemoryBackend.FileMmap), 512 * Scenarios.Page, accesses,
                vmaFlags: VmaFlags.RandRead, file: "data");
        var cg = new MemCgroupSpec("t", limitPages * Scenarios.Page, tasks: tasks);
        var sim = Engine.Simulation.Simulation.Create(new ScenarioSpec(new[] { cg }, new RunOptions
        {
            Policy = policy,
            LruGenEnabled = policy == ReclaimPolicy.Mglru ? 1 : 0,
            // 6.1's reclaim reads current memcg stats; from 6.12 a run this short would see only the
            // empty memcg's (nothing flushes them), which is not what these tests are about.
            Rules = KernelRules.V6_1,
            CheckInvariants = true,
            TimeSliceAccesses = 64,
        }));
        sim.Run();
        return sim;
    }

    [Fact]
    public void Tasks_mapping_one_file_share_its_page_cache()
    {
        // Three mappers of a 512-page file with room for all of it, populating it in turns of 64 pages: the
        // first to touch a page reads it in (a major fault), the others only map it, 16 cached pages a
        // minor fault (fault-around); every page is charged once.
        var sim = Run(ReclaimPolicy.Mglru, 3, 1024, 0);
        var r = sim.Results()[0];
        Assert.Equal(512, r.PgMajFault);
        Assert.Equal(512 + 2 * 512 / 16, r.PgFault);
        Assert.Equal(512, r.ResidentPages);
        Assert.All(sim.Machine.Mms, mm => Assert.Equal(512, mm.Rss));
    }

    [Theory]
    [InlineData(ReclaimPolicy.Mglru)]
    [InlineData(ReclaimPolicy.Classic)]
    public void The_rmap_walk_of_a_shared_file_page_visits_every_mapping(ReclaimPolicy policy)
    {
        // Under pressure, reclaim must check (and unmap) every mapping of a page: rmap CPU grows with the
        // number of mappers for the same number of pages reclaimed (not 4x: a page that reclaim unmapped
        // and one task faulted back in is mapped once).
        var one = Run(policy, 1, 256, 20_000);
        var four = Run(policy, 4, 256, 5_000);
        double perPageOne = one.Machine.ReclaimNsByCategory[(int)Engine.Simulation.CostCategory.Rmap] / (double)one.Results()[0].PgSteal;
        double perPageFour = four.Machine.ReclaimNsByCategory[(int)Engine.Simulation.CostCategory.Rmap] / (double)four.Results()[0].PgSteal;
        Assert.True(perPageFour > 1.5 * perPageOne, $"rmap ns per reclaimed page: {perPageOne:N0} with one mapper, {perPageFour:N0} with four");
    }
}
