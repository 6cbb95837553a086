using System;
using MgLru.Engine.Scenario;

namespace MgLru.Engine.Mm;

/// <summary>
/// Leaf PTEs of every mm in one array of global virtual page numbers; each mm's range starts on a
/// PTE-table boundary, so a PTE table is 512 consecutive entries and its PMD entry is the index / 512.
/// Non-leaf PMD accessed bits are kept per PTE table (x86 sets them on the walk to a leaf). The upper
/// levels are sparse too: a PUD entry (1 GiB) exists once a fault below it allocated a PMD table; PGD and
/// P4D entries (512 GiB and up) are never absent within a simulated mm's range.
/// </summary>
internal sealed class PageTables
{
    public readonly uint[] Ptes;
    /// <summary>Accessed bit of the non-leaf PMD entry pointing at each PTE table.</summary>
    public readonly bool[] PmdYoung;
    /// <summary>The PMD entry points at a PTE table: allocated by the first fault in its 2 MiB span (page tables are sparse).</summary>
    public readonly bool[] PmdPresent;
    /// <summary>The PUD entry points at a PMD table: allocated by the first fault in its 1 GiB span.</summary>
    public readonly bool[] PudPresent;
    /// <summary>Which mm owns each PTE table (rmap from a PTE to its address space).</summary>
    public readonly int[] TableOwner;

    public PageTables(long totalPages)
    {
        if (totalPages > int.MaxValue - Units.PtesPerTable) throw new ArgumentOutOfRangeException(nameof(totalPages), totalPages, "Too many virtual pages to simulate.");
        Ptes = new uint[totalPages];
        long tables = (totalPages + Units.PtesPerTable - 1) / Units.PtesPerTable;
        PmdYoung = new bool[tables];
        PmdPresent = new bool[tables];
        PudPresent = new bool[(tables + Units.PtesPerTable - 1) / Units.PtesPerTable];
        TableOwner = new int[tables];
    }

    /// <summary>Install a PTE: the PTE table exists from now on, and the walk to it set the PMD's accessed bit.</summary>
    public void Map(int vpage, uint pte)
    {
        Ptes[vpage] = pte;
        int pmd = vpage / Units.PtesPerTable;
        if (!PmdPresent[pmd])
        {
            PmdPresent[pmd] = true;
            PudPresent[pmd / Units.PtesPerTable] = true;
        }
        PmdYoung[pmd] = true;
    }

    public int MmOf(int vpage) => TableOwner[vpage / Units.PtesPerTable];

    public static int AlignUp(long pages) => (int)((pages + Units.PtesPerTable - 1) / Units.PtesPerTable * Units.PtesPerTable);
}
