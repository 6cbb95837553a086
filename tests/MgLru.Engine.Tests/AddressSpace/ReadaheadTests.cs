using System.Linq;
using MgLru.Engine.Mm;
using MgLru.Engine.Scenario;
using MgLru.Engine.Stats;
using Xunit;

namespace MgLru.Engine.Tests.AddressSpace;

/// <summary>Readahead under sequential advice (mm/readahead.c): window sizes by hand, then whole streams.</summary>
public sealed class ReadaheadTests
{
    private const long Page = Scenarios.Page;

    [Theory]
    [InlineData(1, 64, 4)]   // roundup 1 ≤ 64/32: ×4
    [InlineData(4, 64, 8)]   // 4 ≤ 64/4: ×2
    [InlineData(32, 64, 64)] // else the maximum
    [InlineData(64, 64, 64)]
    public void Initial_window_sizes(long req, long max, long size) => Assert.Equal(size, FileReadahead.InitSize(req, max));

    [Theory]
    [InlineData(2, 64, 8)]   // below max/16: ×4
    [InlineData(4, 64, 8)]   // up to max/2: ×2
    [InlineData(32, 64, 64)]
    [InlineData(64, 64, 64)] // then the maximum
    public void Next_window_sizes(long current, long max, long size) => Assert.Equal(size, FileReadahead.NextSize(current, max));

    [Fact]
    public void A_descriptor_stream_ramps_4_8_16_32_64_with_the_marker_on_each_window_s_first_page()
    {
        // read() of one page at 0: initial window 4 (req 1), async part 3, so page 1 is marked. Touching
        // page 1 pushes the window to [4, 12) marked at 4, then [12, 28) at 12, [28, 60) at 28, [60, 124) ...
        var ra = new FileReadahead();
        Assert.Equal((0L, 4L, 1L), ra.Sync(0, 1, 64, 0));
        foreach (var (touched, window) in new[] { (1L, (4L, 8L, 4L)), (4L, (12L, 16L, 12L)), (12L, (28L, 32L, 28L)), (28L, (60L, 64L, 60L)), (60L, (124L, 64L, 124L)) })
        {
            Assert.True(ra.IsExpected(touched));
            Assert.Equal(window, ra.Push(64));
        }
        Assert.False(ra.IsExpected(125));
    }

    [Fact]
    public void A_marked_page_without_valid_state_restarts_at_the_next_hole()
    {
        // Page 10 carries a marker the current window did not place, pages 11..19 are cached: the new window
        // starts at 20 and is get_next_ra_size(20 - 10 + 1 = 11) = 22 pages (11 ≤ 64/2: doubled), marked at 20.
        var ra = new FileReadahead();
        Assert.Equal((20L, 22L, 20L), ra.Restart(10, 20, 64));
    }

    [Fact]
    public void A_fault_asks_for_a_whole_window_and_marks_its_middle()
    {
        // do_sync_mmap_readahead under VM_SEQ_READ: page_cache_sync_ra(ra_pages) at page 100 right after
        // page 99 was read: initial window of 64 from 100, async part 32: page 132 is marked.
        var ra = new FileReadahead { PrevIndex = 99 };
        Assert.Equal((100L, 64L, 132L), ra.Sync(100, 64, 64, 0));
    }

    [Fact]
    public void A_random_miss_without_history_reads_only_the_request()
    {
        var ra = new FileReadahead { PrevIndex = 10 };
        Assert.Equal((500L, 1L, -1L), ra.Sync(500, 1, 64, 0));
    }

    private static Engine.Simulation.Simulation Stream(MemoryBackend backend, VmaFlags flags, long pages = 256, long limitPages = 1024)
    {
        var task = new TaskSpec("t", new WorkloadSpec(WorkloadKind.Sequential, backend: backend), pages * Page, 0, vmaFlags: flags, file: "data");
        var cg = new MemCgroupSpec("t", limitPages * Page, tasks: new[] { task });
        var sim = Engine.Simulation.Simulation.Create(new ScenarioSpec(new[] { cg }, new RunOptions { SwapBytes = 1L << 24, CheckInvariants = true }));
        sim.Run();
        return sim;
    }

    [Fact]
    public void A_sequential_mapping_takes_one_major_fault_and_reads_the_rest_ahead()
    {
        // 256 pages faulted in order under MADV_SEQUENTIAL: page 0 misses (sync window [0, 64), page 32
        // marked). Fault-around maps the cached pages of each aligned 16-page window: the fault at 1 maps
        // 1..15, at 16 maps 16..31. At 32 it maps 33..47 but leaves the marked page to filemap_fault, which
        // reads [64, 128) marked at 64; and so on (the window past the file's end reads nothing). One major
        // fault, 256 pages read, 17 faults: 0, 1 and two per 32 pages from 16 on (16, 32, 48, ..., 240).
        var sim = Stream(MemoryBackend.FileMmap, VmaFlags.SeqRead);
        Assert.Equal(1, sim.Counter("t", VmEvent.PgMajFault));
        Assert.Equal(17, sim.Counter("t", VmEvent.PgFault));
        Assert.Equal(256 * 4, sim.Counter("t", VmEvent.PgPgIn));
    }

    [Fact]
    public void Under_MADV_RANDOM_every_page_of_a_mapping_is_a_major_fault()
    {
        // No readahead; fault-around finds nothing cached ahead of a sequential walk.
        var sim = Stream(MemoryBackend.FileMmap, VmaFlags.RandRead);
        Assert.Equal(256, sim.Counter("t", VmEvent.PgMajFault));
        Assert.Equal(256, sim.Counter("t", VmEvent.PgFault));
    }

    [Fact]
    public void Without_advice_a_mapping_reads_around_its_misses()
    {
        // do_sync_mmap_readahead: the miss at 0 reads 32 pages around it ([0, 32), async part 8: page 24
        // marked); mmap_miss 1. Fault-around then maps 1..15 at the fault on 1 and 16..31 but 24 at the fault
        // on 16; the fault on 24 finds it cached and reads [32, 64) marked at 32 (the expected index: the
        // window moves on at the full 32 pages). From then on as with MADV_SEQUENTIAL: faults at 32, 48, 64,
        // ..., 240. One major fault of 18: 0, 1, 16, 24 and 32..240 in steps of 16.
        var sim = Stream(MemoryBackend.FileMmap, VmaFlags.None);
        Assert.Equal(1, sim.Counter("t", VmEvent.PgMajFault));
        Assert.Equal(18, sim.Counter("t", VmEvent.PgFault));
        Assert.Equal(256 * 4, sim.Counter("t", VmEvent.PgPgIn));
    }

    private static Engine.Simulation.Simulation Mapping(uint[] trace, long pages, KernelRules rules)
    {
        var task = new TaskSpec("t", WorkloadSpec.FromTrace(trace, backend: MemoryBackend.FileMmap), pages * Page, 0, file: "data");
        var cg = new MemCgroupSpec("t", 2 * pages * Page, tasks: new[] { task });
        return Engine.Simulation.Simulation.Create(new ScenarioSpec(new[] { cg }, new RunOptions { Rules = rules, CheckInvariants = true }));
    }

    [Fact]
    public void Read_around_stops_once_a_mapping_has_missed_more_than_100_times_net()
    {
        // 102 faults 64 pages apart, nothing else cached near them: each raises mmap_miss by one. Faults 1..100
        // read 32 pages around the miss ([0, 32) for the first, [64j - 16, 64j + 16) after); the 101st and
        // 102nd find mmap_miss above MMAP_LOTSAMISS and read their page alone: 3,202 pages.
        uint[] trace = Enumerable.Range(0, 102).Select(j => (uint)(64 * j)).ToArray();
        var sim = Mapping(trace, 64 * 102, KernelRules.V6_12);
        sim.Run();
        Assert.Equal(102, sim.Counter("t", VmEvent.PgMajFault));
        Assert.Equal(3_202 * 4, sim.Counter("t", VmEvent.PgPgIn));
        Assert.Equal(102, sim.Machine.PageCache.Files[0].Readahead.MmapMiss);
    }

    [Theory]
    [InlineData(KernelRules.V6_1, false, 0)]
    [InlineData(KernelRules.V6_12, false, 0)]
    [InlineData(KernelRules.V6_1, true, 0)]
    [InlineData(KernelRules.V6_12, true, 4)]
    public void Fault_around_counts_cached_pages_as_hits_against_mmap_miss_but_from_6_10_not_workingset_ones(KernelRules rules, bool workingset, int mmapMiss)
    {
        // Four misses 64 pages apart (mmap_miss 4), each reading 32 pages around it; then a fault on page 65,
        // cached by the read-around of 64 but not mapped: fault-around sees the 16 cached pages 64..79 and
        // maps 65..79 (a minor fault). 6.1 counts each as a hit (mmap_miss 4 → 0); 6.12 skips pages with
        // PG_workingset (set here on every cached page, as a recent refault in a fault sets it).
        var sim = Mapping(new uint[] { 0, 64, 128, 192, 65 }, 256, rules);
        sim.Step(4);
        var file = sim.Machine.PageCache.Files[0];
        Assert.Equal(4, file.Readahead.MmapMiss);
        if (workingset)
        {
            for (int i = 0; i < file.Pages; i++)
            {
                uint entry = sim.Machine.PageCache.Entries[file.Base + i];
                if ((entry & Pte.Present) != 0) sim.Machine.Frames.Flags[Pte.Frame(entry)] |= Memory.PageFlags.Workingset;
            }
        }
        sim.Run();
        Assert.Equal(4, sim.Counter("t", VmEvent.PgMajFault));
        Assert.Equal(5, sim.Counter("t", VmEvent.PgFault));
        Assert.Equal(mmapMiss, file.Readahead.MmapMiss);
        Assert.Equal(4 + 15, sim.Machine.Mms[0].Rss);
    }

    [Theory]
    [InlineData(VmaFlags.None, 32, 32)]    // read-around [24, 56), all in the youngest generation (in a fault with recency)
    [InlineData(VmaFlags.SeqRead, 64, 0)]  // the 64-page window from 40, none active: no recency under MADV_SEQUENTIAL
    [InlineData(VmaFlags.RandRead, 1, 0)]  // just the page, inactive
    public void Pages_read_ahead_inside_a_fault_join_the_youngest_generation_only_on_a_mapping_with_recency(VmaFlags advice, int read, int youngest)
    {
        // One fault at page 40 of a 256-page mapping (MGLRU, room for everything, 6.12's placement: active
        // folios go to max_seq): folio_add_lru inside the fault makes every page it adds active
        // (lru_gen_in_fault), the read-around batch included.
        var task = new TaskSpec("t", WorkloadSpec.FromTrace(new uint[] { 40 }, backend: MemoryBackend.FileMmap), 256 * Page, 0, vmaFlags: advice, file: "data");
        var cg = new MemCgroupSpec("t", 1024 * Page, tasks: new[] { task });
        var sim = Engine.Simulation.Simulation.Create(new ScenarioSpec(new[] { cg }, new RunOptions { LruGenEnabled = 1, Rules = KernelRules.V6_12, CheckInvariants = true }));
        sim.Run();
        Assert.Equal(read * 4, sim.Counter("t", VmEvent.PgPgIn));
        var cache = sim.Machine.PageCache;
        var file = cache.Files.Single(f => f.Name == "data");
        int maxGen = Engine.Reclaim.Mglru.Lruvec.GenFromSeq(sim.Machine.Memcgs[1].Lruvecs[0].MaxSeq);
        int inYoungest = Enumerable.Range(0, 256).Count(i => (cache.Entries[file.Base + i] & Pte.Present) != 0
            && Memory.PageFlags.Gen(sim.Machine.Frames.Flags[Pte.Frame(cache.Entries[file.Base + i])]) == maxGen);
        Assert.Equal(youngest, inYoungest);
    }

    [Fact]
    public void Sequential_reads_miss_the_page_cache_once()
    {
        var sim = Stream(MemoryBackend.FileRead, VmaFlags.SeqRead);
        Assert.Equal(1, sim.Counter("t", VmEvent.PageCacheReadMisses));
        Assert.Equal(256 * 4, sim.Counter("t", VmEvent.PgPgIn));
        Assert.Equal(256, Stream(MemoryBackend.FileRead, VmaFlags.RandRead).Counter("t", VmEvent.PageCacheReadMisses));
    }

    [Fact]
    public void A_readahead_window_is_one_read_request_and_the_first_continues_the_demanded_page()
    {
        // read() of pages 0..11 in order, only storage costing time. Page 0 misses: one request (FileReadNs)
        // that window [0, 4) extends by pages 1..3 (FileReadPageNs each). Touching page 1 reads [4, 12), and
        // touching page 4 reads [12, 28): one request each, 7 and 15 further pages. 3 requests, 25 further pages.
        var task = new TaskSpec("t", WorkloadSpec.FromTrace(Enumerable.Range(0, 12).Select(i => (uint)i).ToArray(), 0, MemoryBackend.FileRead),
            256 * Page, 0, vmaFlags: VmaFlags.SeqRead, file: "data");
        var cg = new MemCgroupSpec("t", 1024 * Page, tasks: new[] { task });
        var costs = new CostModel { AccessNs = 0, PageCacheHitNs = 0, FileReadNs = 100_000, FileReadPageNs = 1_000 };
        var sim = Engine.Simulation.Simulation.Create(new ScenarioSpec(new[] { cg }, new RunOptions { Costs = costs }));
        sim.Run();
        Assert.Equal(28 * 4, sim.Counter("t", VmEvent.PgPgIn));
        Assert.Equal(3 * 100_000 + 25 * 1_000, sim.NowMs * 1e6, 3);
    }

    [Fact]
    public void Writes_through_a_descriptor_do_not_read_ahead()
    {
        // 64 pages written in order without advice: generic_perform_write does no readahead, so each
        // write to an uncached page misses on its own; reading them the same way misses once (windows
        // [0, 4), [4, 12), [12, 28), [28, 60), [60, 124) cut at the end of the file).
        Engine.Simulation.Simulation Run(double writeFraction)
        {
            var task = new TaskSpec("t", new WorkloadSpec(WorkloadKind.Sequential, populate: false, writeFraction: writeFraction, backend: MemoryBackend.FileRead), 64 * Page, 64, file: "data");
            var cg = new MemCgroupSpec("t", 1024 * Page, tasks: new[] { task });
            var sim = Engine.Simulation.Simulation.Create(new ScenarioSpec(new[] { cg }, new RunOptions { CheckInvariants = true }));
            sim.Run();
            return sim;
        }
        var written = Run(1.0);
        Assert.Equal(64, written.Counter("t", VmEvent.PageCacheReadMisses));
        // A whole-page write fills the new folio without reading it: nothing comes in from storage,
        // and no read request is charged (64 copies at the page-cache cost).
        Assert.Equal(0, written.Counter("t", VmEvent.PgPgIn));
        Assert.Equal(64L * new CostModel().PageCacheHitNs, written.Machine.NowNs);
        var read = Run(0.0);
        Assert.Equal(1, read.Counter("t", VmEvent.PageCacheReadMisses));
        Assert.Equal(64 * 4, read.Counter("t", VmEvent.PgPgIn));
    }

    [Fact]
    public void Readahead_pages_enter_inactive_and_unreferenced()
    {
        // One read() of page 0 (a one-access trace) asks for one page: the initial window is 4 pages and
        // page 1 carries the marker. Pages 1..3 sit in the page cache with neither PG_active nor
        // PG_referenced; page 0 was read on demand.
        var task = new TaskSpec("t", WorkloadSpec.FromTrace(new uint[] { 0 }, 0, MemoryBackend.FileRead), 256 * Page, 0, vmaFlags: VmaFlags.SeqRead, file: "data");
        var cg = new MemCgroupSpec("t", 1024 * Page, tasks: new[] { task });
        var sim = Engine.Simulation.Simulation.Create(new ScenarioSpec(new[] { cg }, new RunOptions { CheckInvariants = true }));
        sim.Run();
        Assert.Equal(4 * 4, sim.Counter("t", VmEvent.PgPgIn));
        var frames = sim.Machine.Frames;
        var cache = sim.Machine.PageCache;
        var file = cache.Files.Single(f => f.Name == "data");
        var flags = Enumerable.Range(1, 3).Select(i => frames.Flags[Pte.Frame(cache.Entries[file.Base + i])]).ToArray();
        Assert.All(flags, f => Assert.Equal(0u, f & (Memory.PageFlags.Active | Memory.PageFlags.Referenced)));
        Assert.Equal(1, file.Readahead.Marker);
    }

    [Theory]
    [InlineData(KernelRules.V6_1)]
    [InlineData(KernelRules.V6_12)]
    [InlineData(KernelRules.V6_14)]
    public void Under_memory_pressure_a_sequential_mapping_still_misses_about_once_a_pass(KernelRules rules)
    {
        // A 1,024-page file looped twice through a 256-page memcg: every window is read ahead while the
        // previous ones are reclaimed. Each pass starts with a sync miss at page 0 (evicted since); the
        // async windows stay ahead of the stream, and the invariant checker sees every marker on a cached page.
        var trace = Enumerable.Range(0, 3 * 1024).Select(i => (uint)(i % 1024)).ToArray();
        var task = new TaskSpec("t", WorkloadSpec.FromTrace(trace, 0, MemoryBackend.FileMmap), 1024 * Page, 0, vmaFlags: VmaFlags.SeqRead, file: "data");
        var cg = new MemCgroupSpec("t", 256 * Page, tasks: new[] { task });
        var sim = Engine.Simulation.Simulation.Create(new ScenarioSpec(new[] { cg }, new RunOptions { Rules = rules, CheckInvariants = true }));
        sim.Run();
        // (The pre-6.14 rules take one more synchronous miss here: 4 major faults instead of 3.)
        Assert.InRange(sim.Counter("t", VmEvent.PgMajFault), 3, 4);
        Assert.InRange(sim.Counter("t", VmEvent.PgPgIn), 3 * 1024 * 4 - 16, 3 * 1024 * 4); // each page read once a pass
    }
}
