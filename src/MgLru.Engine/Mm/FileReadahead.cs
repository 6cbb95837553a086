namespace MgLru.Engine.Mm;

/// <summary>
/// A file's readahead window (struct file_ra_state, mm/readahead.c), in file page indexes: on a page-cache
/// miss a synchronous window is read and one page of it carries PG_readahead; touching that page reads the
/// next window asynchronously, so a sequential stream misses once and then stays ahead. A mapping without
/// advice reads around its misses instead, while mmap_miss stays at most MMAP_LOTSAMISS.
/// </summary>
internal sealed class FileReadahead
{
    /// <summary>read_ahead_kb 128: the block device's default window, in pages.</summary>
    public const int DefaultPages = 32;

    /// <summary>POSIX_FADV_SEQUENTIAL doubles the file's window (file->f_ra.ra_pages = bdi->ra_pages * 2).</summary>
    public const int SequentialPages = DefaultPages * 2;

    public long Start { get; private set; }
    public long Size { get; private set; }
    public long AsyncSize { get; private set; }

    /// <summary>The page carrying PG_readahead, or -1.</summary>
    public long Marker { get; private set; } = -1;

    /// <summary>ra->mmap_miss: a mapping's major faults less its hits (fault-around, cached faults), at least 0.</summary>
    public int MmapMiss { get; set; }

    /// <summary>ra->prev_pos in pages: the last page read through a descriptor (-1: none yet).</summary>
    public long PrevIndex { get; set; } = -1;

    /// <summary>get_init_ra_size: the first window, 4× or 2× a small request, else the maximum.</summary>
    public static long InitSize(long req, long max)
    {
        long size = 1;
        while (size < req) size <<= 1;
        if (size <= max / 32) return size * 4;
        if (size <= max / 4) return size * 2;
        return max;
    }

    /// <summary>get_next_ra_size: ramp up 4× while small, 2× up to half the maximum, then the maximum.</summary>
    public static long NextSize(long current, long max)
    {
        if (current < max / 16) return current * 4;
        if (current <= max / 2) return current * 2;
        return max;
    }

    /// <summary>
    /// page_cache_sync_ra after a miss at <paramref name="index"/> of <paramref name="req"/> pages:
    /// the window to read and the page to mark (or -1). Start of file, an oversized request or a
    /// sequential miss (the previous read was the page before) starts a fresh window whose second half
    /// (6.1's "readit" merge gives the same) is the async part; cached history before the miss longer
    /// than the request is a context readahead marked on its last page; anything else reads just the
    /// request and leaves the state alone.
    /// </summary>
    public (long Start, long Count, long Mark) Sync(long index, long req, long max, long contiguousCachedBefore)
    {
        bool sequential = index == 0 || req > max || (PrevIndex >= 0 && index - PrevIndex <= 1);
        if (sequential)
        {
            Start = index;
            Size = InitSize(req, max);
            AsyncSize = Size > req ? Size - req : Size >> 1;
        }
        else if (contiguousCachedBefore > req)
        {
            Start = index;
            Size = System.Math.Min(contiguousCachedBefore + req, max);
            AsyncSize = 1;
        }
        else return (index, req, -1);
        return (Start, Size, Start + Size - AsyncSize);
    }

    /// <summary>
    /// do_sync_mmap_readahead's read-around of a miss at <paramref name="index"/>: ra_pages centred on
    /// the page, the last quarter asynchronous (its first page marked).
    /// </summary>
    public (long Start, long Count, long Mark) ReadAround(long index, long raPages)
    {
        Start = System.Math.Max(0, index - raPages / 2);
        Size = raPages;
        AsyncSize = raPages / 4;
        return (Start, Size, Start + Size - AsyncSize);
    }

    /// <summary>page_cache_async_ra: the marked page at <paramref name="index"/> is the one this window placed.</summary>
    public bool IsExpected(long index) => index == Start + Size - AsyncSize;

    /// <summary>The expected touch: push the window forward (ramping up), the whole of it async, marked on its first page.</summary>
    public (long Start, long Count, long Mark) Push(long max)
    {
        Start += Size;
        Size = NextSize(Size, max);
        AsyncSize = Size;
        return (Start, Size, Start);
    }

    /// <summary>A marked page without valid state: the next window starts at the first uncached page after it.</summary>
    public (long Start, long Count, long Mark) Restart(long index, long firstMissAfter, long max)
    {
        Size = NextSize(firstMissAfter - index + 1, max);
        Start = firstMissAfter;
        AsyncSize = Size;
        return (Start, Size, Start);
    }

    /// <summary>A page of the window was read in with PG_readahead (only a page the read brought in carries it).</summary>
    public void SetMarker(long index) => Marker = index;

    /// <summary>PG_readahead is consumed by the touch that triggers the async read, or lost with the page.</summary>
    public void ClearMarker() => Marker = -1;
}
