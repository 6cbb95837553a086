using MgLru.Engine.Scenario;

namespace MgLru.Engine.Mm;

/// <summary>
/// vm_area_struct: one mapping of an mm, [Start, End) in the global virtual page space. The VMAs of an
/// mm tile its range in order; two of them may share a PTE table, as adjacent mappings do.
/// </summary>
internal sealed class Vma
{
    public Vma(MmStruct mm, int start, int pages, MemoryBackend backend, VmaFlags flags, double writeFraction)
    {
        Mm = mm;
        Start = start;
        Pages = pages;
        Backend = backend;
        Flags = flags;
        WriteThreshold = writeFraction >= 1.0 ? uint.MaxValue : (uint)(writeFraction * uint.MaxValue);
    }

    public MmStruct Mm { get; }
    public int Start { get; }
    public int Pages { get; }
    public int End => Start + Pages;

    /// <summary>Anon: anonymous private memory. FileMmap / FilePrivate: a shared / private mapping of <see cref="File"/>. FileRead: no PTEs; the range stands for offsets of a file read through a descriptor.</summary>
    public MemoryBackend Backend { get; }
    public VmaFlags Flags { get; }

    /// <summary>The file mapped or read, null for anon.</summary>
    public SharedFile? File { get; set; }

    /// <summary>vm_pgoff: the file page mapped at <see cref="Start"/>.</summary>
    public int FileOffset { get; set; }

    /// <summary>Stores among this mapping's accesses, as a threshold on a 32-bit random draw (uint.MaxValue: all).</summary>
    public uint WriteThreshold { get; }

    public bool IsAnon => Backend == MemoryBackend.Anon;

    /// <summary>A file mapping with PTEs (in the file's i_mmap tree).</summary>
    public bool MapsFile => Backend is MemoryBackend.FileMmap or MemoryBackend.FilePrivate;

    /// <summary>vma_has_recency: false for MADV_SEQUENTIAL / MADV_RANDOM mappings and NOREUSE files.</summary>
    public bool HasRecency => (Flags & (VmaFlags.SeqRead | VmaFlags.RandRead | VmaFlags.NoReuse)) == 0;

    /// <summary>should_skip_vma for flags alone: locked, no recency, a PFN/IO mapping, or no PTEs at all.</summary>
    public bool WalkSkips => !HasRecency || (Flags & (VmaFlags.Locked | VmaFlags.PfnMap)) != 0 || Backend == MemoryBackend.FileRead;

    /// <summary>The page-cache slot behind virtual page <paramref name="vpage"/> of this (file) VMA.</summary>
    public int SlotOf(int vpage) => File!.Base + FileOffset + (vpage - Start);

    /// <summary>vma_address: where this VMA maps page-cache slot <paramref name="slot"/>, or -1 if it does not.</summary>
    public int VpageOf(int slot)
    {
        int offset = slot - File!.Base - FileOffset;
        return offset >= 0 && offset < Pages ? Start + offset : -1;
    }
}
