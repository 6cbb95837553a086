using MgLru.Engine.Memory;
using MgLru.Engine.Mm;
using MgLru.Engine.Scenario;
using MgLru.Engine.Stats;

namespace MgLru.Engine.Simulation;

// Readahead under sequential advice (mm/readahead.c page_cache_sync_ra / page_cache_async_ra, driven from
// filemap_read and from filemap_fault's do_sync/async_mmap_readahead). Only a SeqRead mapping or
// descriptor reads ahead: the lab's sequential runs use MADV_SEQUENTIAL + POSIX_FADV_SEQUENTIAL, its
// random ones MADV_RANDOM / POSIX_FADV_RANDOM, which read just the page.
public sealed partial class Simulation
{
    /// <summary>
    /// After a page-cache miss at <paramref name="slot"/> (already read in as the demanded page): the
    /// synchronous window. A fault asks for a whole window (ra_pages); read() for the one page. False
    /// when the task was killed.
    /// </summary>
    private bool ReadaheadOnMiss(TaskRuntime task, int slot, bool viaFault)
    {
        var file = _m.PageCache.FileOf(slot);
        var ra = file.Readahead;
        long index = slot - file.Base;
        long max = FileReadahead.SequentialPages;
        var (start, count, mark) = ra.Sync(index, viaFault ? max : 1, max, CachedBefore(file, index, max));
        if (!viaFault) ra.PrevIndex = index;
        return ReadWindow(task, file, start, count, mark, demanded: index);
    }

    /// <summary>
    /// A touch of a cached page (a read() hit, or a fault on a page that is cached but not mapped):
    /// the page with PG_readahead triggers the next, asynchronous window.
    /// </summary>
    private bool ReadaheadOnHit(TaskRuntime task, int slot, bool viaFault)
    {
        var file = _m.PageCache.FileOf(slot);
        var ra = file.Readahead;
        long index = slot - file.Base;
        if (!viaFault) ra.PrevIndex = index;
        if (ra.Marker != index) return true;
        ra.ClearMarker();
        long max = FileReadahead.SequentialPages;
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
        return ReadWindow(task, file, window.Start, window.Count, window.Mark, demanded: -2);
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
    /// <paramref name="mark"/> getting PG_readahead if this read brings it in. Pages come in unaccessed
    /// and inactive (no fault recency under sequential advice). Each run of uncached pages is one read
    /// request (read_pages: one bio), and a run that continues the <paramref name="demanded"/> page read
    /// just before is part of its request. False when the task was killed.
    /// </summary>
    private bool ReadWindow(TaskRuntime task, SharedFile file, long start, long count, long mark, long demanded)
    {
        long end = System.Math.Min(start + count, file.Pages);
        long lastRead = demanded;
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
            _m.Spend(i == lastRead + 1 ? _m.Costs.FileReadPageNs : _m.Costs.FileReadNs);
            lastRead = i;
            AddToPageCache(task.Memcg, file.Base + (int)i, f, 0, inFault: false, 0);
            if (i == mark) file.Readahead.SetMarker(i);
        }
        if (_m.Options.CheckInvariants) InvariantChecker.Check(_m, _policy);
        return true;
    }
}
