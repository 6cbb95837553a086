using MgLru.Engine.Memory;
using MgLru.Engine.Mm;
using MgLru.Engine.Scenario;
using MgLru.Engine.Stats;

using MgLru.Engine.Simulation;

namespace MgLru.Engine.Reclaim.Mglru;

// Look-around (mm/vmscan.c lru_gen_look_around): when the rmap walk of an evicted folio finds its PTE
// young, the neighbouring PTEs of the same PTE table are likely young too; test and clear them in the
// same pass and promote their folios, sparing later scans.
internal sealed partial class MglruPolicy
{
    /// <summary>PAGEVEC_SIZE: 6.1 activates at most this many neighbours one by one.</summary>
    private const int PagevecSize = 15;

    private readonly int[] _lookAroundBatch = new int[MinLruBatch];
    /// <summary>The window's young PTEs (one slot more: the scan stores before it counts).</summary>
    private readonly int[] _lookAroundYoung = new int[MinLruBatch + 1];

    /// <summary>
    /// current->reclaim_state->mm_walk outside kswapd (which always has its node's walker): set by
    /// try_to_inc_max_seq when it walks (6.1 direct reclaim then keeps evicting with it), by proactive
    /// reclaim from 6.3 (set_mm_walk(NULL, sc->proactive)) and by debugfs commands; dropped by
    /// clear_mm_walk at the end of lru_gen_shrink_lruvec / lru_gen_shrink_node.
    /// </summary>
    private bool _holdsWalker;

    /// <summary>Debugfs commands run with a walker (lru_gen_seq_write allocates one first).</summary>
    internal bool HoldsWalker
    {
        get => _holdsWalker;
        set => _holdsWalker = value;
    }

    /// <summary>
    /// The start of lru_gen_shrink_lruvec / lru_gen_shrink_node: lru_add_drain (the activate batch), then
    /// set_mm_walk (preallocated for kswapd and, from 6.3, proactive reclaim).
    /// </summary>
    private void BeginShrink(ScanControl sc)
    {
        if (_activateQueued != 0) DrainActivateBatch();
        _holdsWalker = _rules.MemcgLru && sc.Reclaimer == Reclaimer.Proactive;
    }

    /// <summary>clear_mm_walk at the end of the shrink.</summary>
    private void EndShrink() => _holdsWalker = false;

    /// <summary>
    /// Called for a young PTE at <paramref name="vpage"/> mapping isolated folio <paramref name="frame"/>
    /// (its young bit already cleared). With a walker (kswapd, or see <see cref="_holdsWalker"/>) the
    /// neighbours' generations are updated in place, to be sorted by a later scan (pgrefill); without
    /// one they go through folio_activate (pgactivate), or in 6.1 in place when the window is dense.
    /// </summary>
    public void LookAround(int frame, int vpage)
    {
        if (!_m.Options.LookAround) return;
        var pt = _m.PageTables;
        var ptes = pt.Ptes;
        var vma = _m.Mms[pt.MmOf(vpage)].FindVma(vpage);
        uint frameFlags = _frames.Flags[frame];
        int memcg = PageFlags.Memcg(frameFlags);
        var l = _m.Memcgs[memcg].Lruvecs[_frames.NodeOf(frame)];
        bool clearsTriggerFirst = _rules.LookAroundClearsTriggerFirst;
        bool walk = _holdsWalker || _m.InKswapd;
        // 6.1 handles the evicted folio's own PTE in the loop: the isolated folio gets PG_referenced,
        // which makes folio_check_references activate it. 6.12+ cleared it before looking around.
        if (!clearsTriggerFirst) _frames.Flags[frame] = frameFlags | PageFlags.Referenced;
        // Window: this PTE table clipped to the VMA, at most MIN_LRU_BATCH PTEs around the address.
        int tableStart = vpage - vpage % Units.PtesPerTable;
        int start = tableStart > vma.Start ? tableStart : vma.Start;
        int end = tableStart + Units.PtesPerTable < vma.End ? tableStart + Units.PtesPerTable : vma.End;
        if (end - start == 1) return;
        if (end - start > MinLruBatch)
        {
            if (vpage - start < MinLruBatch / 2) end = start + MinLruBatch;
            else if (end - vpage < MinLruBatch / 2) start = end - MinLruBatch;
            else { start = vpage - MinLruBatch / 2; end = vpage + MinLruBatch / 2; }
        }
        int newGen = Lruvec.GenFromSeq(l.MaxSeq);
        int window = end - start;
        _m.SpendReclaim((long)window * _m.Costs.PteVisitNs, CostCategory.LookAround);
        // 6.1 walks the window in two passes: collect, then activate or update in place.
        var promote = _lookAroundBatch;
        int nPromote = 0, young = 0, promotedNow = 0;
        // 6.12: anon neighbours only when the evicted folio is anon (can_swap); 6.1 without a walker takes all.
        bool takeAnon = !clearsTriggerFirst || _rules.AgingFeedback2024 || PageFlags.Type(frameFlags) == Lruvec.Anon;
        // The young PTEs of the window first, without a branch per PTE (whether a PTE is young is a coin
        // toss the branch predictor loses).
        var candidates = _lookAroundYoung;
        int nCandidates = 0;
        for (int v = start; v < end; v++)
        {
            candidates[nCandidates] = v;
            nCandidates += (ptes[v] & (Pte.Present | Pte.Young)) == (Pte.Present | Pte.Young) ? 1 : 0;
        }
        for (int c = 0; c < nCandidates; c++)
        {
            int v = candidates[c];
            if (v == vpage) continue;
            uint pte = ptes[v];
            int f = Pte.Frame(pte);
            uint flags = _frames.Flags[f];
            if (PageFlags.Memcg(flags) != memcg || _frames.NodeOf(f) != l.Node) continue; // misplaced (another memcg or node): left young
            if (!takeAnon && PageFlags.Type(flags) == Lruvec.Anon) continue;
            int oldGen = PageFlags.Gen(flags);
            // get_pfn_folio (≥6.14) only takes folios on an MGLRU list; before, isolated neighbours have
            // their young bit cleared and get PG_referenced, which shrink_folio_list honours (keep).
            if (_rules.AgingFeedback2024 && oldGen < 0) continue;
            ptes[v] = pte & ~Pte.Young;
            young++;
            if (_rules.AgingFeedback2024)
            {
                // walk_update_folio: with a walker the generation is updated in place (first young: referenced only).
                if (walk)
                {
                    if (UpdateGenInPlace(l, f, newGen)) promotedNow++;
                }
                else if (SetRefs(f) && oldGen >= 0 && oldGen != newGen) { FolioActivate(f, l); promotedNow++; }
            }
            else if (oldGen < 0) _frames.Flags[f] = flags | PageFlags.Referenced;
            else if (oldGen != newGen) promote[nPromote++] = f;
        }
        // Feedback from rmap to the page-table walkers: a dense window's PTE table joins the Bloom filter.
        if ((young + 1) * 8 >= window) LookAroundFeedback(l, vpage / Units.PtesPerTable);
        _m.Memcgs[l.Memcg].Count(VmEvent.LookAroundPromotions, nPromote + promotedNow);
        if (_rules.AgingFeedback2024) return;
        // Without a walker 6.12 activates every promotable neighbour and 6.1 those of a sparse window (fewer
        // than a pagevec); otherwise generations are updated in place (the walker's batch: sizes catch up
        // after shrink_folio_list, applied here at once).
        if (!walk && (clearsTriggerFirst || nPromote < PagevecSize))
        {
            for (int i = 0; i < nPromote; i++) FolioActivate(promote[i], l);
            return;
        }
        for (int i = 0; i < nPromote; i++) UpdateGenInPlace(l, promote[i], newGen);
    }

    /// <summary>folio_update_gen with the lruvec's sizes following at once; true when the folio changed generation.</summary>
    private bool UpdateGenInPlace(Lruvec l, int f, int newGen)
    {
        int type = PageFlags.Type(_frames.Flags[f]);
        int oldGen = FolioUpdateGen(f, newGen);
        if (oldGen < 0 || oldGen == newGen) return false;
        l.NrPages[oldGen * 2 + type]--;
        l.NrPages[newGen * 2 + type]++;
        return true;
    }

    /// <summary>PAGEVEC_SIZE of the per-CPU activate batch (6.12: 31).</summary>
    private const int ActivateBatchSize = 31;
    private readonly int[] _activateBatch = new int[ActivateBatchSize];
    private int _activateQueued;

    /// <summary>
    /// folio_activate: 6.12+ clears PG_lru and queues the folio on the (one CPU's) activate batch, moved
    /// by lru_activate when the batch fills or is drained; 6.1 moves it at once.
    /// </summary>
    private void FolioActivate(int f, Lruvec l)
    {
        uint flags = _frames.Flags[f];
        if ((flags & (PageFlags.Lru | PageFlags.Unevictable)) != PageFlags.Lru) return;
        if (!_rules.FolioActivateIsBatchedOffLru)
        {
            LruActivate(f);
            return;
        }
        _frames.Flags[f] = flags & ~PageFlags.Lru;
        _activateBatch[_activateQueued++] = f;
        if (_activateQueued == ActivateBatchSize) DrainActivateBatch();
    }

    /// <summary>lru_activate: take the folio off its generation and re-add it as active (max_seq).</summary>
    private void LruActivate(int f)
    {
        DelFolio(f, false);
        _frames.Flags[f] |= PageFlags.Active;
        AddFolio(f, false);
        _m.Memcgs[PageFlags.Memcg(_frames.Flags[f])].Count(VmEvent.PgActivate);
    }

    /// <summary>lru_add_drain of the activate batch: each queued folio is activated and gets PG_lru back.</summary>
    private void DrainActivateBatch()
    {
        for (int i = 0; i < _activateQueued; i++)
        {
            int f = _activateBatch[i];
            _frames.Flags[f] |= PageFlags.Lru;
            if ((_frames.Flags[f] & (PageFlags.Active | PageFlags.Unevictable)) == 0) LruActivate(f);
        }
        _activateQueued = 0;
    }

    /// <summary>A queued folio leaves its list for good (freed, migrated): the batch forgets it.</summary>
    private void Dequeue(int f)
    {
        for (int i = 0; i < _activateQueued; i++)
        {
            if (_activateBatch[i] != f) continue;
            System.Array.Copy(_activateBatch, i + 1, _activateBatch, i, --_activateQueued - i);
            return;
        }
    }

    /// <summary>Whether a folio sits on the activate batch, off its list's PG_lru (for the invariant checks).</summary>
    public override bool IsQueuedOffLru(int frame)
    {
        for (int i = 0; i < _activateQueued; i++)
            if (_activateBatch[i] == frame) return true;
        return false;
    }
}
