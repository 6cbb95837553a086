using System.Management.Automation;
using MgLru.Engine.Scenario;

namespace MgLru.PowerShell.Commands;

/// <summary>
/// Creates the cost model that drives the simulated clock and the reclaim CPU profile: nanoseconds per
/// access, fault, swap I/O, rmap walk, PTE and PMD visited, Bloom test, folio scanned and page freed.
/// Every value has a documented default; pass only the ones to change, then Invoke-Reclaim -CostModel.
/// </summary>
[Cmdlet(VerbsCommon.New, "ReclaimCostModel")]
[OutputType(typeof(CostModel))]
public sealed class NewReclaimCostModelCommand : PSCmdlet
{
    private static readonly CostModel Defaults = CostModel.Default;

    /// <summary>A load or store that hits a resident page.</summary>
    [Parameter] [ValidateRange(0, 100_000_000)] public int AccessNs { get; set; } = Defaults.AccessNs;
    /// <summary>A minor fault (first touch of an anonymous page).</summary>
    [Parameter] [ValidateRange(0, 100_000_000)] public int MinorFaultNs { get; set; } = Defaults.MinorFaultNs;
    /// <summary>Fault-path overhead of a major fault before the device read.</summary>
    [Parameter] [ValidateRange(0, 100_000_000)] public int MajorFaultNs { get; set; } = Defaults.MajorFaultNs;
    /// <summary>Swap-in of one page from zram (decompression).</summary>
    [Parameter] [ValidateRange(0, 100_000_000)] public int ZramReadNs { get; set; } = Defaults.ZramReadNs;
    /// <summary>Swap-out of one page to zram (compression).</summary>
    [Parameter] [ValidateRange(0, 100_000_000)] public int ZramWriteNs { get; set; } = Defaults.ZramWriteNs;
    /// <summary>Swap-in of one page from an SSD.</summary>
    [Parameter] [ValidateRange(0, 100_000_000)] public int SsdReadNs { get; set; } = Defaults.SsdReadNs;
    /// <summary>CPU to submit a swap-out write to an SSD.</summary>
    [Parameter] [ValidateRange(0, 100_000_000)] public int SsdWriteNs { get; set; } = Defaults.SsdWriteNs;
    /// <summary>read() of a page in the page cache.</summary>
    [Parameter] [ValidateRange(0, 100_000_000)] public int PageCacheHitNs { get; set; } = Defaults.PageCacheHitNs;
    /// <summary>A read request to storage for a file page (device latency).</summary>
    [Parameter] [ValidateRange(0, 100_000_000)] public int FileReadNs { get; set; } = Defaults.FileReadNs;
    /// <summary>Each further page of the same read request (a readahead window).</summary>
    [Parameter] [ValidateRange(0, 100_000_000)] public int FileReadPageNs { get; set; } = Defaults.FileReadPageNs;
    /// <summary>Sorting or isolating one folio.</summary>
    [Parameter] [ValidateRange(0, 100_000_000)] public int ScanFolioNs { get; set; } = Defaults.ScanFolioNs;
    /// <summary>One rmap walk per mapping visited (page_vma_mapped_walk).</summary>
    [Parameter] [ValidateRange(0, 100_000_000)] public int RmapWalkNs { get; set; } = Defaults.RmapWalkNs;
    /// <summary>Visiting one PTE in a page-table walk or look-around.</summary>
    [Parameter] [ValidateRange(0, 100_000_000)] public int PteVisitNs { get; set; } = Defaults.PteVisitNs;
    /// <summary>Visiting one PMD entry in a page-table walk.</summary>
    [Parameter] [ValidateRange(0, 100_000_000)] public int PmdVisitNs { get; set; } = Defaults.PmdVisitNs;
    /// <summary>One Bloom-filter test.</summary>
    [Parameter] [ValidateRange(0, 100_000_000)] public int BloomTestNs { get; set; } = Defaults.BloomTestNs;
    /// <summary>Freeing a reclaimed page.</summary>
    [Parameter] [ValidateRange(0, 100_000_000)] public int FreePageNs { get; set; } = Defaults.FreePageNs;
    /// <summary>Migrating one page between NUMA nodes (demotion, promotion).</summary>
    [Parameter] [ValidateRange(0, 100_000_000)] public int MigratePageNs { get; set; } = Defaults.MigratePageNs;
    /// <summary>A NUMA hinting fault, before any migration.</summary>
    [Parameter] [ValidateRange(0, 100_000_000)] public int NumaHintFaultNs { get; set; } = Defaults.NumaHintFaultNs;

    protected override void EndProcessing() => WriteObject(new CostModel
    {
        AccessNs = AccessNs,
        MinorFaultNs = MinorFaultNs,
        MajorFaultNs = MajorFaultNs,
        ZramReadNs = ZramReadNs,
        ZramWriteNs = ZramWriteNs,
        SsdReadNs = SsdReadNs,
        SsdWriteNs = SsdWriteNs,
        PageCacheHitNs = PageCacheHitNs,
        FileReadNs = FileReadNs,
        FileReadPageNs = FileReadPageNs,
        ScanFolioNs = ScanFolioNs,
        RmapWalkNs = RmapWalkNs,
        PteVisitNs = PteVisitNs,
        PmdVisitNs = PmdVisitNs,
        BloomTestNs = BloomTestNs,
        FreePageNs = FreePageNs,
        MigratePageNs = MigratePageNs,
        NumaHintFaultNs = NumaHintFaultNs,
    });
}
