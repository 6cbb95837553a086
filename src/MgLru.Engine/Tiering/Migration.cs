using MgLru.Engine.Memory;
using MgLru.Engine.Mm;
using MgLru.Engine.Reclaim;
using MgLru.Engine.Simulation;

namespace MgLru.Engine.Tiering;

/// <summary>
/// migrate_pages for one isolated folio (mm/migrate.c): a frame on another node with no reclaim allowed
/// (demotion's and promotion's GFP_NOWAIT), the contents and flags copied, every mapping and the
/// page-cache slot moved to the new frame, the charge kept (mem_cgroup_migrate), the old frame freed.
/// </summary>
internal sealed class Migration
{
    private readonly Machine _m;

    public Migration(Machine machine) => _m = machine;

    /// <summary>
    /// A frame on the first of <paramref name="nodes"/> that has one without dipping below its min
    /// watermark (falling below low wakes that node's kswapd, which runs after the caller), or -1.
    /// </summary>
    public int AllocateNoReclaim(int memcg, int[] nodes, int preferred)
    {
        var frames = _m.Frames;
        for (int i = -1; i < nodes.Length; i++)
        {
            int n = i < 0 ? preferred : nodes[i];
            if (n < 0 || (i >= 0 && n == preferred)) continue;
            var wm = _m.Nodes[n].Watermarks;
            long free = frames.NodeFreeFrames(n);
            if (free - 1 > wm.Low) return frames.Allocate(memcg, n);
            _m.DeferKswapd(n);
            if (free - 1 > wm.Min) return frames.Allocate(memcg, n);
        }
        return -1;
    }

    /// <summary>
    /// Moves isolated folio <paramref name="f"/> (off every LRU) to <paramref name="target"/>, a frame just
    /// allocated on another node: returns the target, which the caller puts on its LRU. Access-state flags
    /// that migration keeps (dirty, referenced, workingset) go along; the new folio is not active.
    /// </summary>
    public int MoveFolio(int f, int target, bool reclaim = true)
    {
        var frames = _m.Frames;
        uint flags = frames.Flags[f];
        // folio_migrate_flags. A folio reclaim isolated has lost PG_active; one isolated for promotion
        // (folio_isolate_lru) carries it over when it sat in an active generation.
        uint kept = PageFlags.SwapBacked | PageFlags.LazyFree | PageFlags.Dirty | PageFlags.Referenced | PageFlags.Workingset | PageFlags.Young | PageFlags.MemcgMask;
        if (!reclaim) kept |= PageFlags.Active;
        frames.Flags[target] = PageFlags.InUse | (flags & kept);
        int slot = frames.Rmap[f];
        frames.Rmap[target] = slot;
        var ptes = _m.PageTables.Ptes;
        if ((flags & PageFlags.SwapBacked) != 0)
        {
            // remove_migration_pte: the same PTE bits on the new frame.
            if (slot >= 0) ptes[slot] = (ptes[slot] & ~Pte.FrameMask) | (uint)target;
        }
        else if (slot >= 0)
        {
            _m.PageCache.Entries[slot] = Pte.MakePresent(target);
            foreach (var (v, _) in _m.PageCache.FileOf(slot).MappingsOf(slot, f, ptes))
                ptes[v] = (ptes[v] & ~Pte.FrameMask) | (uint)target;
        }
        frames.Free(f);
        // Demotion is reclaim's work; a promotion is paid by the faulting task (or the daemon).
        if (reclaim || _m.InDaemon) _m.SpendReclaim(_m.Costs.MigratePageNs, CostCategory.Migrate);
        else _m.Spend(_m.Costs.MigratePageNs);
        return target;
    }
}
