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
    /// <summary>Which kernel's rules apply where versions differ.</summary>
    protected readonly KernelRuleSet _rules;

    protected LruPolicy(Machine machine)
    {
        _m = machine;
        _frames = machine.Frames;
        _rules = machine.Rules;
        _migration = new Tiering.Migration(machine);
        _shadowNodes = new ShadowNodeShrinker(machine, this);
        // The flusher runs on the system's 2 s cadence since boot, at no particular point of the run.
        var phase = new Workloads.Xoshiro256StarStar(machine.Options.Seed ^ FlushPhaseSalt);
        _flushPhaseNs = (long)(phase.NextDouble() * FlushTimeNs);
    }

    /// <summary>FLUSH_TIME: the period of the memcg stats flusher (flush_memcg_stats_dwork).</summary>
    private const long FlushTimeNs = 2_000_000_000;
    private const ulong FlushPhaseSalt = 0x464C555348UL;
    private readonly long _flushPhaseNs;

    /// <summary>
    /// The periodic flusher's count so far: flushes at a seed-drawn phase within the first 2 s, then every
    /// 2 s (period k ≥ 1 begins with the k-th).
    /// </summary>
    private long FlushPeriodNow => _m.NowNs < _flushPhaseNs ? 0 : (_m.NowNs - _flushPhaseNs) / FlushTimeNs + 1;

    /// <summary>Per memcg: the flusher period of its last flush (0: none yet; the copy then holds the empty memcg's).</summary>
    private long[] _flushPeriod = System.Array.Empty<long>();
    /// <summary>Per memcg: count_shadow_nodes' LRU + slab pages as of the last flush.</summary>
    private long[] _flushedShadowBudgetPages = System.Array.Empty<long>();

    /// <summary>
    /// A read of the memcg's rstat copy (KernelRuleSet.ReclaimReadsFlushedMemcgStats): the periodic flusher,
    /// caught up lazily, so the first read after a flush point takes the values of that moment (under
    /// reclaim, reads come every few pages).
    /// </summary>
    protected void CatchUpFlusher(MemCgroup memcg)
    {
        EnsureFlushedStats(memcg);
        long period = FlushPeriodNow;
        if (period <= _flushPeriod[memcg.Index]) return;
        _flushPeriod[memcg.Index] = period;
        SnapshotMemcgStats(memcg);
    }

    /// <summary>mem_cgroup_flush_stats: bring the rstat copy of the memcg's stats up to date (a memory.stat read does it).</summary>
    public void FlushMemcgStats(MemCgroup memcg)
    {
        EnsureFlushedStats(memcg);
        _flushPeriod[memcg.Index] = System.Math.Max(_flushPeriod[memcg.Index], FlushPeriodNow);
        SnapshotMemcgStats(memcg);
    }

    /// <summary>A flush: copy what reclaim reads from the rstat copy; policies add their own lists.</summary>
    protected virtual void SnapshotMemcgStats(MemCgroup memcg) => _flushedShadowBudgetPages[memcg.Index] = LiveShadowBudgetPages(memcg);

    /// <summary>
    /// The pages count_shadow_nodes sizes a memcg's shadow-node budget from: its LRU pages (every list) and
    /// slab pages. 6.12 reads them from the flushed rstat copy, which reads 0 for a memcg no flush has seen
    /// filled: until then every shadow-only node is over budget. 6.1 summed the exact per-CPU counters.
    /// </summary>
    public long ShadowBudgetPages(MemCgroup memcg)
    {
        if (!_rules.ReclaimReadsFlushedMemcgStats) return LiveShadowBudgetPages(memcg);
        CatchUpFlusher(memcg);
        return _flushedShadowBudgetPages[memcg.Index];
    }

    private long LiveShadowBudgetPages(MemCgroup memcg)
    {
        var (activeAnon, inactiveAnon, activeFile, inactiveFile) = LruSizes(memcg);
        long slabPages = _m.PageCache.AllocatedNodes(memcg.Index) * PageCache.XaNodeBytes / Units.PageSize;
        // The charged overhead stands for the program's own memory: in the kernel mostly LRU pages (its
        // arrays, code) and slab, which count_shadow_nodes counts (page tables, a smaller part, it does not).
        return activeAnon + inactiveAnon + activeFile + inactiveFile + UnevictablePages(memcg) + slabPages + memcg.OverheadPages;
    }

    private void EnsureFlushedStats(MemCgroup memcg)
    {
        if (_flushPeriod.Length > memcg.Index) return;
        System.Array.Resize(ref _flushPeriod, _m.Memcgs.Count);
        System.Array.Resize(ref _flushedShadowBudgetPages, _m.Memcgs.Count);
    }

    private readonly Tiering.Migration _migration;
    private readonly ShadowNodeShrinker _shadowNodes;

    /// <summary>
    /// shrink_slab after a memcg's lruvec was shrunk (shrink_node_memcgs, shrink_one): the slab the
    /// simulator has is the page cache's shadow-only xa_nodes.
    /// </summary>
    public void ShrinkSlab(MemCgroup memcg, int priority) => _shadowNodes.Shrink(memcg, priority);

    /// <summary>
    /// can_demote: demotion is enabled, this reclaim may demote, and <paramref name="node"/> has a lower
    /// tier to demote to. Under the 2018 RFC only top-tier (DRAM) nodes migrate; slower ones swap.
    /// </summary>
    public bool CanDemote(int node, ScanControl sc)
    {
        if (!_m.Options.Demotion || sc.NoDemotion) return false;
        var n = _m.Nodes[node];
        if (n.DemotionTargets.Length == 0) return false;
        return _m.Options.DemotionMode != DemotionMode.Rfc2018 || n.IsTopTier;
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

    /// <summary>folio_isolate_lru outside reclaim (for migration): off the LRU, keeping what makes it active.</summary>
    public virtual void IsolateForMigration(int frame) => RemoveFolio(frame);

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
            ShrinkSlab(memcg, sc.Priority);
            if (sc.Reclaimer == Reclaimer.Direct && sc.NrReclaimed >= sc.NrToReclaim) break; // partial walk for direct reclaim
        }
    }

    /// <summary>Whether a folio on an LRU list has PG_lru cleared because a per-CPU batch holds it (invariant checks).</summary>
    public virtual bool IsQueuedOffLru(int frame) => false;

    /// <summary>Whether the folio sits on one of the policy's lists: with PG_lru, or queued on a per-CPU batch without it.</summary>
    public bool IsListed(int frame) => (_frames.Flags[frame] & PageFlags.Lru) != 0 || IsQueuedOffLru(frame);


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

    /// <summary>folio_check_references: the policy's verdict on an isolated folio with <paramref name="referencedPtes"/> young PTEs.</summary>
    protected abstract FolioReference CheckReferences(int frame, int referencedPtes);

    /// <summary>
    /// The generic folio_check_references: a young PTE marks the folio referenced and keeps it for one
    /// more trip; a second reference (PG_referenced already set), or young PTEs in several mappings,
    /// activates it.
    /// </summary>
    protected FolioReference CheckReferencesTwice(int frame, int referencedPtes)
    {
        uint flags = _frames.Flags[frame];
        bool referencedFolio = (flags & PageFlags.Referenced) != 0;
        _frames.Flags[frame] = flags & ~PageFlags.Referenced;
        if (referencedPtes == 0) return FolioReference.Reclaim;
        _frames.Flags[frame] |= PageFlags.Referenced;
        return referencedFolio || referencedPtes > 1 ? FolioReference.Activate : FolioReference.Keep;
    }

    /// <summary>MGLRU before 6.14: PG_referenced on an isolated mapped folio means aging promoted it; keep it.</summary>
    protected virtual bool KeepsFoliosPromotedWhileIsolated => false;

    /// <summary>Whether reclaim asks rmap for references at all (the exact LRU evicts by list order alone).</summary>
    protected virtual bool ChecksReferences => true;

    /// <summary>Put a surviving folio back on its LRU (move_folios_to_lru).</summary>
    protected abstract void PutBack(int frame);

    /// <summary>Pages on the memcg's unevictable lists (mlocked), every node.</summary>
    public virtual long UnevictablePages(MemCgroup memcg) => 0;

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

    /// <summary>NR_FILE_MAPPED of a memcg: its page-cache pages that some VMA maps.</summary>
    public long MappedFilePages(MemCgroup memcg)
    {
        long n = 0;
        for (int f = 0; f < _frames.Capacity; f++)
        {
            uint flags = _frames.Flags[f];
            if ((flags & (PageFlags.InUse | PageFlags.SwapBacked | PageFlags.Kernel)) == PageFlags.InUse && PageFlags.Memcg(flags) == memcg.Index && IsMapped(f)) n++;
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
        // Anon is reclaimable by swapping it out or by demoting it (can_reclaim_anon_pages).
        if ((swap == null || swap.FreeSlots < MinLruBatch) && !CanDemote(sc.Node, sc)) return 0;
        return sc.ProactiveSwappiness ?? memcg.Swappiness ?? _m.Options.Swappiness;
    }

    /// <summary>
    /// swap_free of a slot whose page does not come back through it (a zram swap-in skipping the swap
    /// cache, an exiting mm, MADV_FREE): the slot and its owner's swap charge go. Returns the slot's shadow.
    /// </summary>
    public ulong FreeSwapSlot(int slot)
    {
        var swap = _m.Swap!;
        ulong shadow = swap.Shadow(slot);
        var owner = ShadowOwner(shadow);
        if (owner != null) owner.SwapUsage--;
        swap.Free(slot);
        return shadow;
    }

    /// <summary>The memcg a shadow entry was charged to (swap accounting), or null.</summary>
    public MemCgroup? ShadowOwner(ulong shadow)
    {
        if (!ShadowEntry.IsValid(shadow)) return null;
        int index = ShadowEntry.MemcgId(shadow) - 1; // kernel ids are index + 1 (the root is 1)
        return index >= 0 && index < _m.Memcgs.Count ? _m.Memcgs[index] : null;
    }

    /// <summary>
    /// folio_mapped: the folio has a PTE. An anon folio in memory is always mapped (its rmap word is
    /// its PTE); a file folio is mapped when some mapper of its file has a PTE on it.
    /// </summary>
    protected bool IsMapped(int frame)
    {
        int slot = _frames.Rmap[frame];
        if (slot < 0) return false;
        if ((_frames.Flags[frame] & PageFlags.SwapBacked) != 0) return true;
        foreach (var _ in _m.PageCache.FileOf(slot).MappingsOf(slot, frame, _m.PageTables.Ptes)) return true;
        return false;
    }

    /// <summary>Called by folio_referenced for each young PTE it clears (MGLRU looks around it).</summary>
    protected virtual void OnYoungPte(int frame, int vpage)
    {
    }

    /// <summary>
    /// folio_referenced: an rmap walk over every mapping of the folio, at a cost per mapping visited.
    /// Young PTEs are cleared and counted; mappings without recency are ignored (invalid_folio_referenced_vma).
    /// </summary>
    protected int FolioReferenced(int frame)
    {
        // PG_young: a young PTE idle-page tracking cleared still counts once (folio_test_clear_young).
        int young = 0;
        if ((_frames.Flags[frame] & PageFlags.Young) != 0)
        {
            _frames.Flags[frame] &= ~PageFlags.Young;
            young = 1;
        }
        return young + PteReferences(frame);
    }

    private int PteReferences(int frame)
    {
        int slot = _frames.Rmap[frame];
        if (slot < 0) return 0;
        var ptes = _m.PageTables.Ptes;
        if ((_frames.Flags[frame] & PageFlags.SwapBacked) != 0)
        {
            // An anon folio has one PTE: its rmap word (anon_vma with one mapping).
            var owner = _m.Mms[_m.PageTables.MmOf(slot)].FindVma(slot);
            return YoungPteReference(frame, slot, owner, ptes);
        }
        int referenced = 0;
        foreach (var (v, vma) in _m.PageCache.FileOf(slot).MappingsOf(slot, frame, ptes))
            referenced += YoungPteReference(frame, v, vma, ptes);
        return referenced;
    }

    /// <summary>
    /// folio_referenced_one for one mapping: 1 if its PTE was young (and is now cleared). 6.4+ skips
    /// mappings without recency (invalid_folio_referenced_vma); 6.1 clears their young bit, counts it
    /// unless VM_SEQ_READ and doesn't look around; 6.1 has no NOREUSE.
    /// </summary>
    private int YoungPteReference(int frame, int v, Vma vma, uint[] ptes)
    {
        bool recency = _rules.RecencySkipsRmap ? vma.HasRecency : (vma.Flags & (VmaFlags.SeqRead | VmaFlags.RandRead)) == 0;
        if (!recency && _rules.RecencySkipsRmap) return 0;
        _m.SpendReclaim(_m.Costs.RmapWalkNs, CostCategory.Rmap);
        uint pte = ptes[v];
        if ((pte & Pte.Young) == 0) return 0;
        ptes[v] = pte & ~Pte.Young;
        if (recency)
        {
            OnYoungPte(frame, v);
            return 1;
        }
        return (vma.Flags & VmaFlags.SeqRead) == 0 ? 1 : 0;
    }

    /// <summary>try_to_unmap of a file folio: clear every mapper's PTE, carrying dirty PTEs over to the folio.</summary>
    private bool UnmapFile(int frame)
    {
        int slot = _frames.Rmap[frame];
        var ptes = _m.PageTables.Ptes;
        bool dirty = false;
        foreach (var (v, vma) in _m.PageCache.FileOf(slot).MappingsOf(slot, frame, ptes))
        {
            uint pte = ptes[v];
            _m.SpendReclaim(_m.Costs.RmapWalkNs, CostCategory.Rmap);
            dirty |= (pte & Pte.Dirty) != 0;
            ptes[v] = Pte.None;
            vma.Mm.Rss--;
        }
        return dirty;
    }

    /// <summary>Sink for <see cref="TouchMappings"/>'s loads, so the JIT keeps them.</summary>
    private uint _touched;

    /// <summary>
    /// Loads the PTE of every isolated folio before the per-folio work: the loads are independent, so the
    /// CPU overlaps their cache misses instead of taking them one folio at a time (a software prefetch;
    /// netstandard2.0 has no prefetch instruction).
    /// </summary>
    private void TouchMappings(int list, uint[] ptes)
    {
        var rmap = _frames.Rmap;
        var next = _frames.Next;
        var flags = _frames.Flags;
        uint sum = 0;
        for (int f = next[list]; f != list; f = next[f])
        {
            // An anon folio's rmap word is its virtual page; a file folio's is its page-cache slot.
            int v = rmap[f];
            if (v >= 0 && (flags[f] & PageFlags.SwapBacked) != 0) sum += ptes[v];
        }
        _touched += sum;
    }

    /// <summary>
    /// shrink_folio_list for the isolated folios on <paramref name="list"/>: the policy's reference check,
    /// then swap-out of anon (slot, unmap, write, shadow in the swap cache) or unmapping and dropping a
    /// clean file page (a dirty one is kept for the flushers), and freeing. Survivors stay on the list,
    /// activated ones with PG_active. Returns the number reclaimed.
    /// </summary>
    protected long ShrinkFolioList(int list, ScanControl sc)
    {
        long reclaimed = 0;
        var pt = _m.PageTables.Ptes;
        int keep = _m.KeepList;
        int demote = _m.DemoteList;
        bool demotePass = CanDemote(sc.Node, sc);
        bool rfc = _m.Options.DemotionMode == DemotionMode.Rfc2018;
        var stealEvent = sc.StealEvent;
        TouchMappings(list, pt);
    retry:
        while (!_frames.IsEmpty(list))
        {
            int f = _frames.Tail(list);
            _frames.Unlink(f);
            sc.NrScanned++;
            uint flags = _frames.Flags[f];
            var memcg = _m.Memcgs[PageFlags.Memcg(flags)];
            int slot = _frames.Rmap[f];
            // "folio_update_gen() tried to promote this page?": MGLRU before 6.14 keeps a mapped folio that
            // look-around or a walker marked referenced while it sat isolated, without checking references.
            var verdict = (flags & PageFlags.Unevictable) != 0 ? FolioReference.Activate
                : KeepsFoliosPromotedWhileIsolated && (flags & PageFlags.Referenced) != 0 && IsMapped(f) ? FolioReference.Keep
                : ChecksReferences ? CheckReferences(f, FolioReferenced(f)) : FolioReference.Reclaim;
            if (verdict != FolioReference.Reclaim)
            {
                if (verdict == FolioReference.Activate) Activate(f, memcg);
                _frames.AddHead(keep, f);
                continue;
            }
            // Demotion comes before swap and writeback: any folio (the RFC: anon only; a clean lazy-free
            // page is not swap-backed and is freed instead).
            if (demotePass && (!rfc || PageFlags.Type(flags) == 0))
            {
                _frames.AddHead(demote, f);
                continue;
            }
            if ((flags & PageFlags.LazyFree) != 0)
            {
                // try_to_unmap_one of a lazy-free folio: stored to since MADV_FREE → swap-backed anon again
                // (kept, activated); still clean → discarded: no swap, no shadow, the PTE simply cleared.
                uint pte = slot >= 0 ? pt[slot] : 0;
                if ((pte & Pte.Dirty) != 0 || (flags & PageFlags.Dirty) != 0)
                {
                    _frames.Flags[f] = flags & ~PageFlags.LazyFree;
                    Activate(f, memcg);
                    _frames.AddHead(keep, f);
                    continue;
                }
                if (slot >= 0)
                {
                    pt[slot] = Pte.None;
                    _m.Mms[_m.PageTables.MmOf(slot)].Rss--;
                }
                memcg.Count(VmEvent.PgLazyFreed);
                _m.Nodes[_frames.NodeOf(f)].Count(VmEvent.PgLazyFreed);
            }
            else if (PageFlags.Type(flags) == 1)
            {
                // try_to_unmap moves dirty PTE state to the folio; reclaim never writes file pages itself:
                // a dirty one is marked PG_reclaim and kept (unmapped) for the flushers.
                if (slot >= 0 && UnmapFile(f)) flags |= PageFlags.Dirty;
                if ((flags & PageFlags.Dirty) != 0)
                {
                    _frames.Flags[f] = flags | PageFlags.Reclaim;
                    sc.UnqueuedDirty++;
                    Activate(f, memcg);
                    _frames.AddHead(keep, f);
                    continue;
                }
                // A clean page-cache page: dropped; the shadow stays in its page-cache slot.
                if (slot >= 0)
                {
                    _m.PageCache.Evict(slot, Eviction(f));
                }
            }
            else
            {
                var swap = _m.Swap;
                int swapSlot = swap?.Allocate() ?? -1;
                if (swapSlot < 0) { Activate(f, memcg); _frames.AddHead(keep, f); continue; }
                // try_to_unmap, pageout (synchronous: zram, or an SSD write treated as complete), __remove_mapping.
                if (slot >= 0)
                {
                    pt[slot] = Pte.MakeSwap(swapSlot);
                    var mm = _m.Mms[_m.PageTables.MmOf(slot)];
                    mm.Rss--;
                    mm.SwapEntries++;
                }
                memcg.Count(VmEvent.PswpOut);
                _m.Nodes[_frames.NodeOf(f)].Count(VmEvent.PswpOut);
                if (swap!.Kind != SwapDeviceKind.Zram || _m.Rules.ZramSwapIsBlockIo) memcg.Count(VmEvent.PgPgOut, Units.PageSize / 1024);
                _m.SpendReclaim(swap!.Kind == SwapDeviceKind.Zram ? _m.Costs.ZramWriteNs : _m.Costs.SsdWriteNs, CostCategory.SwapOut);
                swap.SetShadow(swapSlot, Eviction(f));
                memcg.SwapUsage++;
            }
            memcg.Usage--;
            // pgsteal per node, for the timeline: the node the page is reclaimed from.
            _m.Nodes[_frames.NodeOf(f)].Count(stealEvent);
            _frames.Free(f);
            _m.SpendReclaim(_m.Costs.FreePageNs, CostCategory.Free);
            reclaimed++;
        }
        if (demotePass && !_frames.IsEmpty(demote))
        {
            long demoted = DemoteFolioList(demote, sc);
            _m.Nodes[sc.Node].Count(stealEvent, demoted); // demotions count as steals of the node they leave
            reclaimed += demoted;
            if (!_frames.IsEmpty(demote))
            {
                // Folios that could not be demoted are reclaimed the usual way, except by proactive
                // reclaim, which is not real pressure: they stay on the top tier.
                if (sc.Reclaimer != Reclaimer.Proactive)
                {
                    _frames.SpliceHead(demote, list);
                    demotePass = false;
                    goto retry;
                }
                _frames.SpliceHead(demote, keep);
            }
        }
        _frames.SpliceHead(keep, list);
        return reclaimed;
    }

    /// <summary>
    /// demote_folio_list: migrate each folio to next_demotion_node (a random one of the preferred targets),
    /// or to another node of a lower tier, without reclaim; the ones that find no room stay on the list.
    /// </summary>
    private long DemoteFolioList(int list, ScanControl sc)
    {
        long demoted = 0;
        var demoteEvent = sc.DemoteEvent;
        var node = _m.Nodes[sc.Node];
        var targets = node.DemotionTargets;
        for (int f = _frames.Tail(list); f != list;)
        {
            int prev = _frames.Prev[f];
            int preferred = targets.Length == 1 ? targets[0] : targets[(int)_m.Random.NextUInt32((uint)targets.Length)];
            uint flags = _frames.Flags[f];
            int target = _migration.AllocateNoReclaim(PageFlags.Memcg(flags), node.LowerTierNodes, preferred);
            if (target >= 0)
            {
                _frames.Unlink(f);
                _migration.MoveFolio(f, target);
                AddNewFolio(target);
                var typeEvent = PageFlags.Type(flags) == 0 ? VmEvent.PgDemoteAnon : VmEvent.PgDemoteFile;
                _m.Memcgs[PageFlags.Memcg(flags)].Count(demoteEvent);
                _m.Memcgs[PageFlags.Memcg(flags)].Count(typeEvent);
                node.Count(demoteEvent);
                node.Count(typeEvent);
                demoted++;
            }
            f = prev;
        }
        return demoted;
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
