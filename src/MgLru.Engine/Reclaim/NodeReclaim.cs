using System;
using MgLru.Engine.Cgroup;
using MgLru.Engine.Mm;
using MgLru.Engine.Simulation;

namespace MgLru.Engine.Reclaim;

/// <summary>
/// The node's page allocator and global reclaim (mm/page_alloc.c __alloc_pages slow path, mm/vmscan.c
/// kswapd / balance_pgdat and try_to_free_pages, mm/oom_kill.c out_of_memory). kswapd runs when woken,
/// to completion, with its CPU time kept apart from the tasks' (it runs on another CPU).
/// </summary>
internal sealed class NodeReclaim
{
    private readonly Machine _m;
    private readonly LruPolicy _policy;
    private readonly MemcgReclaim _memcgReclaim;
    private readonly ScanControl _sc = new();

    public NodeReclaim(Machine machine, LruPolicy policy, MemcgReclaim memcgReclaim)
    {
        _m = machine;
        _policy = policy;
        _memcgReclaim = memcgReclaim;
    }

    /// <summary>
    /// Allocates a frame charged to <paramref name="memcg"/>: above the low watermark at once; else wake
    /// kswapd, then allow down to the min watermark, then reclaim directly, then OOM-kill. Returns -1 when
    /// the allocating task itself was killed.
    /// </summary>
    public int AllocatePage(MemCgroup memcg, MmStruct allocating)
    {
        var frames = _m.Frames;
        var wm = _m.Watermarks;
        if (frames.FreeFrames - 1 > wm.Low) return frames.Allocate(memcg.Index);
        WakeKswapd();
        if (frames.FreeFrames - 1 > wm.Min) return frames.Allocate(memcg.Index);
        int noProgress = 0;
        while (true)
        {
            long reclaimed = TryToFreePages();
            if (frames.FreeFrames - 1 > wm.Min) return frames.Allocate(memcg.Index);
            if (reclaimed > 0) { noProgress = 0; continue; }
            if (++noProgress <= MemcgReclaim.MaxReclaimRetries) continue;
            var victim = _memcgReclaim.OomKill(null);
            if (victim == null)
            {
                if (frames.FreeFrames > 0) return frames.Allocate(memcg.Index); // nothing left to kill: dip into the reserve
                throw new InvalidOperationException("The simulated node is out of memory with no task left to kill.");
            }
            if (victim == allocating) return -1;
            noProgress = 0;
        }
    }

    /// <summary>wakeup_kswapd → balance_pgdat, unless the node is balanced or kswapd has given up.</summary>
    public void WakeKswapd()
    {
        if (_m.KswapdFailures >= MemcgReclaim.MaxReclaimRetries) return;
        if (_m.Frames.FreeFrames >= _m.Watermarks.High) return;
        _m.InKswapd = true;
        try { BalancePgdat(); }
        finally { _m.InKswapd = false; }
    }

    /// <summary>balance_pgdat: shrink the node from priority 12 until free memory reaches the high watermark.</summary>
    private void BalancePgdat()
    {
        var sc = _sc;
        long high = _m.Watermarks.High;
        sc.Reset(Reclaimer.Kswapd, null, Math.Max(high, LruPolicy.SwapClusterMax), maySwap: true, LruPolicy.DefPriority);
        long total = 0;
        do
        {
            if (_m.Frames.FreeFrames >= high) break;
            if (_policy.AgeNode(sc))
            {
                // min_ttl: every memcg's oldest generation is younger than min_ttl_ms.
                _memcgReclaim.OomKill(null);
                continue;
            }
            sc.NrToReclaim = Math.Max(high, LruPolicy.SwapClusterMax);
            sc.NrReclaimed = 0;
            sc.NrScanned = 0;
            _policy.ShrinkNode(sc);
            if (_m.Options.CheckInvariants) InvariantChecker.Check(_m, _policy);
            total += sc.NrReclaimed;
            // kswapd_shrink_node: keep the priority while it scans what it was asked to.
            if (sc.NrScanned < sc.NrToReclaim || sc.NrReclaimed == 0) sc.Priority--;
        } while (sc.Priority >= 1);
        if (total == 0) _m.KswapdFailures++;
        else _m.KswapdFailures = 0;
        foreach (var memcg in _m.Memcgs) _policy.AfterReclaim(memcg, sc);
    }

    /// <summary>try_to_free_pages: global direct reclaim of SWAP_CLUSTER_MAX pages.</summary>
    private long TryToFreePages()
    {
        var sc = _sc;
        sc.Reset(Reclaimer.Direct, null, LruPolicy.SwapClusterMax, maySwap: true, LruPolicy.DefPriority);
        return _memcgReclaim.DoTryToFreePages(sc);
    }
}
