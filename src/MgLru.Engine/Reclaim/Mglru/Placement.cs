using MgLru.Engine.Memory;

namespace MgLru.Engine.Reclaim.Mglru;

// Where folios enter and leave the generation lists, and how their access state is kept
// (include/linux/mm_inline.h lru_gen_add_folio / lru_gen_del_folio / lru_gen_folio_seq,
// mm/vmscan.c folio_update_gen / folio_inc_gen / lru_gen_set_refs).
internal sealed partial class MglruPolicy
{
    /// <summary>folio_lru_refs: 0 without PG_referenced, else refs bits + 1 (≥6.14); refs bits + PG_workingset (6.1).</summary>
    public int FolioLruRefs(uint flags)
    {
        if (_rules.AgingFeedback2024) return (flags & PageFlags.Referenced) == 0 ? 0 : PageFlags.Refs(flags) + 1;
        return PageFlags.Refs(flags) + ((flags & PageFlags.Workingset) != 0 ? 1 : 0);
    }

    /// <summary>lru_tier_from_refs: ≥6.14 workingset ? 3 : order_base_2(refs); 6.1 order_base_2(refs + 1).</summary>
    public int TierFromRefs(int refs, bool workingset)
    {
        if (_rules.AgingFeedback2024) return workingset ? 3 : OrderBase2(refs);
        return OrderBase2(refs + 1);
    }

    /// <summary>order_base_2: ceil(log2(n)), with 0 and 1 both mapping to 0.</summary>
    public static int OrderBase2(int n)
    {
        int r = 0;
        while ((1 << r) < n) r++;
        return r;
    }

    public int FolioTier(uint flags) => TierFromRefs(FolioLruRefs(flags), (flags & PageFlags.Workingset) != 0);

    /// <summary>lru_gen_folio_seq: the sequence a folio is added at.</summary>
    public long FolioSeq(Lruvec l, uint flags, bool reclaiming)
    {
        int type = PageFlags.Type(flags);
        long maxSeq = l.MaxSeq, minSeq = l.MinSeq[type];
        bool active = (flags & PageFlags.Active) != 0;
        bool anonNotInSwapCache = type == Lruvec.Anon && (flags & PageFlags.SwapCache) == 0;
        bool reclaimDirty = (flags & PageFlags.Reclaim) != 0 && (flags & (PageFlags.Dirty | PageFlags.Writeback)) != 0;
        if (_rules.AgingFeedback2024)
        {
            int workingset = (flags & PageFlags.Workingset) != 0 ? 1 : 0;
            int d;
            if (active) d = Lruvec.MinNrGens - workingset;
            else if (reclaiming) d = Lruvec.MaxNrGens;
            else if (anonNotInSwapCache || reclaimDirty) d = Lruvec.MinNrGens;
            else d = Lruvec.MaxNrGens - workingset;
            long seq = maxSeq - d + 1;
            return seq > minSeq ? seq : minSeq;
        }
        // 6.1.69+ through 6.13 (the "fix underprotected page cache" rules).
        if (active) return maxSeq;
        if (anonNotInSwapCache || reclaimDirty) return maxSeq - 1;
        if (reclaiming || minSeq + Lruvec.MinNrGens >= maxSeq) return minSeq;
        return minSeq + 1;
    }

    /// <summary>lru_gen_add_folio: set the gen field, clear PG_active, account the size, link at head (tail when reclaiming).</summary>
    /// <summary>folio_add_lru: with MGLRU on, a folio added in a fault with recency gets PG_active.</summary>
    public override uint InFaultFlags => PageFlags.Active;

    public override void AddNewFolio(int frame) => AddFolio(frame, false);

    public override void RemoveFolio(int frame) => DelFolio(frame, true);

    /// <summary>lru_gen_del_folio(reclaiming = false): a folio of an active generation gets PG_active.</summary>
    public override void IsolateForMigration(int frame) => DelFolio(frame, false);

    public override void MarkAccessed(int frame) => IncRefs(frame);

    /// <summary>lru_move_tail: off its generation and back at the tail of the oldest one (reclaiming placement).</summary>
    public override void RotateReclaimable(int frame)
    {
        DelFolio(frame, false);
        _frames.Flags[frame] &= ~PageFlags.Active;
        AddFolio(frame, true);
    }

    protected override void PutBack(int frame) => AddFolio(frame, false);

    public void AddFolio(int frame, bool reclaiming)
    {
        uint flags = _frames.Flags[frame];
        var l = LruvecOf(frame);
        if ((flags & PageFlags.Unevictable) != 0)
        {
            _frames.Flags[frame] = flags | PageFlags.Lru;
            _frames.AddHead(UnevictableListOf(l), frame);
            l.NrUnevictable++;
            return;
        }
        int type = PageFlags.Type(flags);
        int gen = Lruvec.GenFromSeq(FolioSeq(l, flags, reclaiming));
        flags &= ~(PageFlags.GenMask | PageFlags.Active);
        flags |= ((uint)(gen + 1) << PageFlags.GenShift) | PageFlags.Lru;
        _frames.Flags[frame] = flags;
        l.NrPages[gen * 2 + type]++;
        int list = ListOf(l, gen, type);
        if (reclaiming) _frames.AddTail(list, frame);
        else _frames.AddHead(list, frame);
    }

    /// <summary>
    /// lru_gen_del_folio: unlink and clear the gen field. When not reclaiming, a folio from an active
    /// generation keeps PG_active (for isolation by migration and the like).
    /// </summary>
    public void DelFolio(int frame, bool reclaiming)
    {
        uint flags = _frames.Flags[frame];
        // On a list without PG_lru: queued for activation (the kernel's batch holds a reference).
        if ((flags & PageFlags.Lru) == 0 && _activateQueued != 0) Dequeue(frame);
        var l = LruvecOf(frame);
        _frames.Unlink(frame);
        if ((flags & PageFlags.Unevictable) != 0)
        {
            l.NrUnevictable--;
            _frames.Flags[frame] = flags & ~PageFlags.Lru;
            return;
        }
        int gen = PageFlags.Gen(flags);
        int type = PageFlags.Type(flags);
        l.NrPages[gen * 2 + type]--;
        flags &= ~(PageFlags.GenMask | PageFlags.Lru);
        if (!reclaiming && IsActiveGen(l, gen)) flags |= PageFlags.Active;
        _frames.Flags[frame] = flags;
    }

    /// <summary>lru_gen_is_active: generations max_seq and max_seq-1 count as "active".</summary>
    public static bool IsActiveGen(Lruvec l, int gen)
        => gen == Lruvec.GenFromSeq(l.MaxSeq) || gen == Lruvec.GenFromSeq(l.MaxSeq - 1);

    /// <summary>
    /// folio_update_gen: promotion by the aging (page-table walk and look-around with a walker).
    /// Only the gen field changes; the folio stays on its list until sort_folio or inc_min_seq meets it.
    /// Returns the old generation, or -1 if nothing was promoted.
    /// </summary>
    public int FolioUpdateGen(int frame, int gen)
    {
        uint flags = _frames.Flags[frame];
        if (_rules.AgingFeedback2024 && (flags & (PageFlags.Referenced | PageFlags.Workingset)) == 0)
        {
            // First young PTE since fault or reclaim: only remember it.
            _frames.Flags[frame] = (flags & ~PageFlags.RefsMask) | PageFlags.Referenced;
            return -1;
        }
        if ((flags & PageFlags.GenMask) == 0)
        {
            // Isolated: before 6.14 leave PG_referenced for shrink_folio_list, which then keeps it.
            if (!_rules.AgingFeedback2024) _frames.Flags[frame] = flags | PageFlags.Referenced;
            return -1;
        }
        int oldGen = PageFlags.Gen(flags);
        flags &= ~(PageFlags.GenMask | _refsFlags);
        flags |= (uint)(gen + 1) << PageFlags.GenShift;
        if (_rules.AgingFeedback2024) flags |= PageFlags.Workingset;
        _frames.Flags[frame] = flags;
        return oldGen;
    }

    /// <summary>
    /// folio_inc_gen and the list move that goes with it (sort_folio's protection, writeback and
    /// ineligible folios, inc_min_seq): from min_seq to min_seq+1, refs cleared, sizes updated, onto the
    /// new generation's head or tail. A folio the aging promoted keeps its generation and only moves.
    /// </summary>
    private void MoveToNextGen(Lruvec l, int frame, int type, bool reclaiming, bool toTail)
    {
        uint flags = _frames.Flags[frame];
        int oldGen = Lruvec.GenFromSeq(l.MinSeq[type]);
        int newGen = PageFlags.Gen(flags);
        if (newGen < 0 || newGen == oldGen)
        {
            newGen = (oldGen + 1) % Lruvec.MaxNrGens;
            flags &= ~(PageFlags.GenMask | _refsFlags);
            flags |= (uint)(newGen + 1) << PageFlags.GenShift;
            if (reclaiming) flags |= PageFlags.Reclaim;
            _frames.Flags[frame] = flags;
            l.NrPages[oldGen * 2 + type]--;
            l.NrPages[newGen * 2 + type]++;
        }
        int list = ListOf(l, newGen, type);
        _frames.Unlink(frame);
        if (toTail) _frames.AddTail(list, frame);
        else _frames.AddHead(list, frame);
    }

    /// <summary>
    /// lru_gen_set_refs (rmap found a young PTE on an isolated folio): the first time only PG_referenced
    /// (keep); the second time PG_workingset (activate). 6.1 rules activate at once.
    /// </summary>
    public bool SetRefs(int frame)
    {
        uint flags = _frames.Flags[frame];
        if (!_rules.AgingFeedback2024)
        {
            _frames.Flags[frame] = flags | PageFlags.Referenced;
            return true;
        }
        if ((flags & (PageFlags.Referenced | PageFlags.Workingset)) == 0)
        {
            _frames.Flags[frame] = (flags & ~PageFlags.RefsMask) | PageFlags.Referenced;
            return false;
        }
        _frames.Flags[frame] = (flags & ~PageFlags.RefsFlags614) | PageFlags.Workingset;
        return true;
    }

    /// <summary>lru_gen_inc_refs / folio_inc_refs: an access through a file descriptor (no list movement).</summary>
    public void IncRefs(int frame)
    {
        uint flags = _frames.Flags[frame];
        if ((flags & PageFlags.Unevictable) != 0) return;
        if ((flags & PageFlags.Referenced) == 0)
        {
            _frames.Flags[frame] = (flags & ~PageFlags.RefsMask) | PageFlags.Referenced;
            return;
        }
        if (_rules.AgingFeedback2024)
        {
            int refs = PageFlags.Refs(flags);
            if (refs < 3) _frames.Flags[frame] = (flags & ~PageFlags.RefsMask) | ((uint)(refs + 1) << PageFlags.RefsShift);
            else _frames.Flags[frame] = flags | PageFlags.Workingset;
            return;
        }
        if ((flags & PageFlags.Workingset) == 0)
        {
            _frames.Flags[frame] = flags | PageFlags.Workingset;
            return;
        }
        int r = PageFlags.Refs(flags);
        if (r < 3) _frames.Flags[frame] = (flags & ~PageFlags.RefsMask) | ((uint)(r + 1) << PageFlags.RefsShift);
    }
}
