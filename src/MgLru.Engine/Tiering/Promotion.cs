using System;
using MgLru.Engine.Memory;
using MgLru.Engine.Mm;
using MgLru.Engine.Reclaim;
using MgLru.Engine.Scenario;
using MgLru.Engine.Simulation;
using MgLru.Engine.Stats;

namespace MgLru.Engine.Tiering;

/// <summary>
/// Promotion of hot slow-tier pages to the top tier. NumaBalancing is kernel.numa_balancing = 2
/// (kernel/sched/fair.c task_numa_work, should_numa_migrate_memory, numa_promotion_rate_limit,
/// numa_promotion_adjust_threshold; mm/migrate.c migrate_misplaced_folio). Daemon is the 2018 RFC's
/// user-space daemon: idle-page tracking of slow-tier pages, then move_pages of the accessed ones.
/// </summary>
internal sealed class Promotion
{
    /// <summary>sysctl_numa_balancing_scan_size: 256 MB of address space marked per scan.</summary>
    public const int ScanSizePages = (256 << 20) >> Units.PageShift;
    /// <summary>sysctl_numa_balancing_scan_period_max: the threshold adjustment period.</summary>
    public const int ThresholdPeriodMs = 60_000;
    /// <summary>NUMA_MIGRATION_ADJUST_STEPS.</summary>
    private const int AdjustSteps = 16;

    private readonly Machine _m;
    private readonly LruPolicy _policy;
    private readonly NodeReclaim _nodeReclaim;
    private readonly Migration _migration;
    private readonly PromotionMode _mode;
    /// <summary>folio_xchg_access_time: when the scanner armed each frame's hint, in ms.</summary>
    private readonly int[]? _hintMs;
    private readonly long _periodNs;
    private long _nextDaemonNs;
    // Per top-tier node (pglist_data nbp_*): adaptive threshold and rate-limit windows.
    private readonly int[] _threshold, _thStartMs, _rlStartMs;
    private readonly long[] _thNrCand, _rlNrCand;

    public Promotion(Machine machine, LruPolicy policy, NodeReclaim nodeReclaim)
    {
        _m = machine;
        _policy = policy;
        _nodeReclaim = nodeReclaim;
        _migration = new Migration(machine);
        _mode = machine.Options.Promotion;
        _periodNs = machine.Options.PromotionScanPeriodMs * 1_000_000L;
        _nextDaemonNs = _periodNs;
        if (_mode == PromotionMode.NumaBalancing) _hintMs = new int[machine.Frames.Capacity];
        int nodes = machine.Nodes.Length;
        _threshold = new int[nodes];
        _thStartMs = new int[nodes];
        _rlStartMs = new int[nodes];
        _thNrCand = new long[nodes];
        _rlNrCand = new long[nodes];
    }

    private int NowMs => (int)(_m.NowNs / 1_000_000);

    /// <summary>Promotion moves pages toward the task's node, or the nearest top-tier node when that is not top tier.</summary>
    private int TargetNode(MmStruct mm)
    {
        foreach (int n in _m.Nodes[mm.HomeNode].Zonelist)
            if (_m.Nodes[n].IsTopTier) return n;
        return mm.HomeNode;
    }

    /// <summary>At a task's turn: its mm's NUMA scan when due (NumaBalancing), or the daemon's round (Daemon).</summary>
    public void OnTurn(MmStruct mm)
    {
        if (_mode == PromotionMode.NumaBalancing)
        {
            if (_m.NowNs >= mm.NextNumaScanNs) ScanForHints(mm);
        }
        else if (_m.NowNs >= _nextDaemonNs)
        {
            _nextDaemonNs = _m.NowNs + _periodNs;
            RunDaemon();
        }
    }

    /// <summary>
    /// task_numa_work / change_prot_numa in tiering-only mode: the next 256 MB of the mm, every present
    /// PTE on a slow-tier node made PROT_NONE with the scan time stored; top-tier pages and read-only file
    /// mappings (shared libraries) are skipped. Runs in the task, on its clock.
    /// </summary>
    private void ScanForHints(MmStruct mm)
    {
        mm.NextNumaScanNs = _m.NowNs + _periodNs;
        var ptes = _m.PageTables.Ptes;
        var frames = _m.Frames;
        int now = NowMs;
        int scanned = 0;
        int offset = mm.NumaScanOffset;
        while (scanned < ScanSizePages && scanned < mm.Pages)
        {
            int v = mm.Base + offset;
            offset = offset + 1 == mm.Pages ? 0 : offset + 1;
            scanned++;
            uint pte = ptes[v];
            if ((pte & Pte.Present) == 0 || (pte & Pte.ReadOnly) != 0) continue;
            int f = Pte.Frame(pte);
            if (_m.Nodes[frames.NodeOf(f)].IsTopTier) continue;
            frames.Flags[f] |= PageFlags.NumaHint;
            _hintMs![f] = now;
        }
        mm.NumaScanOffset = offset;
        _m.Spend((long)scanned * _m.Costs.PteVisitNs);
    }

    /// <summary>
    /// do_numa_page on an armed page of a slow tier: the hint fault, should_numa_migrate_memory's tiering
    /// branch (free space enough → promote; else hot threshold and rate limit), migrate_misplaced_folio.
    /// </summary>
    public void HintFault(MmStruct mm, int frame)
    {
        var frames = _m.Frames;
        frames.Flags[frame] &= ~PageFlags.NumaHint;
        var memcg = _m.Memcgs[PageFlags.Memcg(frames.Flags[frame])];
        int src = frames.NodeOf(frame);
        memcg.Count(VmEvent.NumaHintFaults);
        _m.Nodes[src].Count(VmEvent.NumaHintFaults);
        _m.Spend(_m.Costs.NumaHintFaultNs);
        if (_m.Nodes[src].IsTopTier) return;
        int dst = TargetNode(mm);
        if (!ShouldMigrate(frame, dst)) return;
        // numamigrate_isolate_folio: the target must stay balanced after taking the page; if not, wake
        // its kswapd (which balances to the promo watermark in tiering mode) and try again another time.
        if (frames.NodeFreeFrames(dst) <= _m.Nodes[dst].Watermarks.High + 1)
        {
            _m.DeferKswapd(dst);
            return;
        }
        Promote(frame, dst, memcg);
    }

    private bool ShouldMigrate(int frame, int dst)
    {
        var node = _m.Nodes[dst];
        // pgdat_free_space_enough: free ≥ promo + max(1 GiB, present pages / 16) → reset the threshold, promote.
        long enough = Math.Max((1L << 30) >> Units.PageShift, _m.Frames.NodeFrames(dst) >> 4);
        if (_m.Frames.NodeFreeFrames(dst) >= node.Watermarks.Promo + enough)
        {
            _threshold[dst] = 0;
            return true;
        }
        int defTh = _m.Options.HotThresholdMs;
        long rateLimit = (long)_m.Options.PromoteRateLimitMBps << (20 - Units.PageShift);
        AdjustThreshold(dst, rateLimit, defTh);
        int th = _threshold[dst] != 0 ? _threshold[dst] : defTh;
        int latency = NowMs - _hintMs![frame];
        if (latency >= th) return false;
        return !RateLimited(dst, rateLimit);
    }

    /// <summary>numa_promotion_adjust_threshold: every 60 s, step the threshold toward the rate limit's candidate count.</summary>
    private void AdjustThreshold(int dst, long rateLimit, int refTh)
    {
        int now = NowMs;
        if (now - _thStartMs[dst] <= ThresholdPeriodMs) return;
        _thStartMs[dst] = now;
        long refCand = rateLimit * ThresholdPeriodMs / 1000;
        long nrCand = _m.Nodes[dst].Events[(int)VmEvent.PgPromoteCandidate];
        long diff = nrCand - _thNrCand[dst];
        int unit = refTh * 2 / AdjustSteps;
        int th = _threshold[dst] != 0 ? _threshold[dst] : refTh;
        if (diff > refCand * 11 / 10) th = Math.Max(th - unit, unit);
        else if (diff < refCand * 9 / 10) th = Math.Min(th + unit, refTh * 2);
        _thNrCand[dst] = nrCand;
        _threshold[dst] = th;
    }

    /// <summary>numa_promotion_rate_limit: count the candidate; refuse once this second's candidates reach the limit.</summary>
    private bool RateLimited(int dst, long rateLimit)
    {
        var node = _m.Nodes[dst];
        node.Count(VmEvent.PgPromoteCandidate);
        long nrCand = node.Events[(int)VmEvent.PgPromoteCandidate];
        int now = NowMs;
        if (now - _rlStartMs[dst] > 1000)
        {
            _rlStartMs[dst] = now;
            _rlNrCand[dst] = nrCand;
        }
        return nrCand - _rlNrCand[dst] >= rateLimit;
    }

    /// <summary>Isolate the folio from its LRU, migrate it to <paramref name="dst"/> without reclaim, put it on the target's LRU.</summary>
    private bool Promote(int frame, int dst, Cgroup.MemCgroup memcg)
    {
        // folio_isolate_lru fails without PG_lru: a folio sitting on a per-CPU batch (6.12's activate
        // batch) is still linked on its list and stays where it is.
        if ((_m.Frames.Flags[frame] & PageFlags.Lru) == 0) return false;
        int target = _m.Frames.NodeFreeFrames(dst) - 1 > _m.Nodes[dst].Watermarks.Min ? _m.Frames.Allocate(memcg.Index, dst) : -1;
        if (target < 0) return false;
        _policy.IsolateForMigration(frame);
        _migration.MoveFolio(frame, target, reclaim: false);
        _policy.AddNewFolio(target);
        memcg.Count(VmEvent.PgPromoteSuccess);
        _m.Nodes[dst].Count(VmEvent.PgPromoteSuccess);
        return true;
    }

    /// <summary>
    /// The RFC's daemon round: an accessed-bit scan of every task's slow-tier pages (idle-page tracking
    /// clears the young PTE and leaves PG_young for reclaim), then move_pages of the accessed ones toward
    /// each task's node, up to the rate for one period; when the target is short of memory, kswapd is
    /// woken and the target is reclaimed directly, as move_pages' allocation would.
    /// </summary>
    private void RunDaemon()
    {
        var ptes = _m.PageTables.Ptes;
        var frames = _m.Frames;
        long budget = ((long)_m.Options.PromoteRateLimitMBps << (20 - Units.PageShift)) * _m.Options.PromotionScanPeriodMs / 1000;
        _m.InDaemon = true;
        try
        {
            foreach (var mm in _m.Mms)
            {
                if (mm.Exited) continue;
                int dst = TargetNode(mm);
                for (int v = mm.Base, end = mm.Base + mm.Pages; v < end; v++)
                {
                    uint pte = ptes[v];
                    if ((pte & (Pte.Present | Pte.Young)) != (Pte.Present | Pte.Young)) continue;
                    int f = Pte.Frame(pte);
                    int src = frames.NodeOf(f);
                    if (_m.Nodes[src].IsTopTier) continue;
                    _m.SpendReclaim(_m.Costs.PteVisitNs, CostCategory.PageTableWalk);
                    ptes[v] = pte & ~Pte.Young;
                    frames.Flags[f] |= PageFlags.Young;
                    if (budget <= 0) continue;
                    if ((frames.Flags[f] & PageFlags.Lru) == 0) continue;
                    var memcg = _m.Memcgs[PageFlags.Memcg(frames.Flags[f])];
                    _m.Nodes[dst].Count(VmEvent.PgPromoteCandidate);
                    if (frames.NodeFreeFrames(dst) - 1 <= _m.Nodes[dst].Watermarks.Low)
                    {
                        _m.DeferKswapd(dst);
                        if (frames.NodeFreeFrames(dst) - 1 <= _m.Nodes[dst].Watermarks.Min) _nodeReclaim.DirectReclaimNode(dst);
                    }
                    if (!Promote(f, dst, memcg)) { budget = 0; continue; }
                    budget--;
                }
            }
        }
        finally { _m.InDaemon = false; }
    }
}
