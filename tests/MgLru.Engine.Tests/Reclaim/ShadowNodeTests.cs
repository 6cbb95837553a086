using System.Linq;
using MgLru.Engine.Scenario;
using MgLru.Engine.Stats;
using Xunit;

namespace MgLru.Engine.Tests.Reclaim;

/// <summary>The page cache's xa_nodes of shadow entries and the shrinker that trims them (mm/workingset.c).</summary>
public sealed class ShadowNodeTests
{
    private static Engine.Simulation.Simulation Create(long filePages, long limitPages, KernelRules rules = KernelRules.V6_12, long reads = 0,
        long[]? memoryStatReads = null, bool check = true, long overheadPages = 0)
    {
        var task = new TaskSpec("reader", new WorkloadSpec(WorkloadKind.Sequential, populate: false, backend: MemoryBackend.FileRead), filePages * Scenarios.Page, reads,
            memoryStatReads: memoryStatReads);
        var cg = new MemCgroupSpec("t", limitPages * Scenarios.Page, tasks: new[] { task }, overheadBytes: overheadPages * Scenarios.Page);
        return Engine.Simulation.Simulation.Create(new ScenarioSpec(new[] { cg }, new RunOptions
        {
            Policy = ReclaimPolicy.Mglru,
            Rules = rules,
            CheckInvariants = check,
            TimeSliceAccesses = 64,
            // A run of well under a millisecond: the periodic stats flush (every 2 s, at a seed-drawn
            // phase) does not happen inside it, so only memory.stat reads flush.
            Costs = new CostModel { FileReadNs = 10, PageCacheHitNs = 10, AccessNs = 1 },
        }));
    }

    [Fact]
    public void A_node_is_listed_while_it_holds_shadows_only_and_the_oldest_goes_first()
    {
        var sim = Create(filePages: 1024, limitPages: 256);
        var cache = sim.Machine.PageCache;
        for (int slot = 0; slot < 128; slot++) cache.Store(slot, frame: slot, memcg: 1);
        Assert.Equal(2, cache.AllocatedNodes(1));
        Assert.Equal(0, cache.ShadowNodes(1));
        for (int slot = 0; slot < 64; slot++) cache.Evict(slot, shadow: 100UL + (ulong)slot);
        Assert.Equal(1, cache.ShadowNodes(1)); // node 0: 64 shadows, no page
        for (int slot = 64; slot < 128; slot++) cache.Evict(slot, shadow: 100UL + (ulong)slot);
        Assert.Equal(2, cache.ShadowNodes(1));
        Assert.Null(cache.CheckNodes());

        // A refault puts a page back into node 0: it leaves the list, its other 63 shadows stay.
        Assert.Equal(105UL, cache.Store(5, frame: 5, memcg: 1));
        Assert.Equal(1, cache.ShadowNodes(1));
        // The shrinker takes the oldest listed node: node 1 (node 0 left the list).
        Assert.Equal(64, cache.ReclaimOldestShadowNode(1));
        Assert.True(Enumerable.Range(64, 64).All(slot => cache.Shadows[slot] == 0));
        Assert.Equal(106UL, cache.Shadows[6]);
        Assert.Equal(1, cache.AllocatedNodes(1)); // node 1 freed with its shadows
        Assert.Equal(0, cache.ShadowNodes(1));

        // The page leaves without a shadow: node 0 holds shadows only again and rejoins the list's tail.
        cache.Evict(5, shadow: 0);
        Assert.Equal(1, cache.ShadowNodes(1));
        Assert.Equal(64, cache.DroppedShadows);
        Assert.Null(cache.CheckNodes());
    }

    [Theory]
    [InlineData(0, new long[] { 616, 232, 104, 104, 0 })]
    [InlineData(12, new long[] { 616, 360, 232, 232, 232 })]
    public void The_shrinker_frees_half_the_excess_in_batches_of_128_and_defers_the_rest(int priority, long[] expectedLeft)
    {
        // 1,000 shadow-only nodes and no LRU pages: the budget is the nodes' own slab (576 B each) >> 3.
        // total_scan = (nr_deferred >> priority) + excess / 2, at most twice the excess; whole batches of 128,
        // or less only if that covers the whole excess; nr_deferred += delta − scanned.
        // Priority 0 (the deferred work counts in full):
        // Call 1: slab 1000*576/4096 = 140 pages, budget 17, excess 983, delta 491: three batches of 128
        //         (107 left < 128 and < 983), 107 deferred.
        // Call 2: 616 nodes, slab 86, budget 10, excess 606, 107 + 303 = 410 to scan: three batches, 26 deferred.
        // Call 3: 232 nodes, slab 32, budget 4, excess 228, 26 + 114 = 140: one batch, 12 deferred.
        // Call 4: 104 nodes, slab 14, budget 1, excess 103, 12 + 51 = 63 < 103: nothing, 63 deferred.
        // Call 5: 63 + 51 = 114 >= 103: one batch of 114 empties the list.
        // Priority 12 (DEF_PRIORITY; the deferred work, below 4,096, counts for nothing):
        // Call 1 as above. Call 2: 303 to scan: two batches, 360 left. Call 3: slab 50, budget 6, excess
        // 354, 177: one batch, 232 left. Then excess 228, 114 < 128: nothing, however often it is called.
        var sim = Create(filePages: 64_000, limitPages: 256);
        var cache = sim.Machine.PageCache;
        var memcg = sim.Machine.Memcgs[1];
        for (int slot = 0; slot < 64_000; slot++)
        {
            cache.Store(slot, frame: 0, memcg: 1);
            cache.Evict(slot, shadow: 1);
        }
        Assert.Equal(1000, cache.ShadowNodes(1));
        foreach (long left in expectedLeft)
        {
            sim.LruPolicy.ShrinkSlab(memcg, priority);
            Assert.Equal(left, cache.ShadowNodes(1));
        }
        Assert.Equal(1000 - expectedLeft[^1], sim.Counter("t", VmEvent.WorkingsetNodeReclaim));
        Assert.Equal(64 * (1000 - expectedLeft[^1]), cache.DroppedShadows);
        Assert.Null(cache.CheckNodes());
    }

    [Theory]
    [InlineData(1_536, false)]  // 20 nodes of shadows at most: within the budget of a 256-page memcg (about 32)
    [InlineData(16_384, false)] // 252 nodes: over the budget by less than two batches, which reclaim at the default priority leaves
    [InlineData(32_768, true)]  // 508 nodes: trimmed
    public void Every_shadow_is_consumed_by_a_refault_dropped_with_its_node_or_still_there(int filePages, bool trimmed)
    {
        // Two sequential passes through a descriptor. Under V6_12 every refault that finds its shadow is
        // counted, so evictions (each leaves a shadow) = refaults + shadows dropped + shadows left. A
        // memory.stat read once the memcg is full flushes its stats, so the budget sees its 256 pages.
        // Invariants checked after every step on the small cases only (the large ones would take seconds).
        var sim = Create(filePages, limitPages: 256, reads: 2L * filePages, memoryStatReads: new long[] { 256 }, check: filePages < 10_000);
        sim.Run();
        var cache = sim.Machine.PageCache;
        long left = cache.Shadows.LongCount(s => s != 0);
        long evicted = sim.Counter("t", VmEvent.PgStealFile);
        long refaults = sim.Counter("t", VmEvent.WorkingsetRefaultFile);
        Assert.Equal(evicted, refaults + cache.DroppedShadows + left);
        Assert.Equal(trimmed, sim.Counter("t", VmEvent.WorkingsetNodeReclaim) > 0);
        Assert.Equal(cache.DroppedShadows, 64 * sim.Counter("t", VmEvent.WorkingsetNodeReclaim)); // sequential eviction empties whole nodes
        // A loop larger than memory: every read of the second pass refaults (the first pass's tail is gone
        // before the second reaches it), and without trimming every one finds its shadow.
        if (!trimmed) Assert.Equal(filePages, refaults);
        else Assert.True(refaults < filePages * 3 / 4, $"{refaults} refaults: trimmed shadows cannot refault");
    }

    [Fact]
    public void Under_612_the_budget_comes_from_flushed_stats_so_shadows_evicted_before_a_flush_are_trimmed()
    {
        // 24,576 pages read twice through a 4,096-page memcg: at most 320 shadow-only nodes, within a budget
        // of 4,096 >> 3 = 512 nodes. 6.1 sums exact counters: nothing is trimmed and (6.1 counting only recent
        // refaults) no node is reclaimed. 6.12 reads the rstat copy, which no flush has filled: budget 0, so
        // once the excess reaches two batches (256 nodes) reclaim trims it by half, and the second pass finds
        // fewer shadows. A memory.stat read once the memcg is full flushes it, and 6.12 then keeps every
        // shadow like 6.1.
        const int File = 24_576, Limit = 4_096;
        var v61 = Create(File, Limit, KernelRules.V6_1, reads: 2 * File, check: false);
        v61.Run();
        Assert.Equal(0, v61.Counter("t", VmEvent.WorkingsetNodeReclaim));

        var stale = Create(File, Limit, KernelRules.V6_12, reads: 2 * File, check: false);
        stale.Run();
        long refaults = stale.Counter("t", VmEvent.WorkingsetRefaultFile);
        long left = stale.Machine.PageCache.Shadows.LongCount(s => s != 0);
        Assert.Equal(stale.Counter("t", VmEvent.PgStealFile), refaults + stale.Machine.PageCache.DroppedShadows + left);
        Assert.True(stale.Counter("t", VmEvent.WorkingsetNodeReclaim) >= 128, $"{stale.Counter("t", VmEvent.WorkingsetNodeReclaim)} nodes reclaimed");
        Assert.True(refaults < File * 3 / 4, $"{refaults} refaults");

        var flushed = Create(File, Limit, KernelRules.V6_12, reads: 2 * File, memoryStatReads: new long[] { Limit }, check: false);
        flushed.Run();
        Assert.Equal(0, flushed.Counter("t", VmEvent.WorkingsetNodeReclaim));
        Assert.Equal(File, flushed.Counter("t", VmEvent.WorkingsetRefaultFile));
    }

    [Theory]
    [InlineData(0, 128)]
    [InlineData(1_024, 0)]
    public void The_program_s_own_memory_counts_in_the_budget_as_the_LRU_and_slab_pages_it_is(long overheadPages, long nodesReclaimed)
    {
        // One pass of 24,576 pages through a 4,096-page memcg under 6.12, whose stats are flushed once, by a
        // memory.stat read before the first access (as memwl does): the budget is then what the memcg held,
        // the charged overhead, >> 3. The pass leaves 320 + overhead / 64 shadow-only nodes. With no overhead
        // the budget is 0 and the excess reaches two batches at 256 nodes: one cut of 128. With 1,024 pages
        // of overhead (budget 128 nodes) it would need 384 nodes: none.
        var sim = Create(24_576, 4_096, KernelRules.V6_12, reads: 24_576, memoryStatReads: new long[] { 0 }, check: false, overheadPages: overheadPages);
        sim.Run();
        Assert.Equal(nodesReclaimed, sim.Counter("t", VmEvent.WorkingsetNodeReclaim));
    }
}
