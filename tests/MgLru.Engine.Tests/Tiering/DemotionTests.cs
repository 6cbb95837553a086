using System.Linq;
using MgLru.Engine.Memory;
using MgLru.Engine.Mm;
using MgLru.Engine.Scenario;
using MgLru.Engine.Stats;
using Xunit;

namespace MgLru.Engine.Tests.Tiering;

/// <summary>Allocation across nodes, demotion on reclaim (invariant 29), the 2018 RFC's rules, and conservation of pages.</summary>
public sealed class DemotionTests
{
    private const long Page = Scenarios.Page;

    private static Engine.Simulation.Simulation Create(ReclaimPolicy policy, bool demotion, long dramBytes, long pmemBytes, DemotionMode mode = DemotionMode.Current,
        bool check = true, long swapBytes = 1L << 28, params TaskSpec[] tasks)
        => Engine.Simulation.Simulation.Create(new ScenarioSpec(new[] { new MemCgroupSpec("a", tasks: tasks) }, new RunOptions
        {
            Policy = policy,
            Nodes = new[] { new NodeSpec(0, MemoryKind.Dram, dramBytes), new NodeSpec(1, MemoryKind.Pmem, pmemBytes) },
            Demotion = demotion,
            DemotionMode = mode,
            SwapBytes = swapBytes,
            CheckInvariants = check,
            TimeSliceAccesses = 512,
        }));

    private static TaskSpec Anon(long bytes, long accesses) => new("t", new WorkloadSpec(WorkloadKind.Zipf, 0.9), bytes, accesses);

    [Fact]
    public void Allocation_fills_the_local_node_down_to_its_low_watermark_then_falls_back_to_the_next_node()
    {
        // get_page_from_freelist: node 0 while free − 1 > low, then node 1 (its zonelist's next), no reclaim.
        var sim = Create(ReclaimPolicy.Mglru, false, 4L << 20, 16L << 20, tasks: new TaskSpec("t", new WorkloadSpec(WorkloadKind.Sequential), 8L << 20, 0));
        sim.Run();
        var nodes = sim.NodeResults();
        long dramPages = nodes[0].CapacityPages - nodes[0].WatermarkLow - 1;
        Assert.Equal(dramPages, nodes[0].ResidentPages);
        Assert.Equal(2048 - dramPages, nodes[1].ResidentPages);
        Assert.Equal(0, sim.Counter("a", VmEvent.PgScanKswapd) + sim.Counter("a", VmEvent.PgScanDirect));
        // The populate pass touched each page once, where it was placed.
        Assert.Equal(dramPages, nodes[0].Accesses);
        Assert.Equal(2048 - dramPages, nodes[1].Accesses);
        Assert.Equal((double)dramPages / 2048, nodes[0].AccessShare, 9);
    }

    [Theory]
    [InlineData(ReclaimPolicy.Mglru)]
    [InlineData(ReclaimPolicy.Classic)]
    public void With_demotion_DRAM_folios_chosen_for_reclaim_move_to_PMEM_instead_of_swap(ReclaimPolicy policy)
    {
        // Invariant 29. 48 MiB of anon over 8 MiB DRAM + 32 MiB PMEM with swap: without demotion DRAM swaps
        // its cold pages out; with it they migrate to PMEM, and pgsteal counts them: pgsteal = pswpout +
        // pgdemote exactly (anon only, nothing else to steal).
        var off = Create(policy, false, 8L << 20, 32L << 20, check: false, tasks: Anon(48L << 20, 150_000));
        off.Run();
        var on = Create(policy, true, 8L << 20, 32L << 20, check: false, tasks: Anon(48L << 20, 150_000));
        on.Run();
        var offNodes = off.NodeResults();
        var onNodes = on.NodeResults();
        Assert.Equal(0, offNodes.Sum(n => n.PgDemoteKswapd + n.PgDemoteDirect));
        Assert.True(offNodes[0].PswpOut > 0);
        long demoted = on.Counter("a", VmEvent.PgDemoteKswapd) + on.Counter("a", VmEvent.PgDemoteDirect);
        Assert.True(demoted > 1000, $"demoted {demoted}");
        Assert.Equal(demoted, onNodes[0].PgDemoteKswapd + onNodes[0].PgDemoteDirect);
        Assert.Equal(0, onNodes[1].PgDemoteKswapd + onNodes[1].PgDemoteDirect); // the last tier has nowhere to demote to
        // Not none: PMEM's kswapd swaps out slower than DRAM's demotes, so at times PMEM sits at its min
        // watermark, the demotion's allocation fails and the folio is swapped from DRAM after all.
        Assert.True(onNodes[0].PswpOut < offNodes[0].PswpOut / 3, $"DRAM swapped {onNodes[0].PswpOut} with demotion, {offNodes[0].PswpOut} without");
        long steal = on.Counter("a", VmEvent.PgStealKswapd) + on.Counter("a", VmEvent.PgStealDirect);
        Assert.Equal(on.Counter("a", VmEvent.PswpOut) + demoted, steal);
    }

    [Fact]
    public void A_demoted_folio_lands_on_the_target_lruvec_and_keeps_its_mapping()
    {
        // Small enough to check every invariant after each step (PTE ↔ frame ↔ lruvec node, per-node free counts).
        var sim = Create(ReclaimPolicy.Mglru, true, 2L << 20, 8L << 20, tasks: Anon(12L << 20, 20_000));
        sim.Run();
        var nodes = sim.NodeResults();
        Assert.True(nodes[0].PgDemoteKswapd + nodes[0].PgDemoteDirect > 0);
        // Every PTE of the task maps a frame whose lruvec is that of the frame's node.
        var m = sim.Machine;
        var mm = m.Mms[0];
        int onPmem = 0;
        for (int v = mm.Base; v < mm.Base + mm.Pages; v++)
        {
            uint pte = m.PageTables.Ptes[v];
            if (!Pte.IsPresent(pte)) continue;
            int f = Pte.Frame(pte);
            Assert.Equal(v, m.Frames.Rmap[f]);
            if (m.Frames.NodeOf(f) == 1) onPmem++;
        }
        Assert.Equal(nodes[1].AnonPages, onPmem);
    }

    [Theory]
    [InlineData(DemotionMode.Current)]
    [InlineData(DemotionMode.Rfc2018)]
    public void The_2018_RFC_demotes_anon_only_never_page_cache_or_lazy_free_pages(DemotionMode mode)
    {
        // One task: 8 MiB of anon, 8 MiB of anon freed with MADV_FREE after the populate pass, and a 16 MiB
        // file read through a descriptor, over 4 MiB DRAM + 8 MiB PMEM. Current kernels demote whatever
        // reclaim picks on DRAM; the RFC demotes swap-backed anon only: page cache is dropped and clean
        // lazy-free pages are discarded (both file-LRU pages, counted as DemotedFile when demoted).
        var task = new TaskSpec("t", new WorkloadSpec(WorkloadKind.Zipf, 0.9, writeFraction: 0.3), 8L << 20, 40_000, mappings: new[]
        {
            new VmaSpec(MemoryBackend.Anon, 8L << 20, flags: VmaFlags.LazyFree, writeFraction: 0.0),
            new VmaSpec(MemoryBackend.FileRead, 16L << 20),
        });
        var sim = Create(ReclaimPolicy.Mglru, true, 4L << 20, 8L << 20, mode, check: false, tasks: task);
        sim.Run();
        var dram = sim.NodeResults()[0];
        Assert.True(dram.DemotedAnon > 0);
        Assert.Equal(dram.PgDemoteKswapd + dram.PgDemoteDirect, dram.DemotedAnon + dram.DemotedFile);
        Assert.True(sim.Counter("a", VmEvent.PgLazyFreed) > 0);
        if (mode == DemotionMode.Rfc2018) Assert.Equal(0, dram.DemotedFile);
        else Assert.True(dram.DemotedFile > 0);
    }

    [Fact]
    public void Under_the_RFC_DRAM_anon_is_demoted_and_PMEM_swaps()
    {
        var sim = Create(ReclaimPolicy.Mglru, true, 8L << 20, 16L << 20, DemotionMode.Rfc2018, check: false, tasks: Anon(40L << 20, 100_000));
        sim.Run();
        var nodes = sim.NodeResults();
        Assert.True(nodes[0].PgDemoteKswapd + nodes[0].PgDemoteDirect > 0);
        Assert.True(nodes[1].PswpOut > 0);
    }

    [Theory]
    [InlineData(ReclaimPolicy.Mglru)]
    [InlineData(ReclaimPolicy.Classic)]
    public void No_page_is_lost_or_duplicated_while_pages_migrate_between_nodes(ReclaimPolicy policy)
    {
        // Conservation at every step: after the populate pass every page of the anon task is resident on
        // some node or in swap, exactly once (rss + swap entries = pages), and the frames in use on both
        // nodes are exactly the memcg's charge.
        var task = new TaskSpec("t", new WorkloadSpec(WorkloadKind.Zipf, 0.8), 6L << 20, 20_000);
        var sim = Create(policy, true, 2L << 20, 3L << 20, tasks: task);
        var mm = sim.Machine.Mms[0];
        sim.Step(mm.Pages);
        while (!sim.Finished)
        {
            sim.Step(1000);
            Assert.Equal(mm.Pages, mm.Rss + mm.SwapEntries);
            var nodes = sim.NodeResults();
            Assert.Equal(sim.Machine.Memcgs[1].Usage, nodes.Sum(n => n.ResidentPages));
        }
        Assert.True(sim.Counter("a", VmEvent.PgDemoteKswapd) + sim.Counter("a", VmEvent.PgDemoteDirect) > 0);
    }

    [Fact]
    public void Debugfs_shows_every_node_of_every_memcg()
    {
        var sim = Create(ReclaimPolicy.Mglru, true, 2L << 20, 4L << 20, tasks: Anon(8L << 20, 5_000));
        sim.Run();
        string text = sim.LruGenText();
        Assert.Equal(4, text.Split('\n').Count(l => l.StartsWith(" node ")));
        Assert.Contains(" node     1\n", text);
        sim.WriteLruGen("+ 2 1 " + sim.Machine.Memcgs[1].Lruvecs[1].MaxSeq);
        var ex = Assert.Throws<Engine.Debugfs.KernelWriteException>(() => sim.WriteLruGen("+ 2 2 3"));
        Assert.Equal("EINVAL", ex.Errno);
    }
}

/// <summary>MADV_FREE (reference §2.1 type rules): clean lazy-free pages are discarded by reclaim, re-dirtied ones become anon again.</summary>
public sealed class LazyFreeTests
{
    private const long Page = Scenarios.Page;

    private static Engine.Simulation.Simulation Create(ReclaimPolicy policy, long swapBytes, RunOptions? extra = null)
    {
        // "buf" stores to its 32 pages (populate) and frees them with MADV_FREE; its thread "user" then
        // stores to pages 0..7 again.
        var buf = new TaskSpec("buf", new WorkloadSpec(WorkloadKind.Sequential), 32 * Page, 0, vmaFlags: VmaFlags.LazyFree);
        var user = new TaskSpec("user", new WorkloadSpec(WorkloadKind.Sequential, populate: false), 32 * Page, 8, shareMmWith: "buf");
        return Engine.Simulation.Simulation.Create(new ScenarioSpec(new[] { new MemCgroupSpec("a", tasks: new[] { buf, user }) }, new RunOptions
        {
            Policy = policy,
            SwapBytes = swapBytes,
            CheckInvariants = true,
            TimeSliceAccesses = 64,
        }));
    }

    [Theory]
    [InlineData(ReclaimPolicy.Mglru, 0)]
    [InlineData(ReclaimPolicy.Mglru, 1 << 24)]
    [InlineData(ReclaimPolicy.Classic, 0)]
    [InlineData(ReclaimPolicy.Classic, 1 << 24)]
    public void Reclaim_discards_clean_lazy_free_pages_and_keeps_redirtied_ones(ReclaimPolicy policy, long swapBytes)
    {
        var sim = Create(policy, swapBytes);
        sim.Run();
        var mm = sim.Machine.Mms[0];
        // After MADV_FREE all 32 are lazy-free (file LRU); the 8 stores dirtied their PTEs again.
        Assert.Equal(32, sim.MemoryStat("a").Single(e => e.Key == "file").Value / Page);
        // memory.reclaim of 24 pages: exactly the clean ones go, without swap, with or without a swap device.
        sim.WriteMemoryReclaim("a", (24 * Page).ToString(System.Globalization.CultureInfo.InvariantCulture));
        Assert.Equal(24, sim.Counter("a", VmEvent.PgLazyFreed));
        Assert.Equal(0, sim.Counter("a", VmEvent.PswpOut));
        Assert.Equal(8, mm.Rss);
        Assert.Equal(0, mm.SwapEntries);
        for (int i = 0; i < 32; i++)
            Assert.Equal(i < 8, Pte.IsPresent(sim.Machine.PageTables.Ptes[mm.Base + i]));
        if (swapBytes == 0) return;
        // The re-dirtied eight were made swap-backed anon again: reclaiming them swaps them out (once the
        // stats reclaim reads are fresh: ≥6.12 classic deactivates by the flushed list sizes).
        _ = sim.MemoryStat("a");
        sim.WriteMemoryReclaim("a", (8 * Page).ToString(System.Globalization.CultureInfo.InvariantCulture));
        Assert.Equal(8, sim.Counter("a", VmEvent.PswpOut));
        Assert.Equal(24, sim.Counter("a", VmEvent.PgLazyFreed));
        Assert.Equal(8, mm.SwapEntries);
    }
}

/// <summary>Walkers and look-around on several nodes: a lruvec ages only its own node's folios (invariant 11).</summary>
public sealed class NodeWalkTests
{
    [Theory]
    [InlineData(KernelRules.V6_14)]
    [InlineData(KernelRules.V6_12)]
    [InlineData(KernelRules.V6_1)]
    public void Page_table_walks_leave_folios_of_other_nodes_alone_and_every_invariant_holds(KernelRules rules)
    {
        // One mm whose pages sit on both nodes (DRAM fills first, the rest spills to PMEM); walks of the
        // DRAM lruvec see young PTEs of PMEM folios and must leave them (and their young bits) alone.
        var task = new TaskSpec("t", new WorkloadSpec(WorkloadKind.Zipf, 0.8), 6L << 20, 30_000);
        var sim = Engine.Simulation.Simulation.Create(new ScenarioSpec(new[] { new MemCgroupSpec("a", 5L << 20, tasks: new[] { task }) }, new RunOptions
        {
            Rules = rules,
            LruGenEnabled = 7,
            Nodes = new[] { new NodeSpec(0, MemoryKind.Dram, 2L << 20), new NodeSpec(1, MemoryKind.Pmem, 4L << 20) },
            Demotion = true,
            SwapBytes = 64L << 20,
            CheckInvariants = true,
            TimeSliceAccesses = 500,
        }));
        sim.Run();
        Assert.True(sim.Counter("a", VmEvent.WalkPteTables) > 0);
        var m = sim.Machine;
        var dram = m.Memcgs[1].Lruvecs[0];
        var mm = m.Mms[0];
        // Populate, touch every PMEM page again, then age the DRAM lruvec by a forced full walk.
        for (int v = mm.Base; v < mm.Base + mm.Pages; v++)
            if (Pte.IsPresent(m.PageTables.Ptes[v])) m.PageTables.Ptes[v] |= Pte.Young;
        long youngPmemBefore = Enumerable.Range(mm.Base, mm.Pages).Count(v => Pte.IsPresent(m.PageTables.Ptes[v]) && m.Frames.NodeOf(Pte.Frame(m.PageTables.Ptes[v])) == 1);
        sim.WriteLruGen($"+ 2 0 {dram.MaxSeq}");
        long youngPmemAfter = Enumerable.Range(mm.Base, mm.Pages).Count(v => (m.PageTables.Ptes[v] & (Pte.Present | Pte.Young)) == (Pte.Present | Pte.Young) && m.Frames.NodeOf(Pte.Frame(m.PageTables.Ptes[v])) == 1);
        Assert.True(youngPmemBefore > 0);
        Assert.Equal(youngPmemBefore, youngPmemAfter);
        sim.CheckInvariants();
    }
}
