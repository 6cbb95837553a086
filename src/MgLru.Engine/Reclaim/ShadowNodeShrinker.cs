using MgLru.Engine.Cgroup;
using MgLru.Engine.Mm;
using MgLru.Engine.Scenario;
using MgLru.Engine.Simulation;
using MgLru.Engine.Stats;

namespace MgLru.Engine.Reclaim;

/// <summary>
/// mm/workingset.c's "mm-shadow" shrinker, run by shrink_slab after every shrink of a memcg's lruvec:
/// page-cache xa_nodes that hold only shadow entries may number at most an eighth of the memcg's LRU
/// and slab pages (count_shadow_nodes: pages >> (XA_CHUNK_SHIFT - 3)); each call asks to free half of
/// the excess (do_shrink_slab with seeks = 0) plus the work carried over from earlier calls scaled down by
/// the reclaim priority (nr_deferred >> priority, the deferred count capped at twice the excess), oldest
/// node first, in batches of SHRINK_BATCH; less than a batch is done only if it covers the whole excess.
/// So at the default priority an excess below two batches (256 nodes, 16k shadows) stays. A refault whose
/// shadow went with its node is no refault. Anon shadows are not trimmed: the swap cache's nodes are
/// not kmem-accounted, so they sit on the root's list, which memcg reclaim never shrinks.
/// The list is kept per memcg (the kernel keeps one per memcg and NUMA node; the simulator's page
/// cache nodes have no NUMA home).
/// </summary>
internal sealed class ShadowNodeShrinker
{
    private const int ShrinkBatch = 128;

    private readonly Machine _m;
    private readonly LruPolicy _policy;
    private long[] _deferred = System.Array.Empty<long>();

    public ShadowNodeShrinker(Machine m, LruPolicy policy)
    {
        _m = m;
        _policy = policy;
    }

    /// <summary>count_shadow_nodes: shadow-only nodes beyond the memcg's budget (0 when within it).</summary>
    public long Freeable(MemCgroup memcg)
    {
        var cache = _m.PageCache;
        long nodes = cache.ShadowNodes(memcg.Index);
        if (nodes == 0) return 0;
        long maxNodes = _policy.ShadowBudgetPages(memcg) >> (PageCache.XaChunkShift - 3);
        return nodes > maxNodes ? nodes - maxNodes : 0;
    }

    /// <summary>do_shrink_slab of the shadow-node shrinker for one memcg at the reclaim's priority; returns the nodes freed.</summary>
    public long Shrink(MemCgroup memcg, int priority)
    {
        long freeable = Freeable(memcg);
        if (freeable == 0) return 0;
        if (_deferred.Length <= memcg.Index) System.Array.Resize(ref _deferred, _m.Memcgs.Count);
        long deferred = _deferred[memcg.Index];
        _deferred[memcg.Index] = 0;
        long delta = freeable / 2; // seeks == 0: trim aggressively, the objects cost no I/O to recreate
        long totalScan = System.Math.Min((deferred >> priority) + delta, 2 * freeable);
        long scanned = 0, freed = 0;
        var cache = _m.PageCache;
        while (totalScan >= ShrinkBatch || totalScan >= freeable)
        {
            long batch = System.Math.Min(ShrinkBatch, totalScan);
            for (long i = 0; i < batch; i++)
            {
                if (cache.ReclaimOldestShadowNode(memcg.Index) == 0) break;
                freed++;
            }
            totalScan -= batch;
            scanned += batch;
        }
        _deferred[memcg.Index] = System.Math.Min(System.Math.Max(deferred + delta - scanned, 0), 2 * freeable);
        memcg.Count(VmEvent.WorkingsetNodeReclaim, freed);
        return freed;
    }
}
