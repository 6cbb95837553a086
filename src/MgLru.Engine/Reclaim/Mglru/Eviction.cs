using MgLru.Engine.Cgroup;
using MgLru.Engine.Memory;
using MgLru.Engine.Mm;
using MgLru.Engine.Simulation;
using MgLru.Engine.Stats;

namespace MgLru.Engine.Reclaim.Mglru;

// Eviction (mm/vmscan.c try_to_shrink_lruvec, get_nr_to_scan, evict_folios, isolate_folios,
// scan_folios, sort_folio, isolate_folio) and what shrink_folio_list does to an isolated folio.
internal sealed partial class MglruPolicy
{
    /// <summary>
    /// lru_gen_shrink_lruvec (memcg reclaim): with the memcg LRU, a memcg whose aging ran moves to the
    /// young memcg generation.
    /// </summary>
    public override void ShrinkLruvec(MemCgroup memcg, ScanControl sc)
    {
        var l = memcg.Lruvecs[sc.Node];
        BeginShrink(sc);
        if (TryToShrinkLruvec(l, sc) && _rules.MemcgLru) RotateMemcg(l, MemcgLruYoung);
        EndShrink();
    }

    /// <summary>try_to_shrink_lruvec: evict batches until nr_to_scan is met; returns whether aging stopped the lruvec.</summary>
    public bool TryToShrinkLruvec(Lruvec l, ScanControl sc)
    {
        var memcg = _m.Memcgs[l.Memcg];
        int swappiness = GetSwappiness(memcg, sc);
        long scanned = 0;
        long nrToScan;
        long startMaxSeq = l.MaxSeq;
        while (true)
        {
            nrToScan = _rules.MemcgLru ? GetNrToScan(l, sc, swappiness) : GetNrToScan61(l, sc, swappiness);
            if (nrToScan <= 0) break;
            long delta = EvictFolios(l, sc, swappiness, out bool evictedAnon);
            if (delta == 0) break;
            scanned += delta;
            if (scanned >= nrToScan) break;
            if (_rules.MemcgLru ? ShouldAbortScan(sc) : ShouldAbortScan61(l, startMaxSeq, sc, evictedAnon)) break;
        }
        // Every file page taken from the coldest generation was dirty and not queued: wake the flushers.
        if (sc.UnqueuedDirty != 0 && sc.UnqueuedDirty == sc.FileTaken) _m.Flusher?.WakeUp();
        return nrToScan < 0;
    }

    /// <summary>
    /// get_nr_to_scan (memcg LRU era, 6.3+): avoid aging at DEF_PRIORITY; otherwise age and stop this
    /// lruvec (-1). Whether to age is should_run_aging of the rule set (6.12: the young/old heuristic at
    /// three generations; 6.14: fewer than four generations).
    /// </summary>
    private long GetNrToScan(Lruvec l, ScanControl sc, int swappiness)
    {
        long maxSeq = l.MaxSeq;
        long nr;
        bool needAging;
        AgingTrigger trigger;
        if (_rules.AgingFeedback2024) needAging = ShouldRunAging(l, maxSeq, swappiness, out nr, out trigger);
        else
        {
            needAging = ShouldRunAging61(l, swappiness, out nr, out trigger);
            // 6.12: a lruvec completely out of cold folios has nothing to scan.
            if (l.MinSeq[swappiness == 0 ? Lruvec.File : Lruvec.Anon] + Lruvec.MinNrGens > maxSeq) nr = 0;
        }
        if (!needAging || sc.Priority == DefPriority) return nr >> sc.Priority;
        return TryToIncMaxSeq(l, maxSeq, swappiness, false, trigger, sc.Reclaimer.ToString()) ? -1 : 0;
    }

    /// <summary>
    /// get_nr_to_scan (6.1): the "young × 2 &gt; total or old × 4 &lt; total" heuristic at three generations;
    /// direct reclaim ages and keeps evicting in the same loop.
    /// </summary>
    private long GetNrToScan61(Lruvec l, ScanControl sc, int swappiness)
    {
        long maxSeq = l.MaxSeq;
        bool needAging = ShouldRunAging61(l, swappiness, out long total, out AgingTrigger trigger);
        long nrToScan = total >> sc.Priority;
        if (!needAging) return nrToScan;
        int baseType = swappiness == 0 ? Lruvec.File : Lruvec.Anon;
        if (sc.Priority != DefPriority)
        {
            if (sc.Reclaimer == Reclaimer.Kswapd) return 0; // left to lru_gen_age_node
            if (TryToIncMaxSeq(l, maxSeq, swappiness, false, trigger, sc.Reclaimer.ToString())) return nrToScan;
        }
        return l.MinSeq[baseType] + Lruvec.MinNrGens <= l.MaxSeq ? nrToScan : 0;
    }

    /// <summary>
    /// should_run_aging (6.1–6.13): age at two generations; at three, when young × 2 &gt; total or
    /// old × 4 &lt; total. <paramref name="total"/> = pages of the scanned types, unshifted;
    /// <paramref name="trigger"/> = which of the three held (meaningful when it returns true).
    /// </summary>
    private bool ShouldRunAging61(Lruvec l, int swappiness, out long total, out AgingTrigger trigger)
    {
        long maxSeq = l.MaxSeq;
        int baseType = swappiness == 0 ? Lruvec.File : Lruvec.Anon;
        long old = 0, young = 0;
        total = 0;
        for (int type = baseType; type < 2; type++)
        {
            for (long seq = l.MinSeq[type]; seq <= maxSeq; seq++)
            {
                long size = l.Size(Lruvec.GenFromSeq(seq), type);
                if (size < 0) size = 0;
                total += size;
                if (seq == maxSeq) young += size;
                else if (seq + Lruvec.MinNrGens == maxSeq) old += size;
            }
        }
        long baseMin = l.MinSeq[baseType];
        trigger = AgingTrigger.TwoGenerations;
        if (baseMin + Lruvec.MinNrGens > maxSeq) return true;
        if (baseMin + Lruvec.MinNrGens < maxSeq) return false;
        trigger = AgingTrigger.YoungOverHalf;
        if (young * Lruvec.MinNrGens > total) return true;
        trigger = AgingTrigger.OldUnderQuarter;
        return old * (Lruvec.MinNrGens + 2) < total;
    }

    /// <summary>
    /// should_abort_scan (6.1): direct reclaim ages each memcg at most once per call and doesn't over-swap;
    /// root reclaim stops at its target (kswapd once the node is balanced).
    /// </summary>
    private bool ShouldAbortScan61(Lruvec l, long startMaxSeq, ScanControl sc, bool evictedAnon)
    {
        if (sc.Reclaimer != Reclaimer.Kswapd)
        {
            if (l.MaxSeq - startMaxSeq > 1) return true;
            if (sc.NrReclaimed >= sc.NrToReclaim && evictedAnon) return true;
            if (sc.CgroupReclaim) return false;
        }
        else if (sc.NrReclaimed < sc.NrToReclaim) return false;
        if (sc.Priority > DefPriority - 2) return false;
        var wm = _m.Nodes[sc.Node].Watermarks;
        return _m.Frames.NodeFreeFrames(sc.Node) >= (sc.Reclaimer == Reclaimer.Kswapd ? wm.High : wm.Low);
    }

    /// <summary>
    /// evict_folios: isolate about MIN_LRU_BATCH folios of the oldest generation, reclaim what can be,
    /// put the rest back. Returns the number scanned (0 when nothing could be isolated).
    /// </summary>
    public long EvictFolios(Lruvec l, ScanControl sc, int swappiness, out bool evictedAnon)
    {
        var memcg = _m.Memcgs[l.Memcg];
        int list = _m.IsolatedList;
        long scanned = IsolateFolios(l, sc, swappiness, out int type);
        evictedAnon = false;
        if (TryToIncMinSeq(l, swappiness)) scanned++;
        if (_rules.AgingFeedback2024)
        {
            if (EvictableMinSeq(l, swappiness) + Lruvec.MinNrGens > l.MaxSeq) scanned = 0;
        }
        else
        {
            int baseType = swappiness == 0 ? Lruvec.File : Lruvec.Anon;
            if (l.NrGens(baseType) == Lruvec.MinNrGens) scanned = 0;
        }
        if (_frames.IsEmpty(list)) return scanned;
        memcg.Count(VmEvent.LruGenEviction);
        evictedAnon = type == Lruvec.Anon;

        bool skipRetry = false;
        while (true)
        {
            long reclaimed = ShrinkFolioList(list, sc);
            sc.NrReclaimed += reclaimed;
            int retry = _m.RetryList;
            // Walk the survivors from the tail, as list_for_each_entry_safe_reverse does.
            for (int f = _frames.Tail(list), prev; f != list; f = prev)
            {
                prev = _frames.Prev[f];
                uint flags = _frames.Flags[f];
                if ((flags & PageFlags.Unevictable) != 0) continue;
                bool mapped = IsMapped(f);
                bool active = (flags & PageFlags.Active) != 0;
                bool dirtyOrWb = (flags & (PageFlags.Dirty | PageFlags.Writeback)) != 0;
                if (_rules.AgingFeedback2024)
                {
                    if (!skipRetry && !active && !mapped && !dirtyOrWb)
                    {
                        _frames.Unlink(f);
                        _frames.AddHead(retry, f);
                        continue;
                    }
                    // Don't add rejected folios to the oldest generation.
                    if (FolioSeq(l, flags, false) == l.MinSeq[PageFlags.Type(flags)])
                        _frames.Flags[f] = (flags & ~PageFlags.RefsFlags614) | PageFlags.Active;
                }
                else
                {
                    if ((flags & PageFlags.Reclaim) != 0 && dirtyOrWb)
                    {
                        if ((flags & PageFlags.Workingset) != 0) _frames.Flags[f] = flags | PageFlags.Referenced;
                        continue;
                    }
                    if (skipRetry || active || (flags & PageFlags.Referenced) != 0 || mapped || dirtyOrWb)
                    {
                        _frames.Flags[f] = (flags & ~PageFlags.RefsFlags61) | PageFlags.Active;
                        continue;
                    }
                    _frames.Unlink(f);
                    _frames.AddHead(retry, f);
                    sc.NrScanned--;
                }
            }
            MoveFoliosToLru(list);
            CountSteal(memcg, sc, type, reclaimed);
            if (_frames.IsEmpty(retry)) break;
            _frames.SpliceHead(retry, list);
            skipRetry = true;
        }
        return scanned;
    }

    private void CountSteal(MemCgroup memcg, ScanControl sc, int type, long reclaimed)
    {
        memcg.Count(sc.StealEvent, reclaimed);
        memcg.Count(type == Lruvec.Anon ? VmEvent.PgStealAnon : VmEvent.PgStealFile, reclaimed);
    }

    /// <summary>isolate_folios: pick the type (PID controller), then scan it; fall back to the other type.</summary>
    private long IsolateFolios(Lruvec l, ScanControl sc, int swappiness, out int type)
    {
        int tier = -1;
        if (_rules.AgingFeedback2024)
        {
            type = GetTypeToScan(l, swappiness);
        }
        else if (swappiness == 0) type = Lruvec.File;
        else if (l.MinSeq[Lruvec.Anon] < l.MinSeq[Lruvec.File]) type = Lruvec.Anon;
        else if (swappiness == 1) type = Lruvec.File;
        else if (swappiness == MaxSwappiness) type = Lruvec.Anon;
        else type = GetTypeToScan61(l, swappiness, out tier);

        for (int i = 0; i < 2; i++)
        {
            if (TypeEvictable(type, swappiness))
            {
                if (tier < 0) tier = GetTierIdx(l, type);
                long scanned = ScanFolios(l, sc, type, tier);
                if (scanned != 0) return scanned;
            }
            type = 1 - type;
            tier = -1;
        }
        return 0;
    }

    /// <summary>get_type_to_scan (6.1): tier 0 against tier 0, then the selected type's tiers against the other type's tier 0.</summary>
    private int GetTypeToScan61(Lruvec l, int swappiness, out int tierIdx)
    {
        int gainAnon = swappiness, gainFile = MaxSwappiness - swappiness;
        var sp = ReadCtrlPos(l, Lruvec.Anon, 0, gainAnon);
        var pv = ReadCtrlPos(l, Lruvec.File, 0, gainFile);
        int type = PositiveCtrlErr(sp, pv) ? Lruvec.File : Lruvec.Anon;
        int other = 1 - type;
        sp = ReadCtrlPos(l, other, 0, other == Lruvec.Anon ? gainAnon : gainFile);
        int tier;
        for (tier = 1; tier < Lruvec.MaxNrTiers; tier++)
        {
            pv = ReadCtrlPos(l, type, tier, type == Lruvec.Anon ? gainAnon : gainFile);
            if (!PositiveCtrlErr(sp, pv)) break;
        }
        tierIdx = tier - 1;
        return type;
    }

    /// <summary>
    /// scan_folios: from the tail of the oldest generation, sort or isolate folios until MIN_LRU_BATCH are
    /// isolated or the MAX_LRU_BATCH budget is spent. One zone (ZONE_NORMAL) is modelled.
    /// </summary>
    private long ScanFolios(Lruvec l, ScanControl sc, int type, int tierIdx)
    {
        if (l.NrGens(type) == Lruvec.MinNrGens) return 0;
        var memcg = _m.Memcgs[l.Memcg];
        int gen = Lruvec.GenFromSeq(l.MinSeq[type]);
        int head = ListOf(l, gen, type);
        int isolatedList = _m.IsolatedList;
        int remaining = MaxLruBatch;
        long scanned = 0, sorted = 0, isolated = 0;
        while (!_frames.IsEmpty(head))
        {
            int f = _frames.Tail(head);
            scanned++;
            _m.SpendReclaim(_m.Costs.ScanFolioNs, CostCategory.Scan);
            if (SortFolio(l, f, tierIdx, sc)) sorted++;
            else
            {
                IsolateFolio(f);
                _frames.AddHead(isolatedList, f);
                isolated++;
            }
            if (--remaining == 0 || isolated >= MinLruBatch) break;
        }
        // Invariants 8 and 9: only the oldest generation, never the two youngest, about one batch per call.
        if (_m.Options.CheckInvariants && (l.MinSeq[type] + Lruvec.MinNrGens > l.MaxSeq || isolated > MinLruBatch))
            throw new InvariantViolationException(isolated > MinLruBatch ? 9 : 8, $"scan_folios isolated {isolated} pages from seq {l.MinSeq[type]} with max_seq {l.MaxSeq}.");
        memcg.Count(sc.ScanEvent, isolated);
        memcg.Count(VmEvent.PgRefill, sorted);
        memcg.Count(type == Lruvec.Anon ? VmEvent.PgScanAnon : VmEvent.PgScanFile, isolated);
        if (type == Lruvec.File) sc.FileTaken += isolated;
        return isolated != 0 || remaining == 0 ? scanned : 0;
    }

    /// <summary>sort_folio: move a folio that should not be evicted now; true when moved.</summary>
    private bool SortFolio(Lruvec l, int f, int tierIdx, ScanControl sc)
    {
        uint flags = _frames.Flags[f];
        int gen = PageFlags.Gen(flags);
        int type = PageFlags.Type(flags);
        int refs = FolioLruRefs(flags);
        bool workingset = (flags & PageFlags.Workingset) != 0;
        int tier = TierFromRefs(refs, workingset);
        var memcg = _m.Memcgs[l.Memcg];

        if ((flags & PageFlags.Unevictable) != 0)
        {
            DelFolio(f, true);
            AddFolio(f, false);
            return true;
        }
        // Promoted by the aging: move to its real generation.
        if (gen != Lruvec.GenFromSeq(l.MinSeq[type]))
        {
            _frames.Unlink(f);
            _frames.AddHead(ListOf(l, gen, type), f);
            return true;
        }
        if (_rules.AgingFeedback2024)
        {
            bool lazy = refs + (workingset ? 1 : 0) == (1 << LruRefsWidth) + 1;
            if (tier > tierIdx || lazy)
            {
                MoveToNextGen(l, f, type, reclaiming: false, toTail: false);
                if (!lazy) l.Protected[type * Lruvec.MaxNrTiers + tier]++;
                return true;
            }
        }
        else if (tier > tierIdx || refs == 1 << LruRefsWidth)
        {
            MoveToNextGen(l, f, type, reclaiming: false, toTail: true);
            l.Protected[type * Lruvec.MaxNrTiers + tier - 1]++; // tier ≥ 1 here: tier_idx ≥ 0, and refs 4 is tier 3
            // 6.1 counts a protection as an activation; 6.5+ counts activations at refault instead.
            if (!_rules.WorkingsetAccountingFix)
                memcg.Count(type == Lruvec.Anon ? VmEvent.WorkingsetActivateAnon : VmEvent.WorkingsetActivateFile);
            return true;
        }
        // Ineligible: queued on a per-CPU batch (PG_lru cleared): to the next generation until drained.
        if ((flags & PageFlags.Lru) == 0)
        {
            MoveToNextGen(l, f, type, reclaiming: false, toTail: true);
            return true;
        }
        // Dirty file pages count towards waking the flushers; waiting for writeback, or dirty file: rotate with PG_reclaim.
        if (type == Lruvec.File && (flags & PageFlags.Dirty) != 0)
        {
            sc.FileTaken++;
            if ((flags & PageFlags.Writeback) == 0) sc.UnqueuedDirty++;
        }
        if ((flags & PageFlags.Writeback) != 0 || (type == Lruvec.File && (flags & PageFlags.Dirty) != 0))
        {
            MoveToNextGen(l, f, type, reclaiming: true, toTail: false);
            return true;
        }
        return false;
    }

    /// <summary>isolate_folio: take the folio off its list for shrink_folio_list.</summary>
    private void IsolateFolio(int f)
    {
        uint flags = _frames.Flags[f];
        if (_rules.AgingFeedback2024)
        {
            if ((flags & PageFlags.Referenced) == 0) flags &= ~PageFlags.RefsMask;
        }
        else
        {
            if ((flags & PageFlags.Referenced) == 0) flags &= ~PageFlags.RefsFlags61;
            flags &= ~PageFlags.Referenced;
        }
        flags &= ~PageFlags.Reclaim;
        _frames.Flags[f] = flags;
        DelFolio(f, true);
    }

    /// <summary>
    /// folio_check_references. 6.14+: no young PTE → reclaim, else lru_gen_set_refs (keep the first
    /// time, activate the second). Before: the generic rule — a second reference (PG_referenced, which
    /// 6.1's look-around sets on the evicted folio itself) or young PTEs in several mappings activate,
    /// one young PTE keeps.
    /// </summary>
    protected override FolioReference CheckReferences(int frame, int referencedPtes)
    {
        if (!_rules.AgingFeedback2024) return CheckReferencesTwice(frame, referencedPtes);
        if (referencedPtes == 0) return FolioReference.Reclaim;
        return SetRefs(frame) ? FolioReference.Activate : FolioReference.Keep;
    }

    /// <summary>Before 6.14, look-around and walkers mark isolated folios referenced "for shrink_folio_list()".</summary>
    protected override bool KeepsFoliosPromotedWhileIsolated => !_rules.AgingFeedback2024;

    /// <summary>The rmap walk found a young PTE: look around it (lru_gen_look_around in folio_referenced_one).</summary>
    protected override void OnYoungPte(int frame, int vpage) => LookAround(frame, vpage);
}
