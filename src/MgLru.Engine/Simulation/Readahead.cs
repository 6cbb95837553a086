using MgLru.Engine.Memory;
using MgLru.Engine.Mm;
using MgLru.Engine.Scenario;
using MgLru.Engine.Stats;

namespace MgLru.Engine.Simulation;

// Readahead and fault-around (mm/readahead.c page_cache_sync_ra / page_cache_async_ra; mm/filemap.c
// filemap_read, filemap_fault's do_sync/async_mmap_readahead, filemap_map_pages; mm/memory.c
// do_fault_around). The advice decides: SeqRead (MADV_SEQUENTIAL + POSIX_FADV_SEQUENTIAL) reads ahead
// in windows of twice the device's 32 pages; no advice reads ahead in 32-page windows on a sequential
// descriptor stream and reads around a mapping's misses until mmap_miss says it does not pay; RandRead
// (MADV_RANDOM / POSIX_FADV_RANDOM) reads just the page.
public sealed partial class Simulation
{
    /// <summary>fault_around_bytes 64 KiB: the pages filemap_map_pages may map on one read fault.</summary>
    private const int FaultAroundPages = 16;

    /// <summary>MMAP_LOTSAMISS: net misses of a mapping after which read-around stops.</summary>
    private const int MmapLotsaMiss = 100;

    /// <summary>ReadWindow's demanded index for an asynchronous window: no page read just before it.</summary>
    private const long NoDemandedPage = -2;

    /// <summary>ra->ra_pages of the file as this VMA's advice set it (0: no readahead).</summary>
    private static long RaPages(Vma vma) =>
        (vma.Flags & VmaFlags.RandRead) != 0 ? 0 : (vma.Flags & VmaFlags.SeqRead) != 0 ? FileReadahead.SequentialPages : FileReadahead.DefaultPages;

    /// <summary>
    /// After a page-cache miss at <paramref name="slot"/> (already read in as the demanded page): the
    /// synchronous window. A fault under MADV_SEQUENTIAL asks for a whole window; read() for the one page.
    /// A fault on a mapping without advice reads around the page instead (do_sync_mmap_readahead), unless
    /// the mapping has missed more than it hit. False when the task was killed.
    /// </summary>
    private bool ReadaheadOnMiss(TaskRuntime task, Vma vma, int slot, bool viaFault)
    {
        long max = RaPages(vma);
        if (max == 0) return true;
        var file = vma.File!;
        var ra = file.Readahead;
        long index = slot - file.Base;
        if (viaFault && (vma.Flags & VmaFlags.SeqRead) == 0)
        {
            if (ra.MmapMiss < MmapLotsaMiss * 10) ra.MmapMiss++;
            if (ra.MmapMiss > MmapLotsaMiss) return true;
            var around = ra.ReadAround(index, max);
            return ReadWindow(task, file, around.Start, around.Count, around.Mark, demanded: index, vma);
        }
        var (start, count, mark) = ra.Sync(index, viaFault ? max : 1, max, CachedBefore(file, index, max));
        if (!viaFault) ra.PrevIndex = index;
        return ReadWindow(task, file, start, count, mark, demanded: index, viaFault ? vma : null);
    }

    /// <summary>
    /// A touch of a cached page (a read() hit, or filemap_fault finding the page cached): the page with
    /// PG_readahead triggers the next, asynchronous window; in a fault the hit also counts against
    /// mmap_miss (do_async_mmap_readahead).
    /// </summary>
    private bool ReadaheadOnHit(TaskRuntime task, Vma vma, int slot, bool viaFault)
    {
        long max = RaPages(vma);
        if (max == 0) return true;
        var file = vma.File!;
        var ra = file.Readahead;
        long index = slot - file.Base;
        if (viaFault && ra.MmapMiss > 0) ra.MmapMiss--;
        if (!viaFault) ra.PrevIndex = index;
        if (ra.Marker != index) return true;
        ra.ClearMarker();
        (long Start, long Count, long Mark) window;
        if (ra.IsExpected(index)) window = ra.Push(max);
        else
        {
            // A marked page without valid state (another stream moved the window): restart at the next hole.
            long firstMiss = index + 1;
            while (firstMiss < file.Pages && firstMiss - index <= max && Cached(file, firstMiss)) firstMiss++;
            if (firstMiss >= file.Pages || firstMiss - index > max) return true;
            window = ra.Restart(index, firstMiss, max);
        }
        return ReadWindow(task, file, window.Start, window.Count, window.Mark, demanded: NoDemandedPage, viaFault ? vma : null);
    }

    /// <summary>
    /// do_fault_around → filemap_map_pages on a read fault at <paramref name="v"/>: the page-cache pages of
    /// the aligned 16-page window (within the VMA and the PTE table) that are not yet mapped get PTEs, young
    /// as x86 creates them (arch_wants_old_prefaulted_pte is false). A page carrying PG_readahead is left
    /// for filemap_fault, which starts the next window. Every cached page of the window counts as a hit
    /// against mmap_miss; since v6.10 not one with PG_workingset, so refaulting read-around stops sooner.
    /// True when the faulting page itself got mapped: the fault is done (VM_FAULT_NOPAGE).
    /// </summary>
    private bool FaultAround(TaskRuntime task, Vma vma, int v)
    {
        int tableStart = v - v % Units.PtesPerTable;
        int from = System.Math.Max(v - (v - tableStart) % FaultAroundPages, vma.Start);
        int to = System.Math.Min(System.Math.Min(from + FaultAroundPages, tableStart + Units.PtesPerTable), vma.End);
        var file = vma.File!;
        var ra = file.Readahead;
        var ptes = _m.PageTables.Ptes;
        var entries = _m.PageCache.Entries;
        uint readOnly = vma.Backend == MemoryBackend.FileMmap ? 0 : Pte.ReadOnly;
        bool mapped = false;
        for (int i = from; i < to; i++)
        {
            int slot = vma.SlotOf(i);
            uint entry = entries[slot];
            if ((entry & Pte.Present) == 0 || ra.Marker == slot - file.Base) continue;
            int f = Pte.Frame(entry);
            if (ra.MmapMiss > 0 && (!_m.Rules.MmapMissSparesWorkingset || (_m.Frames.Flags[f] & PageFlags.Workingset) == 0)) ra.MmapMiss--;
            if (ptes[i] != Pte.None) continue;
            _m.PageTables.Map(i, Pte.MakePresent(f) | Pte.Young | readOnly);
            vma.Mm.Rss++;
            if (i == v) mapped = true;
        }
        return mapped;
    }

    private bool Cached(SharedFile file, long index) => (_m.PageCache.Entries[file.Base + index] & Pte.Present) != 0;

    /// <summary>page_cache_prev_miss: how many pages right before <paramref name="index"/> are cached (at most max + 1).</summary>
    private long CachedBefore(SharedFile file, long index, long max)
    {
        long n = 0;
        for (long i = index - 1; i >= 0 && n <= max && Cached(file, i); i--) n++;
        return n;
    }

    /// <summary>
    /// page_cache_ra_unbounded: read every page of [start, start + count) that is not cached, the page at
    /// <paramref name="mark"/> getting PG_readahead if this read brings it in. Each run of uncached pages
    /// is one read request (read_pages: one bio); the run around the <paramref name="demanded"/> page read
    /// just before is part of its request. Pages come in unaccessed and inactive, except that inside a
    /// fault on a mapping with recency (<paramref name="faultVma"/>) folio_add_lru makes them active like
    /// the faulting page, and a refault among them is taken in a fault. False when the task was killed.
    /// </summary>
    private bool ReadWindow(TaskRuntime task, SharedFile file, long start, long count, long mark, long demanded, Vma? faultVma)
    {
        long end = System.Math.Min(start + count, file.Pages);
        long lastRead = demanded;
        long joinsDemanded = demanded;
        while (joinsDemanded - 1 >= start && !Cached(file, joinsDemanded - 1)) joinsDemanded--;
        bool inFault = faultVma != null && faultVma.HasRecency;
        uint flags = inFault ? _policy.InFaultFlags : 0;
        for (long i = start; i < end; i++)
        {
            if (Cached(file, i)) continue;
            if (!_reclaim.TryChargeNoRetry(task.Memcg, task.Mm))
            {
                // v6.10+: a readahead page the memcg cannot charge ends the window (6.1 tries the rest).
                if (_m.Rules.ReadaheadStopsAtChargeFailure) return true;
                continue;
            }
            int f = AllocateFrame(task);
            if (f < 0) return false;
            bool sameRequest = i == lastRead + 1 || (i >= joinsDemanded && i < demanded);
            _m.Spend(sameRequest ? _m.Costs.FileReadPageNs : _m.Costs.FileReadNs);
            lastRead = i;
            AddToPageCache(task.Memcg, file.Base + (int)i, f, flags, inFault, 0);
            if (i == mark) file.Readahead.SetMarker(i);
        }
        if (_m.Options.CheckInvariants) InvariantChecker.Check(_m, _policy);
        return true;
    }
}
