using MgLru.Engine.Memory;
using MgLru.Engine.Mm;
using MgLru.Engine.Scenario;
using MgLru.Engine.Simulation;
using MgLru.Engine.Stats;

namespace MgLru.Engine.Reclaim;

/// <summary>
/// The flusher threads (fs/fs-writeback.c wb_workfn): write dirty page-cache pages back to storage,
/// periodically (dirty_writeback_centisecs = 5 s) and when reclaim wakes them because every file page it
/// took was dirty. Completion is immediate; a folio reclaim marked with PG_reclaim is then rotated to the
/// tail of the oldest generation / inactive list (folio_rotate_reclaimable) to be reclaimed next.
/// Runs beside the tasks: its time is not on their critical path.
/// </summary>
internal sealed class Flusher
{
    /// <summary>dirty_writeback_centisecs: the periodic flush interval.</summary>
    public const long IntervalNs = 5_000_000_000;

    private readonly Machine _m;
    private readonly LruPolicy _policy;
    private long _nextPeriodicNs = IntervalNs;

    public Flusher(Machine machine, LruPolicy policy)
    {
        _m = machine;
        _policy = policy;
    }

    /// <summary>Pages written back so far.</summary>
    public long Written { get; private set; }

    /// <summary>wakeup_flusher_threads(WB_REASON_VMSCAN).</summary>
    public void WakeUp() => WriteBackAll();

    /// <summary>The periodic kupdate-style flush, when its interval has passed.</summary>
    public void Tick()
    {
        if (_m.NowNs < _nextPeriodicNs) return;
        _nextPeriodicNs = _m.NowNs + IntervalNs;
        WriteBackAll();
    }

    /// <summary>Clears the dirty bit of every PTE mapping the file folio; true if any was dirty.</summary>
    private bool CleanMappings(int frame)
    {
        int slot = _m.Frames.Rmap[frame];
        if (slot < 0) return false;
        var ptes = _m.PageTables.Ptes;
        bool dirty = false;
        foreach (var (v, _) in _m.PageCache.FileOf(slot).MappingsOf(slot, frame, ptes))
        {
            uint pte = ptes[v];
            if ((pte & Pte.Dirty) == 0) continue;
            ptes[v] = pte & ~Pte.Dirty;
            dirty = true;
        }
        return dirty;
    }

    private void WriteBackAll()
    {
        var frames = _m.Frames;
        for (int f = 0; f < frames.Capacity; f++)
        {
            uint flags = frames.Flags[f];
            if ((flags & (PageFlags.InUse | PageFlags.SwapBacked)) != PageFlags.InUse) continue;
            bool ptDirty = CleanMappings(f); // page_mkclean: write-protect and clean every mapping's PTE
            if ((flags & PageFlags.Dirty) == 0 && !ptDirty) continue;
            flags &= ~PageFlags.Dirty;
            frames.Flags[f] = flags;
            var memcg = _m.Memcgs[PageFlags.Memcg(flags)];
            memcg.Count(VmEvent.PgPgOut, Units.PageSize / 1024);
            Written++;
            // folio_end_writeback: a folio reclaim wanted goes to the tail of the oldest generation.
            if ((flags & PageFlags.Reclaim) != 0)
            {
                frames.Flags[f] = flags & ~PageFlags.Reclaim;
                if ((flags & PageFlags.Lru) != 0)
                {
                    _policy.RotateReclaimable(f);
                    memcg.Count(VmEvent.PgRotated);
                }
            }
        }
    }
}
