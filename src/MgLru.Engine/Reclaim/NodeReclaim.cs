using System;
using MgLru.Engine.Cgroup;
using MgLru.Engine.Mm;
using MgLru.Engine.Simulation;

namespace MgLru.Engine.Reclaim;

/// <summary>
/// The node's page allocator and global reclaim (mm/page_alloc.c __alloc_pages slow path, mm/vmscan.c
/// kswapd / balance_pgdat and try_to_free_pages, mm/oom_kill.c out_of_memory). kswapd is a thread of
/// its own on a CPU of its own: its time is kept apart from the tasks', and it is busy for as long as its
/// run's work takes on its own clock. Woken while busy, it runs once that clock is free; meanwhile the
/// tasks take the pages down to the min watermark and then reclaim directly (allocstall). Each run's
/// effect is applied when it starts (the pages of a run come free at once, not one by one).
/// </summary>
internal sealed class NodeReclaim
{
    private readonly Machine _m;
    private readonly LruPolicy _policy;
    private readonly MemcgReclaim _memcgReclaim;
    private readonly ScanControl _sc;

    public NodeReclaim(Machine machine, LruPolicy policy, MemcgReclaim memcgReclaim)
    {
        _m = machine;
        _sc = new ScanControl(machine.Rules.ProactiveReclaimCounters);
        _policy = policy;
        _memcgReclaim = memcgReclaim;
    }

    /// <summary>
    /// Allocates a frame charged to <paramref name="memcg"/> for a task of <paramref name="home"/>: the first
    /// node of the home node's zonelist above its low watermark (get_page_from_freelist falls back by
    /// distance); else wake the zonelist's kswapds, then allow down to the min watermarks, then reclaim
    /// directly, then OOM-kill. Returns -1 when the allocating task itself was killed.
    /// </summary>
    public int AllocatePage(MemCgroup memcg, MmStruct allocating, int home)
    {
        var frames = _m.Frames;
        var zonelist = _m.Nodes[home].Zonelist;
        // A kswapd woken while busy runs as soon as its clock is free (it may OOM-kill under min_ttl).
        if (_m.KswapdPending)
        {
            RunPendingKswapds();
            if (allocating.Exited) return -1;
        }
        foreach (int n in zonelist)
            if (frames.NodeFreeFrames(n) - 1 > _m.Nodes[n].Watermarks.Low) return frames.Allocate(memcg.Index, n);
        foreach (int n in zonelist) WakeKswapd(n);
        // kswapd's min_ttl check may have OOM-killed the allocating task itself.
        if (allocating.Exited) return -1;
        int f = AllocateAboveMin(memcg, zonelist);
        if (f >= 0) return f;
        int noProgress = 0;
        while (true)
        {
            long reclaimed = TryToFreePages(zonelist);
            f = AllocateAboveMin(memcg, zonelist);
            if (f >= 0) return f;
            if (reclaimed > 0) { noProgress = 0; continue; }
            if (++noProgress <= MemcgReclaim.MaxReclaimRetries) continue;
            var victim = _memcgReclaim.OomKill(null);
            if (victim == null)
            {
                // Nothing left to kill: dip into the reserves.
                foreach (int n in zonelist)
                    if (frames.NodeFreeFrames(n) > 0) return frames.Allocate(memcg.Index, n);
                throw new InvalidOperationException("The simulated machine is out of memory with no task left to kill.");
            }
            if (victim == allocating) return -1;
            noProgress = 0;
        }
    }

    private int AllocateAboveMin(MemCgroup memcg, int[] zonelist)
    {
        foreach (int n in zonelist)
            if (_m.Frames.NodeFreeFrames(n) - 1 > _m.Nodes[n].Watermarks.Min) return _m.Frames.Allocate(memcg.Index, n);
        return -1;
    }

    /// <summary>
    /// wakeup_kswapd → balance_pgdat on <paramref name="node"/>, unless it is balanced or its kswapd has
    /// given up; a kswapd still busy with its last run takes the wake when that run's work is done.
    /// </summary>
    public void WakeKswapd(int node)
    {
        var n = _m.Nodes[node];
        if (n.KswapdFailures >= MemcgReclaim.MaxReclaimRetries || _m.Frames.NodeFreeFrames(node) >= _m.BalanceMark(node))
        {
            n.KswapdPending = false;
            return;
        }
        if (_m.NowNs < n.KswapdFreeAtNs)
        {
            _m.DeferKswapd(node);
            return;
        }
        // It started when both the wake and its clock were there; the simulation applies the run now.
        long startNs = Math.Max(n.KswapdPending ? n.KswapdWokenAtNs : _m.NowNs, n.KswapdFreeAtNs);
        n.KswapdPending = false;
        long before = _m.KswapdNs;
        _m.InKswapd = true;
        try { BalancePgdat(node); }
        finally { _m.InKswapd = false; }
        n.KswapdFreeAtNs = startNs + (_m.KswapdNs - before);
    }

    /// <summary>
    /// Runs the pending kswapds that can run: those woken from inside reclaim (a demotion's allocation on
    /// the target node, a failed promotion; kswapd is another thread, so it runs once the waker's reclaim
    /// is over, never nested in it) and those woken while busy whose clock is now free.
    /// </summary>
    public void RunPendingKswapds()
    {
        bool stillPending = false;
        foreach (var node in _m.Nodes)
        {
            if (node.KswapdPending) WakeKswapd(node.Id);
            stillPending |= node.KswapdPending;
        }
        _m.KswapdPending = stillPending;
    }

    /// <summary>balance_pgdat: shrink the node from priority 12 until free memory reaches the balance mark.</summary>
    private void BalancePgdat(int node)
    {
        var sc = _sc;
        long high = _m.BalanceMark(node);
        sc.Reset(Reclaimer.Kswapd, null, Math.Max(high, LruPolicy.SwapClusterMax), maySwap: true, LruPolicy.DefPriority);
        sc.Node = node;
        sc.Zonelist = _m.Nodes[node].Alone;
        long total = 0;
        do
        {
            if (_m.Frames.NodeFreeFrames(node) >= high) break;
            if (_policy.AgeNode(sc))
            {
                // min_ttl: every memcg's oldest generation is younger than min_ttl_ms. lru_gen_age_node
                // OOM-kills and returns; the iteration still shrinks and lowers the priority. (Skipping
                // to the next iteration spun forever once nothing was left to kill.)
                _memcgReclaim.OomKill(null);
                if (_m.Frames.NodeFreeFrames(node) >= high) break;
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
        if (total == 0) _m.Nodes[node].KswapdFailures++;
        else _m.Nodes[node].KswapdFailures = 0;
        foreach (var memcg in _m.Memcgs) _policy.AfterReclaim(memcg, sc);
    }

    /// <summary>Direct reclaim of one node, as an allocation bound to it (__GFP_THISNODE) does.</summary>
    public long DirectReclaimNode(int node) => TryToFreePages(_m.Nodes[node].Alone);

    /// <summary>try_to_free_pages: global direct reclaim of SWAP_CLUSTER_MAX pages over the zonelist's nodes.</summary>
    private long TryToFreePages(int[] zonelist)
    {
        var sc = _sc;
        sc.Reset(Reclaimer.Direct, null, LruPolicy.SwapClusterMax, maySwap: true, LruPolicy.DefPriority);
        sc.Zonelist = zonelist;
        return _memcgReclaim.DoTryToFreePages(sc);
    }
}
