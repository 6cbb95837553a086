using System.Linq;
using MgLru.Engine.Memory;
using MgLru.Engine.Mm;
using MgLru.Engine.Reclaim.Mglru;
using MgLru.Engine.Scenario;
using MgLru.Engine.Stats;
using Xunit;

namespace MgLru.Engine.Tests.AddressSpace;

/// <summary>Address spaces with several VMAs: each access is applied as its VMA says; private file mappings copy on write; walks go VMA by VMA and level by level.</summary>
public sealed class VmaTests
{
    private const long Page = Scenarios.Page;

    private static Engine.Simulation.Simulation Create(RunOptions options, params TaskSpec[] tasks)
        => Engine.Simulation.Simulation.Create(new ScenarioSpec(new[] { new MemCgroupSpec("t", tasks: tasks) }, options));

    private static RunOptions Options(long swapBytes = 1 << 24, ReclaimPolicy policy = ReclaimPolicy.Mglru) => new()
    {
        Policy = policy,
        LruGenEnabled = 7,
        SwapBytes = swapBytes,
        CheckInvariants = true,
        TimeSliceAccesses = 8,
    };

    private static long Stat(Engine.Simulation.Simulation sim, string key) => sim.MemoryStat("t").Single(e => e.Key == key).Value / Page;

    [Fact]
    public void Each_access_of_a_mixed_task_is_applied_as_its_VMA_says()
    {
        // 8 anon pages, then 8 pages of a shared file mapping, then 8 pages of a file read through a
        // descriptor. The populate pass touches all 24 in order: 8 anonymous faults; the file mapping's
        // first fault reads it in (major) with the rest of its 8 pages around it (read-around), and the next
        // fault maps those (fault-around); read() misses once and reads ahead (windows [0, 4), then [4, 12)
        // from the marked page 1). The second pass hits everywhere.
        var task = new TaskSpec("mixed", new WorkloadSpec(WorkloadKind.Sequential), 8 * Page, 24,
            mappings: new[] { new VmaSpec(MemoryBackend.FileMmap, 8 * Page), new VmaSpec(MemoryBackend.FileRead, 8 * Page) });
        Assert.Equal(24, task.Pages);
        var sim = Create(Options(), task);
        sim.Run();
        Assert.Equal(48, sim.Counter("t", VmEvent.Accesses));
        Assert.Equal(10, sim.Counter("t", VmEvent.PgFault));
        Assert.Equal(1, sim.Counter("t", VmEvent.PgMajFault));
        Assert.Equal(1, sim.Counter("t", VmEvent.PageCacheReadMisses));
        Assert.Equal(8, Stat(sim, "anon"));
        Assert.Equal(16, Stat(sim, "file"));
        Assert.Equal(8, Stat(sim, "file_mapped")); // the descriptor-read pages are cached, not mapped
        var mm = sim.Machine.Mms[0];
        Assert.Equal(16, mm.Rss); // the fd-read pages are cached, not mapped
        Assert.Equal(new[] { MemoryBackend.Anon, MemoryBackend.FileMmap, MemoryBackend.FileRead }, mm.Vmas.Select(v => v.Backend));
        Assert.Equal(new[] { 0, 8, 16 }, mm.Vmas.Select(v => v.Start - mm.Base)); // VMAs tile the mm; two share a PTE table
    }

    [Fact]
    public void Loads_of_a_private_mapping_share_the_page_cache_and_stores_copy_the_page()
    {
        // "reader" maps lib private and loads its 8 pages (read-only PTEs on page-cache pages: one major
        // fault reads all 8 around it, one minor fault maps the other 7 by fault-around). Its thread "writer"
        // then stores to all 8: write-protect faults copy each into a private anonymous page. "viewer" maps
        // lib shared afterwards: one minor fault maps the 8 cached pages, which the copies did not disturb.
        var reader = new TaskSpec("reader", new WorkloadSpec(WorkloadKind.Sequential, backend: MemoryBackend.FilePrivate), 8 * Page, 0, file: "lib");
        var writer = new TaskSpec("writer", new WorkloadSpec(WorkloadKind.Sequential, populate: false, writeFraction: 1.0, backend: MemoryBackend.FilePrivate), 8 * Page, 8, shareMmWith: "reader");
        var viewer = new TaskSpec("viewer", new WorkloadSpec(WorkloadKind.Sequential, backend: MemoryBackend.FileMmap), 8 * Page, 0, file: "lib");
        var sim = Create(Options(), reader, writer, viewer);
        sim.Step(8);
        var pt = sim.Machine.PageTables;
        var readerMm = sim.Machine.Mms[0];
        for (int v = readerMm.Base; v < readerMm.Base + 8; v++)
        {
            Assert.NotEqual(0u, pt.Ptes[v] & Pte.ReadOnly);
            Assert.Equal(0u, sim.Machine.Frames.Flags[Pte.Frame(pt.Ptes[v])] & PageFlags.SwapBacked);
        }
        sim.Run();
        Assert.Equal(2 + 8 + 1, sim.Counter("t", VmEvent.PgFault));
        Assert.Equal(1, sim.Counter("t", VmEvent.PgMajFault));
        Assert.Equal(8, Stat(sim, "anon"));
        Assert.Equal(8, Stat(sim, "file"));
        var viewerMm = sim.Machine.Mms[1];
        for (int i = 0; i < 8; i++)
        {
            uint copy = pt.Ptes[readerMm.Base + i], cached = pt.Ptes[viewerMm.Base + i];
            Assert.Equal(0u, copy & Pte.ReadOnly);
            Assert.NotEqual(0u, sim.Machine.Frames.Flags[Pte.Frame(copy)] & PageFlags.SwapBacked);
            Assert.Equal(0u, sim.Machine.Frames.Flags[Pte.Frame(cached)] & PageFlags.SwapBacked);
            Assert.Equal(sim.Machine.PageCache.Entries[sim.Machine.PageCache.Files[0].Base + i], Pte.MakePresent(Pte.Frame(cached)));
        }
        Assert.Equal(8, readerMm.Rss);
        Assert.Equal(8, viewerMm.Rss);
    }

    [Fact]
    public void A_first_store_to_a_private_mapping_reads_the_page_in_and_copies_it()
    {
        // do_cow_fault: the file page is read into the page cache, then copied; the cached page stays,
        // unmapped. The first store's fault reads around it (the whole 8-page file: a major fault); the other
        // seven find their pages cached (minor faults that copy).
        var task = new TaskSpec("cow", new WorkloadSpec(WorkloadKind.Sequential, writeFraction: 1.0, backend: MemoryBackend.FilePrivate), 8 * Page, 0);
        var sim = Create(Options(), task);
        sim.Run();
        Assert.Equal(8, sim.Counter("t", VmEvent.PgFault));
        Assert.Equal(1, sim.Counter("t", VmEvent.PgMajFault));
        Assert.Equal(8, Stat(sim, "anon"));
        Assert.Equal(8, Stat(sim, "file"));
        Assert.Equal(0, Stat(sim, "file_mapped"));
        Assert.Equal(8 * 4, sim.Counter("t", VmEvent.PgPgIn)); // in KiB
    }

    [Fact]
    public void The_walk_skips_a_VMA_without_recency_but_walks_its_neighbour_in_the_same_mm()
    {
        // One PTE table of anon memory, then one of a MADV_RANDOM file mapping: a forced full walk scans
        // the 512 anon PTEs only (should_skip_vma is per VMA).
        var task = new TaskSpec("t", new WorkloadSpec(WorkloadKind.Sequential), 512 * Page, 0,
            mappings: new[] { new VmaSpec(MemoryBackend.FileMmap, 512 * Page, flags: VmaFlags.RandRead) });
        var sim = Create(Options(), task);
        sim.Run();
        sim.WriteLruGen("+ 2 0 3");
        Assert.Equal(512, sim.Counter("t", VmEvent.WalkPtes));
        Assert.Equal(512, sim.Counter("t", VmEvent.WalkYoungPtes));
    }

    [Theory]
    [InlineData(1 << 24, 512)]
    [InlineData(0, 0)]
    public void Copies_in_a_file_VMA_are_walked_only_when_anon_can_be_swapped(long swapBytes, long youngFound)
    {
        // get_pfn_folio: a file VMA is walked whether or not there is swap, but the anonymous copies in it
        // (all 512 pages were stored to) are taken only when anon is evictable; otherwise they stay young.
        var task = new TaskSpec("t", new WorkloadSpec(WorkloadKind.Sequential, writeFraction: 1.0, backend: MemoryBackend.FilePrivate), 512 * Page, 0);
        var sim = Create(Options(swapBytes), task);
        sim.Run();
        sim.WriteLruGen("+ 2 0 3");
        Assert.Equal(512, sim.Counter("t", VmEvent.WalkPtes));
        Assert.Equal(youngFound, sim.Counter("t", VmEvent.WalkYoungPtes));
        var mm = sim.Machine.Mms[0];
        Assert.Equal(youngFound == 0, (sim.Machine.PageTables.Ptes[mm.Base] & Pte.Young) != 0);
    }

    [Fact]
    public void A_walk_skips_absent_PUD_entries_and_counts_absent_PMD_entries_as_leaves()
    {
        // A 2 GiB anon VMA (two PUD entries) of which only page 0 was touched: one PTE table exists. The
        // full walk visits PUD 0 (PMD 0 present: 512 leaves; 511 absent PMDs: one leaf each) and skips
        // PUD 1 whole: 1023 leaves, not the 1535 a walk of every PMD entry would count.
        var task = new TaskSpec("t", new WorkloadSpec(WorkloadKind.Sequential, populate: false), 2L << 30, 1);
        var sim = Create(Options(), task);
        sim.Run();
        sim.WriteLruGen("+ 2 0 3");
        var stats = sim.Machine.Memcgs[1].Lruvecs[0].MmStats;
        Assert.Equal(1023, stats[(int)MmStat.LeafTotal]);
        Assert.Equal(1, stats[(int)MmStat.NonleafTotal]);
        Assert.Equal(1, stats[(int)MmStat.LeafYoung]);
        Assert.Equal(512, sim.Counter("t", VmEvent.WalkPtes));
        Assert.True(sim.Machine.PageTables.PudPresent[sim.Machine.Mms[0].Base / (512 * 512)]);
        Assert.False(sim.Machine.PageTables.PudPresent[sim.Machine.Mms[0].Base / (512 * 512) + 1]);
    }

    [Theory]
    [InlineData(ReclaimPolicy.Mglru)]
    [InlineData(ReclaimPolicy.Classic)]
    [InlineData(ReclaimPolicy.Lru)]
    public void Under_pressure_a_mixed_task_keeps_every_invariant_and_exits_cleanly(ReclaimPolicy policy)
    {
        // Anon, shared and private mappings of one file and a descriptor read of another, in a memcg a
        // third of the footprint: reclaim swaps copies and anon out, drops and refaults file pages, and
        // the invariant checker (PTE ↔ page cache ↔ rmap) runs after every fault.
        var task = new TaskSpec("mixed", new WorkloadSpec(WorkloadKind.Zipf, writeFraction: 0.2), 96 * Page, 6000,
            mappings: new[]
            {
                new VmaSpec(MemoryBackend.FileMmap, 64 * Page, file: "data", writeFraction: 0.1),
                new VmaSpec(MemoryBackend.FilePrivate, 64 * Page, file: "data", writeFraction: 0.3),
                new VmaSpec(MemoryBackend.FileRead, 64 * Page, file: "log"),
            });
        var options = Options(policy: policy);
        var sim = Engine.Simulation.Simulation.Create(new ScenarioSpec(new[] { new MemCgroupSpec("t", 96 * Page, tasks: new[] { task }) }, options));
        sim.Run();
        Assert.True(sim.Counter("t", VmEvent.PswpOut) > 0);
        Assert.True(sim.Counter("t", VmEvent.WorkingsetRefaultFile) > 0);
        Assert.True(sim.Counter("t", VmEvent.PageCacheReadMisses) > 64);
        sim.CheckInvariants();
        var r = sim.Results().Single();
        Assert.Equal(6000 + 288, r.Accesses);
    }
}
