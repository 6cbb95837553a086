namespace MgLru.Engine.Scenario;

/// <summary>Sizes the simulator assumes: x86-64, 4 KiB base pages.</summary>
public static class Units
{
    public const int PageShift = 12;
    public const int PageSize = 1 << PageShift;
    /// <summary>PTEs per PTE table (one PMD entry spans 2 MiB).</summary>
    public const int PtesPerTable = 512;
    public const int PteTableShift = 9;

    public static long BytesToPages(long bytes) => (bytes + PageSize - 1) >> PageShift;
}
