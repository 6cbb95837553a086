using MgLru.Engine.Cgroup;
using MgLru.Engine.Memory;
using MgLru.Engine.Mm;
using MgLru.Engine.Scenario;
using MgLru.Engine.Simulation;
using MgLru.Engine.Stats;

namespace MgLru.Engine.Reclaim.Mglru;

// Aging by page-table walk (mm/vmscan.c iterate_mm_list, walk_mm, walk_pmd_range, walk_pte_range,
// Bloom filters): young PTEs of the memcg's mms promote their folios to max_seq by gen-field update.
// One walker completes each iteration (reclaimers are not interleaved), so each mm is walked once per
// iteration and exactly that walker increments max_seq (invariant 14).
internal sealed partial class MglruPolicy
{
    /// <summary>
    /// One iteration of the memcg's mm list for lruvec <paramref name="l"/> at <paramref name="seq"/>:
    /// mms that have not run since the last walk on this node are skipped (mm bitmap), PTE tables whose
    /// non-leaf PMD is old (0x4) or that are missing from the Bloom filter of <paramref name="seq"/> are
    /// skipped, and dense tables carry over into the filter of seq + 1. force_scan (the debugfs default,
    /// or mms added since the last iteration) bypasses all three.
    /// </summary>
    private void WalkMmList(Lruvec l, long seq, int swappiness, bool forceScan)
    {
        var memcg = _m.Memcgs[l.Memcg];
        if (l.MmsAddedSinceIteration || _m.Options.WalkForceScan) forceScan = true; // newcomers since the last iteration are force-scanned
        l.MmsAddedSinceIteration = false;
        ulong nodeBit = 1UL << (l.Node % 64);
        bool first = true;
        foreach (var mm in memcg.MmList)
        {
            if (mm.Exited) continue;
            // get_next_mm: the mm has not run on any CPU since the last walk of this node.
            if ((mm.NodeBitmap & nodeBit) == 0 && !forceScan)
            {
                memcg.Count(VmEvent.WalkMmsSkipped);
                continue;
            }
            mm.NodeBitmap &= ~nodeBit;
            if (first)
            {
                // The walker that starts an iteration resets (or allocates) the filter for the next one.
                first = false;
                int next = (int)((seq + 1) & 1);
                if (l.Filters[next] == null) l.Filters[next] = new BloomFilter();
                else l.Filters[next]!.Clear();
            }
            memcg.Count(VmEvent.WalkMms);
            // should_skip_vma: anon VMAs when anon can't be evicted, file VMAs when file can't; a file read
            // through a descriptor has no VMA at all.
            if (mm.Backend == MemoryBackend.FileRead || mm.WalkSkips) continue;
            if (!TypeEvictable(mm.Backend == MemoryBackend.Anon ? Lruvec.Anon : Lruvec.File, swappiness)) continue;
            WalkMm(l, memcg, mm, seq, forceScan);
            ResetBatchSize(l); // walk_mm flushes under the LRU lock after each mm
        }
    }

    /// <summary>walk->nr_pages: generation-size deltas batched by the walker (lrugen sizes are eventually consistent).</summary>
    private readonly long[] _walkBatch = new long[Lruvec.MaxNrGens * 2];
    private int _walkBatched;

    /// <summary>reset_batch_size: fold the walker's batched deltas into the lruvec's nr_pages.</summary>
    private void ResetBatchSize(Lruvec l)
    {
        for (int i = 0; i < _walkBatch.Length; i++)
        {
            l.NrPages[i] += _walkBatch[i];
            _walkBatch[i] = 0;
        }
        _walkBatched = 0;
    }

    private void WalkMm(Lruvec l, MemCgroup memcg, MmStruct mm, long seq, bool forceScan)
    {
        var pt = _m.PageTables;
        var ptes = pt.Ptes;
        bool nonleafYoung = (_m.Options.LruGenEnabled & RunOptions.LruGenNonleafYoung) != 0;
        var filter = l.Filters[(int)(seq & 1)];
        var nextFilter = l.Filters[(int)((seq + 1) & 1)];
        int newGen = Lruvec.GenFromSeq(seq);
        int end = mm.Base + mm.Pages;
        for (int table = mm.Base; table < end; table += Units.PtesPerTable)
        {
            int pmd = table / Units.PtesPerTable;
            _m.SpendReclaim(_m.Costs.PmdVisitNs, CostCategory.PageTableWalk);
            // A PMD entry without a PTE table: nothing below it (counted as one leaf, as the kernel does).
            if (!pt.PmdPresent[pmd])
            {
                l.MmStats[(int)MmStat.LeafTotal]++;
                continue;
            }
            l.MmStats[(int)MmStat.NonleafTotal]++;
            if (nonleafYoung && !forceScan)
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
            int tableEnd = table + Units.PtesPerTable < end ? table + Units.PtesPerTable : end;
            int total = 0, young = 0, old = 0;
            for (int v = table; v < tableEnd; v++)
            {
                total++;
                uint pte = ptes[v];
                if ((pte & Pte.Present) == 0) continue;
                if ((pte & Pte.Young) == 0) { old++; continue; }
                int f = Pte.Frame(pte);
                uint flags = _frames.Flags[f];
                // get_pfn_folio: only folios on an MGLRU list of this lruvec (same memcg and node);
                // misplaced ones keep their young bit (invariant 11).
                if ((flags & PageFlags.GenMask) == 0 || PageFlags.Memcg(flags) != l.Memcg) continue;
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
                    _walkBatch[oldGen * 2 + type]--;
                    _walkBatch[newGen * 2 + type]++;
                    if (++_walkBatched >= MaxLruBatch) ResetBatchSize(l);
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
