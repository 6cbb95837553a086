namespace MgLru.Engine.Scenario;

/// <summary>
/// Simulated CPU and device time per operation, in nanoseconds. It drives the simulated clock
/// (so generation ages and min_ttl mean something) and the reclaim CPU profile.
/// Defaults are round figures for a 2020s x86-64 server.
/// </summary>
public sealed class CostModel
{
    public static CostModel Default { get; } = new();

    /// <summary>A load or store that hits a resident page (TLB and cache effects averaged).</summary>
    public int AccessNs { get; init; } = 100;
    /// <summary>A minor fault: first touch of an anonymous page (zero-fill) or a page-cache hit via fault.</summary>
    public int MinorFaultNs { get; init; } = 1_500;
    /// <summary>Fault-path overhead of a major fault, before the device read.</summary>
    public int MajorFaultNs { get; init; } = 3_000;
    /// <summary>Swap-in of one page from zram (lz4 decompress).</summary>
    public int ZramReadNs { get; init; } = 2_000;
    /// <summary>Swap-out of one page to zram (lz4 compress).</summary>
    public int ZramWriteNs { get; init; } = 5_000;
    /// <summary>Swap-in of one page from an SSD.</summary>
    public int SsdReadNs { get; init; } = 80_000;
    /// <summary>CPU to submit a swap-out write to an SSD.</summary>
    public int SsdWriteNs { get; init; } = 2_000;
    /// <summary>read() of one page that is in the page cache (syscall and copy).</summary>
    public int PageCacheHitNs { get; init; } = 400;
    /// <summary>A read request to storage for a file page (page-cache miss): device latency, one page.</summary>
    public int FileReadNs { get; init; } = 80_000;
    /// <summary>Each further page of the same read request (a readahead window): transfer and page-cache insertion.</summary>
    public int FileReadPageNs { get; init; } = 1_500;
    /// <summary>Sorting or isolating one folio on an LRU list.</summary>
    public int ScanFolioNs { get; init; } = 60;
    /// <summary>One rmap walk (folio_referenced / try_to_unmap) per mapping visited (page_vma_mapped_walk).</summary>
    public int RmapWalkNs { get; init; } = 400;
    /// <summary>Visiting one PTE in a page-table walk.</summary>
    public int PteVisitNs { get; init; } = 4;
    /// <summary>Visiting one PMD entry in a page-table walk.</summary>
    public int PmdVisitNs { get; init; } = 10;
    /// <summary>One Bloom-filter test.</summary>
    public int BloomTestNs { get; init; } = 5;
    /// <summary>Freeing a reclaimed page (uncharge, free to buddy).</summary>
    public int FreePageNs { get; init; } = 150;
    /// <summary>Migrating one page between nodes (unmap, copy 4 KiB across the interconnect, remap, TLB flush): demotion and promotion.</summary>
    public int MigratePageNs { get; init; } = 2_000;
    /// <summary>A NUMA hinting fault (a PROT_NONE PTE of a slow-tier page touched), before any migration.</summary>
    public int NumaHintFaultNs { get; init; } = 1_000;

    /// <summary>Every cost times <paramref name="factor"/>: the same machine, uniformly slower or faster.</summary>
    public CostModel Scaled(double factor)
    {
        if (!(factor > 0) || double.IsInfinity(factor)) throw new System.ArgumentOutOfRangeException(nameof(factor), factor, "The factor must be positive and finite.");
        int S(int ns) => (int)System.Math.Min(int.MaxValue, System.Math.Round(ns * factor));
        return new CostModel
        {
            AccessNs = S(AccessNs),
            MinorFaultNs = S(MinorFaultNs),
            MajorFaultNs = S(MajorFaultNs),
            ZramReadNs = S(ZramReadNs),
            ZramWriteNs = S(ZramWriteNs),
            SsdReadNs = S(SsdReadNs),
            SsdWriteNs = S(SsdWriteNs),
            PageCacheHitNs = S(PageCacheHitNs),
            FileReadNs = S(FileReadNs),
            FileReadPageNs = S(FileReadPageNs),
            ScanFolioNs = S(ScanFolioNs),
            RmapWalkNs = S(RmapWalkNs),
            PteVisitNs = S(PteVisitNs),
            PmdVisitNs = S(PmdVisitNs),
            BloomTestNs = S(BloomTestNs),
            FreePageNs = S(FreePageNs),
            MigratePageNs = S(MigratePageNs),
            NumaHintFaultNs = S(NumaHintFaultNs),
        };
    }
}
