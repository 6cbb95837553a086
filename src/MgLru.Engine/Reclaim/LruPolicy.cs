using MgLru.Engine.Cgroup;
using MgLru.Engine.Memory;
using MgLru.Engine.Mm;
using MgLru.Engine.Scenario;
using MgLru.Engine.Simulation;
using MgLru.Engine.Stats;

namespace MgLru.Engine.Reclaim;

/// <summary>folio_check_references verdicts.</summary>
internal enum FolioReference
{
    Reclaim,
    Keep,
    Activate,
}

/// <summary>
/// The seam between the machine and a reclaim policy (MGLRU, classic active/inactive, exact LRU):
/// how folios enter and leave the LRU, how a memcg's lruvec is shrunk, and the shadow entries.
/// shrink_folio_list — what happens to an isolated folio — is shared, as in mm/vmscan.c.
/// </summary>
internal abstract class LruPolicy
{
    public const int MinLruBatch = 64;
    public const int DefPriority = 12;
    public const int MaxSwappiness = 200;
    public const int SwapClusterMax = 32;

    protected readonly Machine _m;
    protected readonly FrameTable _frames;

    protected LruPolicy(Machine machine)
    {
        _m = machine;
        _frames = machine.Frames;
    }

    /// <summary>Pages a charge failure asks reclaim for, at least: SWAP_CLUSTER_MAX in the kernel.</summary>
    public virtual long ReclaimBatch => SwapClusterMax;

    /// <summary>Flags folio_add_lru gives a folio added inside a page fault (MGLRU: PG_active for recency).</summary>
    public virtual uint InFaultFlags => 0;

    /// <summary>folio_rotate_reclaimable: writeback of a folio reclaim wanted ended; put it where reclaim looks next.</summary>
    public abstract void RotateReclaimable(int frame);

    /// <summary>folio_mark_accessed: an access through a file descriptor to a cached page.</summary>
    public abstract void MarkAccessed(int frame);

    /// <summary>A newly faulted folio joins the LRU (folio_add_lru in a fault).</summary>
    public abstract void AddNewFolio(int frame);

    /// <summary>A folio leaves the LRU for good (the task exits or unmaps it).</summary>
    public abstract void RemoveFolio(int frame);

    /// <summary>Shrinks one memcg's lruvec at sc.Priority (shrink_lruvec / lru_gen_shrink_lruvec).</summary>
    public abstract void ShrinkLruvec(MemCgroup memcg, ScanControl sc);

    /// <summary>
    /// shrink_node for root (global) reclaim: shrink_node_memcgs over every memcg, honouring memory.min
    /// always and memory.low until a round reclaims nothing. MGLRU overrides it with its memcg LRU.
    /// </summary>
    public virtual void ShrinkNode(ScanControl sc)
    {
        foreach (var memcg in _m.Memcgs)
        {
            if (memcg.BelowMin(null)) continue;
            if (memcg.BelowLow(null))
            {
                if (!sc.MemcgLowReclaim)
                {
                    sc.MemcgLowSkipped = true;
                    continue;
                }
                memcg.LowEvents++;
            }
            ShrinkLruvec(memcg, sc);
            if (sc.Reclaimer == Reclaimer.Direct && sc.NrReclaimed >= sc.NrToReclaim) break; // partial walk for direct reclaim
        }
    }

    /// <summary>kswapd_age_node; returns true when the node must OOM-kill (MGLRU min_ttl).</summary>
    public virtual bool AgeNode(ScanControl sc) => false;

    /// <summary>Called once per try_to_free_mem_cgroup_pages round (snapshot_refaults and the like).</summary>
    public virtual void AfterReclaim(MemCgroup memcg, ScanControl sc)
    {
    }

    /// <summary>workingset_eviction: account the eviction and return the shadow entry.</summary>
    public abstract ulong Eviction(int frame);

    /// <summary>workingset_refault: count and classify a refault; returns the new folio's flags.</summary>
    public abstract uint Refault(ulong shadow, MemCgroup memcg, int node, uint flags, bool inFault);

    /// <summary>folio_check_references: the policy's verdict on an isolated folio.</summary>
    protected abstract FolioReference CheckReferences(int frame, int vpage);

    /// <summary>Put a surviving folio back on its LRU (move_folios_to_lru).</summary>
    protected abstract void PutBack(int frame);

    /// <summary>Compat sizes in pages: active anon, inactive anon, active file, inactive file.</summary>
    public abstract (long ActiveAnon, long InactiveAnon, long ActiveFile, long InactiveFile) LruSizes(MemCgroup memcg);

    /// <summary>NR_FILE_DIRTY of a memcg (a scan of the frames: for memory.stat, not the hot path).</summary>
    public long DirtyFilePages(MemCgroup memcg)
    {
        long n = 0;
        for (int f = 0; f < _frames.Capacity; f++)
        {
            uint flags = _frames.Flags[f];
            if ((flags & (PageFlags.InUse | PageFlags.SwapBacked | PageFlags.Dirty)) == (PageFlags.InUse | PageFlags.Dirty) && PageFlags.Memcg(flags) == memcg.Index) n++;
        }
        return n;
    }

    /// <summary>Checks the policy's own invariants (list membership, sizes); throws InvariantViolationException.</summary>
    public abstract void CheckLists();

    /// <summary>get_swappiness: 0 when anon cannot be reclaimed (no swap slots to spare), else the memcg's or run's value.</summary>
    public int GetSwappiness(MemCgroup memcg, ScanControl sc)
    {
        if (!sc.MaySwap) return 0;
        var swap = _m.Swap;
        if (swap == null || swap.FreeSlots < MinLruBatch) return 0;
        return sc.ProactiveSwappiness ?? memcg.Swappiness ?? _m.Options.Swappiness;
    }

    /// <summary>The memcg a shadow entry was charged to (swap accounting), or null.</summary>
    public MemCgroup? ShadowOwner(ulong shadow)
    {
        if (!ShadowEntry.IsValid(shadow)) return null;
        int index = ShadowEntry.MemcgId(shadow) - 1; // kernel ids are index + 1 (the root is 1)
        return index >= 0 && index < _m.Memcgs.Count ? _m.Memcgs[index] : null;
    }

    /// <summary>folio_mapped: the folio has a PTE (anon or a file mapping), as opposed to a page read through a descriptor.</summary>
    protected bool IsMapped(int frame)
    {
        int vpage = _frames.Rmap[frame];
        return vpage >= 0 && _m.Mms[_m.PageTables.MmOf(vpage)].Backend != MemoryBackend.FileRead;
    }

    /// <summary>
    /// Whether folio_referenced looks at this mapping: references from a VMA without recency
    /// (invalid_folio_referenced_vma) are ignored, young bit and all.
    /// </summary>
    protected bool ReferencesCount(int vpage) => _m.Mms[_m.PageTables.MmOf(vpage)].HasRecency;

    /// <summary>ptep_clear_young for the single mapping of a folio, at the cost of one rmap walk.</summary>
    protected bool TestAndClearYoung(int vpage)
    {
        _m.SpendReclaim(_m.Costs.RmapWalkNs, CostCategory.Rmap);
        var pt = _m.PageTables.Ptes;
        uint pte = pt[vpage];
        if ((pte & Pte.Young) == 0) return false;
        pt[vpage] = pte & ~Pte.Young;
        return true;
    }

    /// <summary>
    /// shrink_folio_list for the isolated folios on <paramref name="list"/>: the policy's reference check,
    /// then swap-out of anon (slot, unmap, write, shadow in the swap cache) or dropping a clean file page,
    /// and freeing. Survivors stay on the list, activated ones with PG_active. Returns the number reclaimed.
    /// </summary>
    protected long ShrinkFolioList(int list, ScanControl sc)
    {
        long reclaimed = 0;
        var pt = _m.PageTables.Ptes;
        int keep = _m.KeepList;
        while (!_frames.IsEmpty(list))
        {
            int f = _frames.Tail(list);
            _frames.Unlink(f);
            sc.NrScanned++;
            uint flags = _frames.Flags[f];
            var memcg = _m.Memcgs[PageFlags.Memcg(flags)];
            int vpage = _frames.Rmap[f];
            // folio_referenced finds no mapping for a page that was only read through a descriptor.
            int mappedAt = IsMapped(f) ? vpage : -1;
            int referencedAt = mappedAt >= 0 && ReferencesCount(mappedAt) ? mappedAt : -1;
            var verdict = (flags & PageFlags.Unevictable) != 0 ? FolioReference.Activate : CheckReferences(f, referencedAt);
            if (verdict != FolioReference.Reclaim)
            {
                if (verdict == FolioReference.Activate) Activate(f, memcg);
                _frames.AddHead(keep, f);
                continue;
            }
            if (PageFlags.Type(flags) == 1)
            {
                // try_to_unmap moves a dirty PTE's state to the folio; reclaim never writes file pages
                // itself: a dirty one is marked PG_reclaim and kept for the flushers.
                if (mappedAt >= 0 && (pt[mappedAt] & Pte.Dirty) != 0)
                {
                    pt[mappedAt] &= ~Pte.Dirty;
                    flags |= PageFlags.Dirty;
                }
                if ((flags & PageFlags.Dirty) != 0)
                {
                    _frames.Flags[f] = flags | PageFlags.Reclaim;
                    sc.UnqueuedDirty++;
                    Activate(f, memcg);
                    _frames.AddHead(keep, f);
                    continue;
                }
            }

            if (PageFlags.Type(flags) == 0)
            {
                var swap = _m.Swap;
                int slot = swap?.Allocate() ?? -1;
                if (slot < 0) { Activate(f, memcg); _frames.AddHead(keep, f); continue; }
                // try_to_unmap, pageout (synchronous: zram, or an SSD write treated as complete), __remove_mapping.
                if (vpage >= 0)
                {
                    pt[vpage] = Pte.MakeSwap(slot);
                    var mm = _m.Mms[_m.PageTables.MmOf(vpage)];
                    mm.Rss--;
                    mm.SwapEntries++;
                }
                memcg.Count(VmEvent.PswpOut);
                _m.SpendReclaim(swap!.Kind == SwapDeviceKind.Zram ? _m.Costs.ZramWriteNs : _m.Costs.SsdWriteNs, CostCategory.SwapOut);
                swap.SetShadow(slot, Eviction(f));
                memcg.SwapUsage++;
            }
            else if (vpage >= 0)
            {
                // A clean page-cache page: unmapped and dropped; the shadow stays in its page-cache slot.
                pt[vpage] = Pte.None;
                _m.PageTables.FileShadows![vpage] = Eviction(f);
                _m.Mms[_m.PageTables.MmOf(vpage)].Rss--;
            }
            memcg.Usage--;
            _frames.Free(f);
            _m.SpendReclaim(_m.Costs.FreePageNs, CostCategory.Free);
            reclaimed++;
        }
        _frames.SpliceHead(keep, list);
        return reclaimed;
    }

    /// <summary>activate_locked: PG_active and a pgactivate count.</summary>
    protected void Activate(int f, MemCgroup memcg)
    {
        _frames.Flags[f] |= PageFlags.Active;
        memcg.Count(VmEvent.PgActivate);
    }

    /// <summary>move_folios_to_lru: put back from the tail of the private list.</summary>
    protected void MoveFoliosToLru(int list)
    {
        while (!_frames.IsEmpty(list))
        {
            int f = _frames.Tail(list);
            _frames.Unlink(f);
            PutBack(f);
        }
    }
}
