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
}
