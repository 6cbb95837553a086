using System;
using MgLru.Engine.Cgroup;
using MgLru.Engine.Memory;
using MgLru.Engine.Stats;

using MgLru.Engine.Simulation;

namespace MgLru.Engine.Reclaim.Classic;

// Reclaim from the active/inactive lists (mm/vmscan.c prepare_scan_control, get_scan_count,
// shrink_lruvec, shrink_list, shrink_inactive_list, shrink_active_list, lru_note_cost).
internal sealed partial class ClassicPolicy
{
    private readonly long[] _nr = new long[4];
    private readonly long[] _targets = new long[4];

    public override void ShrinkLruvec(MemCgroup memcg, ScanControl sc)
    {
        var l = _lruvecs[memcg.Index * _nodes + sc.Node];
        PrepareScanControl(memcg, l, sc);
        GetScanCount(memcg, l, sc, _nr);
        Array.Copy(_nr, _targets, 4);
        long nrReclaimed = 0;
        long nrToReclaim = sc.NrToReclaim;
        while (_nr[ClassicLruvec.InactiveAnon] != 0 || _nr[ClassicLruvec.ActiveFile] != 0 || _nr[ClassicLruvec.InactiveFile] != 0)
        {
            for (int lru = 0; lru < 4; lru++)
            {
                if (_nr[lru] == 0) continue;
                long nrToScan = Math.Min(_nr[lru], SwapClusterMax);
                _nr[lru] -= nrToScan;
                nrReclaimed += ShrinkList(lru, nrToScan, memcg, l, sc);
            }
            // Memcg reclaim reclaims at least what was asked, then keeps anon and file proportional.
            if (nrReclaimed < nrToReclaim) continue;
            long nrFile = _nr[ClassicLruvec.InactiveFile] + _nr[ClassicLruvec.ActiveFile];
            long nrAnon = _nr[ClassicLruvec.InactiveAnon] + _nr[ClassicLruvec.ActiveAnon];
            if (nrFile == 0 || nrAnon == 0) break;
            int smaller;
            long percentage;
            if (nrFile > nrAnon)
            {
                smaller = ClassicLruvec.InactiveAnon;
                percentage = nrAnon * 100 / (_targets[ClassicLruvec.InactiveAnon] + _targets[ClassicLruvec.ActiveAnon] + 1);
            }
            else
            {
                smaller = ClassicLruvec.InactiveFile;
                percentage = nrFile * 100 / (_targets[ClassicLruvec.InactiveFile] + _targets[ClassicLruvec.ActiveFile] + 1);
            }
            _nr[smaller] = 0;
            _nr[smaller + 1] = 0;
            int other = smaller == ClassicLruvec.InactiveFile ? ClassicLruvec.InactiveAnon : ClassicLruvec.InactiveFile;
            for (int lru = other; lru <= other + 1; lru++)
            {
                long scanned = _targets[lru] - _nr[lru];
                _nr[lru] = _targets[lru] * (100 - percentage) / 100;
                _nr[lru] -= Math.Min(_nr[lru], scanned);
            }
        }
        sc.NrReclaimed += nrReclaimed;
        // Rebalance active/inactive anon even when anon was not scanned.
        if (CanReclaimAnon(sc) && InactiveIsLow(l, memcg, 0))
            ShrinkActiveList(SwapClusterMax, ClassicLruvec.ActiveAnon, memcg, l, sc);
    }

    private bool CanReclaimAnon(ScanControl sc) => (_m.Swap != null && _m.Swap.FreeSlots > 0) || CanDemote(sc.Node, sc);

    /// <summary>prepare_scan_control: deactivate a type when it refaulted since the last snapshot or its inactive list is low.</summary>
    private void PrepareScanControl(MemCgroup memcg, ClassicLruvec l, ScanControl sc)
    {
        if (sc.ForceDeactivate) sc.MayDeactivate = ScanControl.DeactivateAnon | ScanControl.DeactivateFile;
        else
        {
            long anonRefaults = StatActivations(l, memcg, 0);
            if (anonRefaults != l.RefaultsSnapshot[0] || InactiveIsLow(l, memcg, 0)) sc.MayDeactivate |= ScanControl.DeactivateAnon;
            else sc.MayDeactivate &= ~ScanControl.DeactivateAnon;
            long fileRefaults = StatActivations(l, memcg, 1);
            if (fileRefaults != l.RefaultsSnapshot[1] || InactiveIsLow(l, memcg, 1)) sc.MayDeactivate |= ScanControl.DeactivateFile;
            else sc.MayDeactivate &= ~ScanControl.DeactivateFile;
        }
        // Plenty of inactive page cache that isn't thrashing: trim it before touching anon.
        sc.CacheTrimMode = (StatSizes(l, memcg)[ClassicLruvec.InactiveFile] >> sc.Priority) != 0 && (sc.MayDeactivate & ScanControl.DeactivateFile) == 0;
        sc.AnonCost = l.AnonCost;
        sc.FileCost = l.FileCost;
    }

    /// <summary>get_scan_count for memcg reclaim: how many pages of each list to scan at this priority.</summary>
    private void GetScanCount(MemCgroup memcg, ClassicLruvec l, ScanControl sc, long[] nr)
    {
        int swappiness = sc.ProactiveSwappiness ?? memcg.Swappiness ?? _m.Options.Swappiness;
        const int fract = 0, scanFile = 1, scanEqual = 2;
        int balance;
        ulong apFraction = 0, fpFraction = 0;
        if (!sc.MaySwap || !CanReclaimAnon(sc)) balance = scanFile;
        else if (swappiness == 0) balance = scanFile; // memcg users disable swapping with swappiness 0
        else if (sc.Priority == 0) balance = scanEqual;
        else if (sc.CacheTrimMode) balance = scanFile;
        else
        {
            balance = fract;
            ulong total = (ulong)(sc.AnonCost + sc.FileCost);
            ulong anonCost = total + (ulong)sc.AnonCost;
            ulong fileCost = total + (ulong)sc.FileCost;
            total = anonCost + fileCost;
            apFraction = (ulong)swappiness * (total + 1) / (anonCost + 1);
            fpFraction = (ulong)(MaxSwappiness - swappiness) * (total + 1) / (fileCost + 1);
        }
        for (int lru = 0; lru < 4; lru++)
        {
            bool file = lru >= ClassicLruvec.InactiveFile;
            long scan = l.Size[lru] >> sc.Priority;
            if (balance == fract) scan = (long)((ulong)scan * (file ? fpFraction : apFraction) / (apFraction + fpFraction));
            else if (balance == scanFile && !file) scan = 0;
            nr[lru] = scan;
        }
    }

    private long ShrinkList(int lru, long nrToScan, MemCgroup memcg, ClassicLruvec l, ScanControl sc)
    {
        if ((lru & 1) == 1)
        {
            int typeBit = lru == ClassicLruvec.ActiveAnon ? ScanControl.DeactivateAnon : ScanControl.DeactivateFile;
            if ((sc.MayDeactivate & typeBit) != 0) ShrinkActiveList(nrToScan, lru, memcg, l, sc);
            else sc.SkippedDeactivate = true;
            return 0;
        }
        return ShrinkInactiveList(nrToScan, lru, memcg, l, sc);
    }

    /// <summary>isolate_lru_folios: up to nr_to_scan folios from the tail of a list onto the private list.</summary>
    private long IsolateLruFolios(long nrToScan, int lru, MemCgroup memcg, int list, int node)
    {
        int head = ListOf(memcg.Index * _nodes + node, lru);
        long taken = 0;
        while (taken < nrToScan && !_frames.IsEmpty(head))
        {
            int f = _frames.Tail(head);
            DelFolio(f);
            _frames.AddHead(list, f);
            taken++;
            _m.SpendReclaim(_m.Costs.ScanFolioNs, CostCategory.Scan);
        }
        return taken;
    }

    private long ShrinkInactiveList(long nrToScan, int lru, MemCgroup memcg, ClassicLruvec l, ScanControl sc)
    {
        int list = _m.IsolatedList;
        long scanned = IsolateLruFolios(nrToScan, lru, memcg, list, sc.Node);
        bool file = lru == ClassicLruvec.InactiveFile;
        memcg.Count(sc.ScanEvent, scanned);
        memcg.Count(file ? VmEvent.PgScanFile : VmEvent.PgScanAnon, scanned);
        if (scanned == 0) return 0;
        long pageoutBefore = memcg.Events[(int)VmEvent.PswpOut];
        long unqueuedBefore = sc.UnqueuedDirty;
        long reclaimed = ShrinkFolioList(list, sc);
        // Every page taken was dirty and not under writeback: the flushers are behind.
        if (sc.UnqueuedDirty - unqueuedBefore == scanned) _m.Flusher?.WakeUp();
        long pageout = memcg.Events[(int)VmEvent.PswpOut] - pageoutBefore;
        MoveFoliosToLru(list);
        memcg.Count(sc.StealEvent, reclaimed);
        memcg.Count(file ? VmEvent.PgStealFile : VmEvent.PgStealAnon, reclaimed);
        if (_rules.CostCountsIoAndRotations) NoteCost(l, file, pageout * SwapClusterMax + (scanned - reclaimed));
        else NoteCost(l, file, pageout);
        return reclaimed;
    }

    /// <summary>
    /// shrink_active_list: every scanned folio is deactivated (with PG_workingset) except referenced
    /// executable file pages; the rmap walk clears their young bits either way.
    /// </summary>
    private void ShrinkActiveList(long nrToScan, int lru, MemCgroup memcg, ClassicLruvec l, ScanControl sc)
    {
        int hold = _m.IsolatedList;
        long scanned = IsolateLruFolios(nrToScan, lru, memcg, hold, sc.Node);
        memcg.Count(VmEvent.PgRefill, scanned);
        long deactivated = 0;
        while (!_frames.IsEmpty(hold))
        {
            int f = _frames.Tail(hold);
            _frames.Unlink(f);
            // folio_referenced clears the young bits; no VM_EXEC mappings are simulated, so every folio is deactivated.
            FolioReferenced(f);
            _frames.Flags[f] = (_frames.Flags[f] & ~PageFlags.Active) | PageFlags.Workingset;
            _frames.AddHead(_m.KeepList, f);
            deactivated++;
        }
        MoveFoliosToLru(_m.KeepList);
        memcg.Count(VmEvent.PgDeactivate, deactivated);
    }

    /// <summary>lru_note_cost: charge reclaim cost to a type; halve both when they outgrow a quarter of the LRU.</summary>
    private void NoteCost(ClassicLruvec l, bool file, long cost)
    {
        if (cost == 0) return;
        if (file) l.FileCost += cost;
        else l.AnonCost += cost;
        long lruSize = l.Size[0] + l.Size[1] + l.Size[2] + l.Size[3];
        if (l.FileCost + l.AnonCost > lruSize / 4)
        {
            l.FileCost /= 2;
            l.AnonCost /= 2;
        }
    }

    /// <summary>snapshot_refaults at the end of a reclaim round.</summary>
    public override void AfterReclaim(MemCgroup memcg, ScanControl sc)
    {
        // The refault counters are the memcg's (not per node): every node's lruvec takes the snapshot.
        for (int n = 0; n < _nodes; n++)
        {
            var l = _lruvecs[memcg.Index * _nodes + n];
            l.RefaultsSnapshot[0] = StatActivations(l, memcg, 0);
            l.RefaultsSnapshot[1] = StatActivations(l, memcg, 1);
        }
    }
}
