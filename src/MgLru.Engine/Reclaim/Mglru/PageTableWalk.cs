using MgLru.Engine.Cgroup;
using MgLru.Engine.Memory;
using MgLru.Engine.Mm;
using MgLru.Engine.Scenario;
using MgLru.Engine.Simulation;
using MgLru.Engine.Stats;

namespace MgLru.Engine.Reclaim.Mglru;

// Aging by page-table walk (mm/vmscan.c iterate_mm_list, walk_mm, walk_pmd_range, walk_pte_range,
// Bloom filters): young PTEs of the memcg's mms promote their folios to max_seq by gen-field update.
// Several walkers may age one lruvec at once (RunOptions.Walkers, in a fixed round-robin interleaving):
// iterate_mm_list hands each a unique mm, and the one that finds the end of the list ends the
// iteration and increments max_seq (invariant 14).
internal sealed partial class MglruPolicy
{
    /// <summary>struct lru_gen_mm_walk: one reclaimer's walk state.</summary>
    private sealed class MmWalker
    {
        public long Seq;
        public bool ForceScan;
        public bool Done;
        /// <summary>walk->nr_pages: generation-size deltas batched until reset_batch_size (sizes are eventually consistent).</summary>
        public readonly long[] Batch = new long[Lruvec.MaxNrGens * 2];
        public int Batched;
    }

    private MmWalker[] _walkers = System.Array.Empty<MmWalker>();

    /// <summary>
    /// The walk part of try_to_inc_max_seq: <see cref="RunOptions.Walkers"/> walkers take turns asking
    /// iterate_mm_list for an mm and walking it, until the list is exhausted. Returns whether one of them
    /// ended the iteration (then mm_state.seq has advanced).
    /// </summary>
    private bool WalkMmList(Lruvec l, long seq, int swappiness, bool forceScan)
    {
        int count = System.Math.Max(1, _m.Options.Walkers);
        if (_walkers.Length != count)
        {
            _walkers = new MmWalker[count];
            for (int i = 0; i < count; i++) _walkers[i] = new MmWalker();
        }
        foreach (var w in _walkers)
        {
            w.Seq = seq;
            w.ForceScan = forceScan || _m.Options.WalkForceScan;
            w.Done = false;
        }
        var memcg = _m.Memcgs[l.Memcg];
        bool ended = false;
        int done = 0;
        if (_m.Options.CheckInvariants) _handedOut.Clear();
        for (int turn = 0; done < count; turn++)
        {
            var w = _walkers[turn % count];
            if (w.Done) continue;
            bool last = IterateMmList(l, memcg, w, out MmStruct? mm);
            if (mm == null)
            {
                w.Done = true;
                done++;
                if (last)
                {
                    if (ended) throw new InvariantViolationException(14, $"memcg {memcg.Path}: two walkers ended iteration {seq}.");
                    ended = true;
                }
                continue;
            }
            WalkMm(l, memcg, mm, w, swappiness);
            ResetBatchSize(l, w); // walk_mm flushes under the LRU lock after each mm
        }
        return ended;
    }

    private readonly System.Collections.Generic.HashSet<MmStruct> _handedOut = new();

    /// <summary>
    /// iterate_mm_list: advance mm_state.head to the next mm this walker may take; at the end of the list
    /// bump mm_state.seq and report "last". Mms added since the last iteration make the walker force-scan
    /// (sticky); an mm that has not run since the last walk of this node is skipped unless forced. The
    /// walker that starts an iteration resets the Bloom filter of the next one.
    /// </summary>
    private bool IterateMmList(Lruvec l, MemCgroup memcg, MmWalker walker, out MmStruct? mm)
    {
        mm = null;
        if (walker.Seq <= l.MmStateSeq) return false; // this iteration is over: another walker ended it
        bool first = l.MmHead < 0;
        var list = memcg.MmList;
        ulong nodeBit = 1UL << (l.Node % 64);
        while (true)
        {
            l.MmHead++;
            if (l.MmHead >= list.Count)
            {
                l.MmStateSeq++;
                l.MmHead = -1;
                l.MmsAddedSinceIteration = false;
                return true;
            }
            if (l.MmsAddedSinceIteration) walker.ForceScan = true;
            var candidate = list[l.MmHead];
            if (candidate.Exited) continue;
            // get_next_mm: skip an mm that has not run on any CPU since the last walk of this node.
            if ((candidate.NodeBitmap & nodeBit) == 0 && !walker.ForceScan)
            {
                memcg.Count(VmEvent.WalkMmsSkipped);
                continue;
            }
            candidate.NodeBitmap &= ~nodeBit;
            mm = candidate;
            break;
        }
        if (_m.Options.CheckInvariants && !_handedOut.Add(mm))
            throw new InvariantViolationException(14, $"memcg {memcg.Path}: mm of {mm.TaskName} handed to two walkers in iteration {walker.Seq}.");
        memcg.Count(VmEvent.WalkMms);
        if (first)
        {
            int next = (int)((walker.Seq + 1) & 1);
            if (l.Filters[next] == null) l.Filters[next] = new BloomFilter();
            else l.Filters[next]!.Clear();
        }
        return false;
    }

    /// <summary>reset_batch_size: fold a walker's batched deltas into the lruvec's nr_pages.</summary>
    private static void ResetBatchSize(Lruvec l, MmWalker w)
    {
        for (int i = 0; i < w.Batch.Length; i++)
        {
            l.NrPages[i] += w.Batch[i];
            w.Batch[i] = 0;
        }
        w.Batched = 0;
    }

    /// <summary>walk_mm → walk_page_range: each VMA the walker does not skip, from the PUD level down.</summary>
    private void WalkMm(Lruvec l, MemCgroup memcg, MmStruct mm, MmWalker walker, int swappiness)
    {
        bool canSwap = TypeEvictable(Lruvec.Anon, swappiness);
        foreach (var vma in mm.Vmas)
        {
            // should_skip_vma: flags (locked, no recency, PFN maps), anon VMAs when anon can't be evicted,
            // file VMAs when file can't; a file read through a descriptor has no VMA with PTEs at all.
            if (vma.WalkSkips) continue;
            if (!TypeEvictable(vma.IsAnon ? Lruvec.Anon : Lruvec.File, swappiness)) continue;
            WalkPudRange(l, memcg, vma, walker, canSwap);
        }
    }

    /// <summary>walk_pud_range: PUD entries (1 GiB each) over the VMA; an absent one has nothing below it.</summary>
    private void WalkPudRange(Lruvec l, MemCgroup memcg, Vma vma, MmWalker walker, bool canSwap)
    {
        var pudPresent = _m.PageTables.PudPresent;
        int firstTable = vma.Start / Units.PtesPerTable, endTable = (vma.End - 1) / Units.PtesPerTable + 1;
        for (int table = firstTable; table < endTable;)
        {
            int pud = table / Units.PtesPerTable;
            int pudEnd = (pud + 1) * Units.PtesPerTable < endTable ? (pud + 1) * Units.PtesPerTable : endTable;
            _m.SpendReclaim(_m.Costs.PmdVisitNs, CostCategory.PageTableWalk);
            if (pudPresent[pud]) WalkPmdRange(l, memcg, vma, walker, canSwap, table, pudEnd);
            table = pudEnd;
        }
    }

    /// <summary>
    /// walk_pmd_range and walk_pte_range over PTE tables [firstTable, endTable) clipped to the VMA:
    /// non-leaf young and Bloom filter gates, then young PTEs promote their folios to max_seq.
    /// </summary>
    private void WalkPmdRange(Lruvec l, MemCgroup memcg, Vma vma, MmWalker walker, bool canSwap, int firstTable, int endTable)
    {
        long seq = walker.Seq;
        bool forceScan = walker.ForceScan;
        var pt = _m.PageTables;
        var ptes = pt.Ptes;
        // The non-leaf young gate: off under force_scan from v6.11, on for every walk in 6.1.
        bool nonleafYoung = (_m.Options.LruGenEnabled & RunOptions.LruGenNonleafYoung) != 0 && !(forceScan && _rules.ForceScanIgnoresNonleafYoung);
        var filter = l.Filters[(int)(seq & 1)];
        var nextFilter = l.Filters[(int)((seq + 1) & 1)];
        int newGen = Lruvec.GenFromSeq(seq);
        for (int pmd = firstTable; pmd < endTable; pmd++)
        {
            _m.SpendReclaim(_m.Costs.PmdVisitNs, CostCategory.PageTableWalk);
            // A PMD entry without a PTE table: nothing below it (counted as one leaf, as the kernel does).
            if (!pt.PmdPresent[pmd])
            {
                l.MmStats[(int)MmStat.LeafTotal]++;
                continue;
            }
            l.MmStats[(int)MmStat.NonleafTotal]++;
            if (nonleafYoung)
            {
                if (!pt.PmdYoung[pmd])
                {
                    memcg.Count(VmEvent.WalkPmdsSkippedNonleaf);
                    continue;
                }
                pt.PmdYoung[pmd] = false; // cleared in the locked pass
            }
            if (!forceScan && filter != null)
            {
                _m.SpendReclaim(_m.Costs.BloomTestNs, CostCategory.PageTableWalk);
                if (!filter.Test(pmd))
                {
                    memcg.Count(VmEvent.WalkPmdsSkippedBloom);
                    continue;
                }
            }
            l.MmStats[(int)MmStat.NonleafFound]++;
            memcg.Count(VmEvent.WalkPteTables);
            int table = pmd * Units.PtesPerTable;
            int start = table > vma.Start ? table : vma.Start;
            int end = table + Units.PtesPerTable < vma.End ? table + Units.PtesPerTable : vma.End;
            int total = 0, young = 0, old = 0;
            for (int v = start; v < end; v++)
            {
                total++;
                uint pte = ptes[v];
                if ((pte & Pte.Present) == 0) continue;
                if ((pte & Pte.Young) == 0) { old++; continue; }
                int f = Pte.Frame(pte);
                uint flags = _frames.Flags[f];
                // get_pfn_folio: only folios of this lruvec (same memcg and node); misplaced ones keep their
                // young bit (invariant 11). ≥6.14 also skips folios off the LRU; before, an isolated folio is
                // cleared and marked for shrink_folio_list (folio_update_gen). File VMAs can hold anonymous
                // copies (COW), which are left alone when anon cannot be swapped.
                if (PageFlags.Memcg(flags) != l.Memcg || _frames.NodeOf(f) != l.Node) continue;
                if ((flags & PageFlags.GenMask) == 0 && _rules.AgingFeedback2024) continue;
                if ((flags & PageFlags.SwapBacked) != 0 && !canSwap) continue;
                ptes[v] = pte & ~Pte.Young;
                young++;
                // walk_update_folio: a dirty PTE of a file folio dirties the folio.
                if ((pte & Pte.Dirty) != 0 && (flags & PageFlags.SwapBacked) == 0)
                {
                    ptes[v] &= ~Pte.Dirty;
                    _frames.Flags[f] |= PageFlags.Dirty;
                }
                int oldGen = FolioUpdateGen(f, newGen);
                if (oldGen >= 0 && oldGen != newGen)
                {
                    // update_batch_size: the lruvec's sizes catch up when the batch is flushed.
                    int type = PageFlags.Type(flags);
                    walker.Batch[oldGen * 2 + type]--;
                    walker.Batch[newGen * 2 + type]++;
                    if (++walker.Batched >= MaxLruBatch) ResetBatchSize(l, walker);
                }
            }
            _m.SpendReclaim((long)total * _m.Costs.PteVisitNs, CostCategory.PageTableWalk);
            l.MmStats[(int)MmStat.LeafTotal] += total;
            l.MmStats[(int)MmStat.LeafOld] += old;
            l.MmStats[(int)MmStat.LeafYoung] += young;
            memcg.Count(VmEvent.WalkPtes, total);
            memcg.Count(VmEvent.WalkYoungPtes, young);
            // suitable_to_scan: at least one young PTE per cache line (8 PTEs): carry over to the next generation.
            if (young * 8 >= total)
            {
                l.MmStats[(int)MmStat.NonleafAdded]++;
                nextFilter?.Add(pmd);
            }
        }
    }

    /// <summary>Look-around's feedback: a dense PTE table joins the filter of max_seq (if allocated).</summary>
    private void LookAroundFeedback(Lruvec l, int pmd) => l.Filters[(int)(l.MaxSeq & 1)]?.Add(pmd);
}
