using System;
using System.Collections.Generic;
using MgLru.Engine.Scenario;

namespace MgLru.Engine.Mm;

/// <summary>A file whose pages tasks read through descriptors or map; its mappers are the i_mmap tree rmap walks.</summary>
internal sealed class SharedFile
{
    public SharedFile(string name, int basePage, int pages)
    {
        Name = name;
        Base = basePage;
        Pages = pages;
    }

    public string Name { get; }
    /// <summary>First page-cache slot of the file.</summary>
    public int Base { get; }
    public int Pages { get; }

    /// <summary>VMAs mapping the file, shared or private (address_space->i_mmap).</summary>
    public List<Vma> Mappers { get; } = new();

    /// <summary>The file's readahead state (one opener per file in a simulation: the kernel keeps it per open file).</summary>
    public FileReadahead Readahead { get; } = new();

    /// <summary>
    /// The rmap walk of a page-cache folio (rmap_walk_file): every PTE of a mapper at slot
    /// <paramref name="slot"/> that maps <paramref name="frame"/> (a private mapping's copy is another folio).
    /// A struct enumerator: nothing is allocated on the reclaim path.
    /// </summary>
    public FileMappings MappingsOf(int slot, int frame, uint[] ptes) => new(Mappers, ptes, slot, frame);
}

/// <summary>Enumerates (virtual page, VMA) of the PTEs that map one page-cache frame; see <see cref="SharedFile.MappingsOf"/>.</summary>
internal struct FileMappings
{
    private readonly List<Vma> _vmas;
    private readonly uint[] _ptes;
    private readonly int _slot, _frame;
    private int _index;

    public FileMappings(List<Vma> vmas, uint[] ptes, int slot, int frame)
    {
        _vmas = vmas;
        _ptes = ptes;
        _slot = slot;
        _frame = frame;
        _index = -1;
        Current = default;
    }

    public (int Vpage, Vma Vma) Current { get; private set; }

    public FileMappings GetEnumerator() => this;

    public bool MoveNext()
    {
        while (++_index < _vmas.Count)
        {
            var vma = _vmas[_index];
            int v = vma.VpageOf(_slot);
            if (v < 0) continue;
            uint pte = _ptes[v];
            if ((pte & Pte.Present) == 0 || Pte.Frame(pte) != _frame) continue;
            Current = (v, vma);
            return true;
        }
        return false;
    }
}

/// <summary>
/// The page cache of every file (address_space xarrays), as one slot array: a slot holds the cached
/// frame (Pte.Present | frame) or nothing, and the shadow entry an eviction left (mm/workingset.c).
/// A file frame's rmap word names its slot; its mappings are found through the file's mappers.
/// </summary>
internal sealed class PageCache
{
    public readonly uint[] Entries;
    public readonly ulong[] Shadows;
    private readonly int[] _fileOfBlock;
    public readonly List<SharedFile> Files = new();

    public PageCache(long slots)
    {
        if (slots > int.MaxValue - Units.PtesPerTable) throw new ArgumentOutOfRangeException(nameof(slots), slots, "Too many file pages to simulate.");
        Entries = new uint[slots];
        Shadows = new ulong[slots];
        _fileOfBlock = new int[(slots + Units.PtesPerTable - 1) / Units.PtesPerTable];
    }

    public SharedFile Add(string name, int basePage, int pages)
    {
        var file = new SharedFile(name, basePage, pages);
        for (int b = basePage / Units.PtesPerTable, end = (basePage + PageTables.AlignUp(pages)) / Units.PtesPerTable; b < end; b++)
            _fileOfBlock[b] = Files.Count;
        Files.Add(file);
        return file;
    }

    public SharedFile FileOf(int slot) => Files[_fileOfBlock[slot / Units.PtesPerTable]];

    /// <summary>
    /// __remove_mapping of a clean page-cache folio: the slot keeps only the shadow entry, and a
    /// PG_readahead mark leaves with the page (the next window will be read synchronously).
    /// </summary>
    public void Evict(int slot, ulong shadow)
    {
        Entries[slot] = 0;
        Shadows[slot] = shadow;
        var file = FileOf(slot);
        if (file.Readahead.Marker == slot - file.Base) file.Readahead.ClearMarker();
    }
}
