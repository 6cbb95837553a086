using MgLru.Engine.Memory;
using MgLru.Engine.Stats;

using MgLru.Engine.Simulation;

namespace MgLru.Engine.Reclaim.Mglru;

// Aging: creating a new generation (mm/vmscan.c should_run_aging, try_to_inc_max_seq,
// inc_max_seq, inc_min_seq, try_to_inc_min_seq).
internal sealed partial class MglruPolicy
{
    /// <summary>
    /// should_run_aging (≥6.14): must age when an evictable type has only two generations left; should
    /// age when exactly three are left. <paramref name="nrToScan"/> gets the evictable pages.
    /// </summary>
    public bool ShouldRunAging(Lruvec l, long maxSeq, int swappiness, out long nrToScan, out AgingTrigger trigger)
    {
        nrToScan = 0;
        trigger = AgingTrigger.TwoGenerations;
        long evictable = EvictableMinSeq(l, swappiness);
        if (evictable + Lruvec.MinNrGens > maxSeq) return true;
        trigger = AgingTrigger.ThreeGenerations;
        long size = 0;
        for (int type = 0; type < 2; type++)
        {
            if (!TypeEvictable(type, swappiness)) continue;
            for (long seq = l.MinSeq[type]; seq <= maxSeq; seq++)
            {
                long n = l.Size(Lruvec.GenFromSeq(seq), type);
                if (n > 0) size += n;
            }
        }
        nrToScan = size;
        return evictable + Lruvec.MinNrGens == maxSeq;
    }

    /// <summary>
    /// try_to_inc_max_seq: without page-table walks (or when the walker can't be had) one "nowalk"
    /// iteration of the mm list; with walks, every mm of the memcg is walked first. Exactly one caller
    /// per iteration increments max_seq; that one records the aging (<see cref="Machine.Agings"/>).
    /// </summary>
    public bool TryToIncMaxSeq(Lruvec l, long seq, int swappiness, bool forceScan, AgingTrigger trigger, string reclaimer)
    {
        if (seq <= l.MmStateSeq) return false;
        var memcg = _m.Memcgs[l.Memcg];
        // set_mm_walk: kswapd has a walker per node; others kzalloc one without dipping into the reserves,
        // which fails when the node is below its min watermark: then rmap-only (iterate_mm_list_nowalk).
        bool walker = _m.Options.PageTableWalks && (_m.InKswapd || _m.Frames.NodeFreeFrames(l.Node) > _m.Nodes[l.Node].Watermarks.Min);
        if (_m.Options.PageTableWalks && !walker) memcg.Count(VmEvent.WalkerAllocFailures);
        var before = new AgingCounters(memcg, l);
        int generationsBefore = (int)(l.MaxSeq - EvictableMinSeq(l, swappiness) + 1);
        if (walker)
        {
            // The walker stays with this reclaimer until clear_mm_walk (look-around uses it meanwhile).
            if (!_m.InKswapd) _holdsWalker = true;
            if (!WalkMmList(l, seq, swappiness, forceScan)) return false;
        }
        else
        {
            l.MmStateSeq++;
            l.MmHead = -1;
        }
        bool success = IncMaxSeq(l, seq, swappiness);
        if (!success) return false;
        memcg.Count(VmEvent.LruGenAging);
        RecordAging(l, memcg, before, trigger, reclaimer, generationsBefore, walker);
        return true;
    }

    /// <summary>The walk counters an aging row takes the difference of.</summary>
    private readonly struct AgingCounters
    {
        public readonly long Mms, MmsSkipped, Tables, Ptes, Young, BloomSkips, NonleafSkips, BloomAdds;

        public AgingCounters(Cgroup.MemCgroup memcg, Lruvec l)
        {
            Mms = memcg.Events[(int)VmEvent.WalkMms];
            MmsSkipped = memcg.Events[(int)VmEvent.WalkMmsSkipped];
            Tables = memcg.Events[(int)VmEvent.WalkPteTables];
            Ptes = memcg.Events[(int)VmEvent.WalkPtes];
            Young = memcg.Events[(int)VmEvent.WalkYoungPtes];
            BloomSkips = memcg.Events[(int)VmEvent.WalkPmdsSkippedBloom];
            NonleafSkips = memcg.Events[(int)VmEvent.WalkPmdsSkippedNonleaf];
            BloomAdds = l.MmStats[(int)MmStat.NonleafAdded];
        }
    }

    private void RecordAging(Lruvec l, Cgroup.MemCgroup memcg, AgingCounters before, AgingTrigger trigger, string reclaimer, int generationsBefore, bool walked)
    {
        var after = new AgingCounters(memcg, l);
        _m.Agings.Add(new AgingRow
        {
            Index = _m.Agings.Recorded,
            MemcgPath = memcg.Path,
            Node = l.Node,
            MaxSeq = l.MaxSeq,
            TimeMs = _m.NowNs / 1e6,
            PgSteal = VmEventSums.PgSteal(memcg.Events),
            Reclaimer = reclaimer,
            Trigger = trigger,
            GenerationsBefore = generationsBefore,
            PageTableWalk = walked,
            MmsWalked = after.Mms - before.Mms,
            MmsSkipped = after.MmsSkipped - before.MmsSkipped,
            PteTables = after.Tables - before.Tables,
            Ptes = after.Ptes - before.Ptes,
            YoungPtes = after.Young - before.Young,
            BloomSkips = after.BloomSkips - before.BloomSkips,
            NonleafSkips = after.NonleafSkips - before.NonleafSkips,
            BloomAdds = after.BloomAdds - before.BloomAdds,
            PagesMaxSeqMinus1 = l.Pages(l.MaxSeq - 1),
            PagesMaxSeqMinus2 = l.Pages(l.MaxSeq - 2),
            PagesMaxSeqMinus3 = l.Pages(l.MaxSeq - 3),
            MinSeqAnon = l.MinSeq[Lruvec.Anon],
            MinSeqFile = l.MinSeq[Lruvec.File],
        });
    }

    /// <summary>inc_max_seq: make room (inc_min_seq) for types whose window is full, then open a new generation.</summary>
    public bool IncMaxSeq(Lruvec l, long seq, int swappiness)
    {
        if (swappiness == 0 || swappiness > MaxSwappiness) l.SingleTypePeriod = true;
        while (true)
        {
            if (seq != l.MaxSeq) return false;
            bool restart = false;
            for (int type = 0; type < 2; type++)
            {
                if (l.NrGens(type) != Lruvec.MaxNrGens) continue;
                if (IncMinSeq(l, type, swappiness)) continue;
                restart = true; // dropped the lock after MAX_LRU_BATCH folios
                break;
            }
            if (!restart) break;
        }
        // Compat active/inactive sizes are derived from nr_pages on demand; nothing to move here.
        for (int type = 0; type < 2; type++) ResetCtrlPos(l, type, false);
        l.Timestamps[Lruvec.GenFromSeq(l.MaxSeq + 1)] = _m.Jiffies;
        l.MaxSeq++;
        return true;
    }

    /// <summary>
    /// inc_min_seq: retire the oldest generation of a type. For an evictable type its folios move to
    /// min_seq+1 (tail), counted as protected except the lazily promoted workingset; a non-evictable
    /// type just advances (an accepted cold/hot inversion).
    /// </summary>
    private bool IncMinSeq(Lruvec l, int type, int swappiness)
    {
        int remaining = MaxLruBatch;
        int oldGen = Lruvec.GenFromSeq(l.MinSeq[type]);
        if (TypeEvictable(type, swappiness))
        {
            int head = ListOf(l, oldGen, type);
            while (!_frames.IsEmpty(head))
            {
                int f = _frames.Tail(head);
                uint flags = _frames.Flags[f];
                int refs = FolioLruRefs(flags);
                bool workingset = (flags & PageFlags.Workingset) != 0;
                MoveToNextGen(l, f, type, reclaiming: false, toTail: true);
                // Don't count the workingset being lazily promoted; 6.1 counts protection only in sort_folio.
                if (_rules.AgingFeedback2024 && refs + (workingset ? 1 : 0) != (1 << LruRefsWidth) + 1)
                    l.Protected[type * Lruvec.MaxNrTiers + TierFromRefs(refs, workingset)]++;
                _m.SpendReclaim(_m.Costs.ScanFolioNs, CostCategory.Scan);
                if (--remaining == 0) return false;
            }
        }
        else if (!_frames.IsEmpty(ListOf(l, oldGen, type))) l.Inverted[type] = true;
        ResetCtrlPos(l, type, true);
        l.MinSeq[type]++;
        return true;
    }

    /// <summary>
    /// try_to_inc_min_seq: advance each evictable type's min_seq over empty generations, keeping the
    /// two types within one generation of each other when both are evictable (≥6.14); 6.1 keeps anon ≤ file.
    /// Returns whether anything advanced.
    /// </summary>
    public bool TryToIncMinSeq(Lruvec l, int swappiness)
    {
        if (swappiness == 0 || swappiness > MaxSwappiness) l.SingleTypePeriod = true;
        long minAnon = l.MinSeq[Lruvec.Anon], minFile = l.MinSeq[Lruvec.File];
        bool advanced = false;
        for (int type = 0; type < 2; type++)
        {
            if (!TypeEvictable(type, swappiness)) continue;
            ref long min = ref (type == Lruvec.Anon ? ref minAnon : ref minFile);
            while (min + Lruvec.MinNrGens <= l.MaxSeq && _frames.IsEmpty(ListOf(l, Lruvec.GenFromSeq(min), type)))
            {
                min++;
                advanced = true;
            }
        }
        if (!advanced) return false;
        if (_rules.AgingFeedback2024)
        {
            if (swappiness != 0 && swappiness <= MaxSwappiness)
            {
                long s = l.MaxSeq - Lruvec.MinNrGens;
                if (minAnon > s && minFile < s) minAnon = s;
                else if (minFile > s && minAnon < s) minFile = s;
            }
        }
        else if (swappiness != 0)
        {
            // 6.1: min_seq[anon] = min(both); min_seq[file] = max(new anon, stored file).
            if (minFile < minAnon) minAnon = minFile;
            minFile = minAnon > l.MinSeq[Lruvec.File] ? minAnon : l.MinSeq[Lruvec.File];
        }
        bool success = false;
        for (int type = 0; type < 2; type++)
        {
            if (!TypeEvictable(type, swappiness)) continue;
            long candidate = type == Lruvec.Anon ? minAnon : minFile;
            if (candidate <= l.MinSeq[type]) continue;
            ResetCtrlPos(l, type, true);
            l.MinSeq[type] = candidate;
            success = true;
        }
        return success;
    }
}
