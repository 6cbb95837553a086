using System;
using MgLru.Engine.Cgroup;
using MgLru.Engine.Memory;
using MgLru.Engine.Mm;
using MgLru.Engine.Scenario;
using MgLru.Engine.Simulation;
using MgLru.Engine.Stats;

namespace MgLru.Engine.Reclaim;

/// <summary>
/// memcg charging and limit reclaim (mm/memcontrol.c try_charge, mm/vmscan.c
/// try_to_free_mem_cgroup_pages → do_try_to_free_pages → shrink_node_memcgs) and the memcg OOM killer.
/// </summary>
internal sealed class MemcgReclaim
{
    public const int MaxReclaimRetries = 16;

    private readonly Machine _m;
    private readonly LruPolicy _policy;
    private readonly ScanControl _sc;

    public MemcgReclaim(Machine machine, LruPolicy policy)
    {
        _m = machine;
        _sc = new ScanControl(machine.Rules.ProactiveReclaimCounters);
        _policy = policy;
    }

    /// <summary>
    /// try_charge for one page: reclaim from the memcg while it is at memory.max, retrying up to
    /// MAX_RECLAIM_RETRIES unproductive rounds, then OOM-kill in the memcg. Returns false when the
    /// charging task itself was killed.
    /// </summary>
    public bool TryCharge(MemCgroup memcg, MmStruct charging)
    {
        int retries = MaxReclaimRetries;
        while (memcg.Usage + 1 > memcg.MaxPages)
        {
            memcg.MaxEvents++; // memcg_memory_event(MEMCG_MAX) before each reclaim attempt
            long reclaimed = TryToFreeMemCgroupPages(memcg, 1, Reclaimer.Direct, zonelist: _m.Nodes[charging.HomeNode].Zonelist);
            if (memcg.Usage + 1 <= memcg.MaxPages) break;
            if (reclaimed > 0) continue;
            if (retries-- > 0) continue;
            var victim = OomKill(memcg);
            if (victim == null || victim == charging) return false;
            retries = MaxReclaimRetries;
        }
        return true;
    }

    /// <summary>
    /// try_charge_memcg with __GFP_NORETRY (readahead allocations): one reclaim attempt, then give up
    /// rather than retry or call the OOM killer.
    /// </summary>
    public bool TryChargeNoRetry(MemCgroup memcg, MmStruct charging)
    {
        if (memcg.Usage + 1 <= memcg.MaxPages) return true;
        memcg.MaxEvents++;
        TryToFreeMemCgroupPages(memcg, 1, Reclaimer.Direct, zonelist: _m.Nodes[charging.HomeNode].Zonelist);
        return memcg.Usage + 1 <= memcg.MaxPages;
    }

    /// <summary>try_to_free_mem_cgroup_pages: priority 12 down to 0 until nr_to_reclaim pages are freed.</summary>
    public long TryToFreeMemCgroupPages(MemCgroup memcg, long nrPages, Reclaimer who, int? swappiness = null, int[]? zonelist = null)
    {
        var sc = _sc;
        sc.Reset(who, memcg, Math.Max(nrPages, _policy.ReclaimBatch), maySwap: true, LruPolicy.DefPriority);
        sc.ProactiveSwappiness = swappiness;
        sc.Zonelist = zonelist ?? _m.Nodes[0].Zonelist;
        return DoTryToFreePages(sc);
    }

    /// <summary>
    /// A write to memory.reclaim (memory_reclaim in mm/memcontrol.c): reclaim in batches of a quarter of
    /// what is left (at least SWAP_CLUSTER_MAX) with MEMCG_RECLAIM_PROACTIVE until <paramref name="nrPages"/>
    /// are reclaimed; false (EAGAIN) after MAX_RECLAIM_RETRIES rounds that reclaimed nothing.
    /// </summary>
    public bool ProactiveReclaim(MemCgroup memcg, long nrPages, int? swappiness, out long reclaimed)
    {
        reclaimed = 0;
        int retries = MaxReclaimRetries;
        while (reclaimed < nrPages)
        {
            long batch = Math.Max((nrPages - reclaimed) / 4, LruPolicy.SwapClusterMax);
            long got = TryToFreeMemCgroupPages(memcg, Math.Min(batch, nrPages - reclaimed), Reclaimer.Proactive, swappiness);
            reclaimed += got;
            if (got == 0 && --retries == 0) return false;
        }
        return true;
    }

    /// <summary>
    /// do_try_to_free_pages: shrink the target (a memcg's lruvec, or the node for root reclaim) from
    /// sc.Priority down to 0 until enough is reclaimed. When a round reclaimed nothing because active lists
    /// were left alone or memory.low was honoured, retry once deactivating / breaching memory.low.
    /// </summary>
    public long DoTryToFreePages(ScanControl sc)
    {
        int initialPriority = sc.Priority;
        while (true)
        {
            do
            {
                // shrink_zones: each node of the zonelist in turn (the lruvecs later in the order have
                // nothing left to do once the target is met).
                foreach (int node in sc.Zonelist)
                {
                    sc.Node = node;
                    long reclaimedBefore = sc.NrReclaimed;
                    if (sc.TargetMemcg != null)
                    {
                        _policy.ShrinkLruvec(sc.TargetMemcg, sc); // the hierarchy is flat below the root
                        _policy.ShrinkSlab(sc.TargetMemcg, sc.Priority);
                    }
                    else _policy.ShrinkNode(sc);
                    // shrink_node: "a successful direct reclaim run will revive a dormant kswapd".
                    if (sc.NrReclaimed > reclaimedBefore) _m.Nodes[node].KswapdFailures = 0;
                    if (_m.Options.CheckInvariants) InvariantChecker.Check(_m, _policy);
                    if (sc.NrReclaimed >= sc.NrToReclaim) break;
                }
                if (sc.NrReclaimed >= sc.NrToReclaim) break;
            } while (--sc.Priority >= 0);
            if (sc.NrReclaimed != 0) break;
            if (sc.SkippedDeactivate && !sc.ForceDeactivate)
            {
                sc.Priority = initialPriority;
                sc.ForceDeactivate = true;
                sc.SkippedDeactivate = false;
                continue;
            }
            if (sc.MemcgLowSkipped && !sc.MemcgLowReclaim)
            {
                sc.Priority = initialPriority;
                sc.ForceDeactivate = false;
                sc.MemcgLowReclaim = true;
                sc.MemcgLowSkipped = false;
                continue;
            }
            break;
        }
        if (sc.TargetMemcg != null) _policy.AfterReclaim(sc.TargetMemcg, sc);
        else foreach (var memcg in _m.Memcgs) _policy.AfterReclaim(memcg, sc);
        return sc.NrReclaimed;
    }

    /// <summary>
    /// mem_cgroup_out_of_memory (or, with <paramref name="memcg"/> null, the global out_of_memory): kill
    /// the task with the largest rss + swap (oom_badness), freeing its pages and swap. Returns the victim,
    /// or null when no eligible task has memory.
    /// </summary>
    public MmStruct? OomKill(MemCgroup? memcg)
    {
        MmStruct? victim = null;
        foreach (var mm in _m.Mms)
        {
            if (mm.Exited || (memcg != null && mm.OwnerMemcg != memcg.Index)) continue;
            if (victim == null || mm.Rss + mm.SwapEntries > victim.Rss + victim.SwapEntries) victim = mm;
        }
        if (victim == null) return null;
        _m.Memcgs[victim.OwnerMemcg].Count(VmEvent.OomKill);
        ExitMm(victim);
        return victim;
    }

    /// <summary>
    /// exit_mmap: free every anonymous page and swap entry of the mm; a file mapping is only unmapped
    /// (its pages stay in the page cache, charged and on the LRU). A thread's exit ends the whole mm here.
    /// </summary>
    public void ExitMm(MmStruct mm)
    {
        var ptes = _m.PageTables.Ptes;
        var frames = _m.Frames;
        for (int v = mm.Base, end = mm.Base + mm.Pages; v < end; v++)
        {
            uint pte = ptes[v];
            ptes[v] = Pte.None; // unmapped before its page is freed
            if (Pte.IsPresent(pte))
            {
                int f = Pte.Frame(pte);
                // Anonymous folios (also private copies in file mappings) go; page-cache pages stay.
                if ((frames.Flags[f] & PageFlags.SwapBacked) != 0)
                {
                    var owner = _m.Memcgs[PageFlags.Memcg(frames.Flags[f])];
                    if (_policy.IsListed(f)) _policy.RemoveFolio(f);
                    owner.Usage--;
                    frames.Free(f);
                }
            }
            else if (Pte.IsSwap(pte) && _m.Swap != null) _policy.FreeSwapSlot(Pte.Slot(pte));
        }
        foreach (var vma in mm.Vmas)
            vma.File?.Mappers.Remove(vma);
        mm.Rss = 0;
        mm.SwapEntries = 0;
        mm.Exited = true;
    }
}
