using MgLru.Engine.Memory;
using MgLru.Engine.Mm;
using MgLru.Engine.Scenario;

namespace MgLru.Engine.Reclaim.Mglru;

// Aging by page-table walk (mm/vmscan.c walk_mm → walk_pmd_range → walk_pte_range): young PTEs of
// the memcg's mms promote their folios to max_seq by gen-field update. Bloom filters, look-around
// and concurrent walkers arrive with the page-table-walk issue; this is the single-walker core.
internal sealed partial class MglruPolicy
{
    /// <summary>One full iteration of the memcg's mm list for lruvec <paramref name="l"/> at <paramref name="seq"/>.</summary>
    private void WalkMmList(Lruvec l, long seq, int swappiness, bool forceScan)
    {
        ulong nodeBit = 1UL << (l.Node % 64);
        foreach (var mm in _m.Mms)
        {
            if (mm.Exited || mm.OwnerMemcg != l.Memcg) continue;
            // should_skip_vma: anon VMAs when anon can't be evicted, file VMAs when file can't; a file
            // read through a descriptor has no VMA at all.
            if (mm.Backend == MemoryBackend.FileRead) continue;
            if (!TypeEvictable(mm.Backend == MemoryBackend.Anon ? Lruvec.Anon : Lruvec.File, swappiness)) continue;
            if ((mm.NodeBitmap & nodeBit) == 0 && !forceScan) continue;
            mm.NodeBitmap &= ~nodeBit;
            WalkMm(l, mm, seq, forceScan);
        }
    }

    private void WalkMm(Lruvec l, MmStruct mm, long seq, bool forceScan)
    {
        var pt = _m.PageTables;
        var ptes = pt.Ptes;
        bool nonleafYoung = (_m.Options.LruGenEnabled & RunOptions.LruGenNonleafYoung) != 0;
        int newGen = Lruvec.GenFromSeq(seq);
        int end = mm.Base + mm.Pages;
        for (int table = mm.Base; table < end; table += Units.PtesPerTable)
        {
            int pmd = table / Units.PtesPerTable;
            _m.SpendReclaim(_m.Costs.PmdVisitNs);
            l.MmStats[(int)MmStat.NonleafTotal]++;
            if (nonleafYoung && !forceScan)
            {
                if (!pt.PmdYoung[pmd]) continue;
                pt.PmdYoung[pmd] = false;
            }
            l.MmStats[(int)MmStat.NonleafFound]++;
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
                // get_pfn_folio: only folios on an MGLRU list of this lruvec (same memcg and node).
                if ((flags & PageFlags.GenMask) == 0 || PageFlags.Memcg(flags) != l.Memcg) continue;
                ptes[v] = pte & ~Pte.Young;
                young++;
                int oldGen = FolioUpdateGen(f, newGen);
                if (oldGen >= 0 && oldGen != newGen)
                {
                    int type = PageFlags.Type(flags);
                    l.NrPages[oldGen * 2 + type]--;
                    l.NrPages[newGen * 2 + type]++;
                }
            }
            _m.SpendReclaim((long)total * _m.Costs.PteVisitNs);
            l.MmStats[(int)MmStat.LeafTotal] += total;
            l.MmStats[(int)MmStat.LeafOld] += old;
            l.MmStats[(int)MmStat.LeafYoung] += young;
            // suitable_to_scan: at least one young PTE per cache line (8 PTEs).
            if (young * 8 >= total) l.MmStats[(int)MmStat.NonleafAdded]++;
        }
    }
}
