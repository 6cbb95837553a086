namespace MgLru.Engine.Memory;

/// <summary>
/// Bit layout of a frame's flags word, after the kernel's folio flags (include/linux/page-flags.h,
/// mmzone.h LRU_GEN/LRU_REFS fields). The top bits hold the owning memcg's index so that a frame
/// costs no more than its flags, two list links and one rmap word.
/// </summary>
internal static class PageFlags
{
    public const int GenShift = 0;
    /// <summary>gen+1 while on an MGLRU list, 0 otherwise (3 bits: order_base_2(MAX_NR_GENS+1)).</summary>
    public const uint GenMask = 0x7u << GenShift;
    public const int RefsShift = 3;
    /// <summary>LRU_REFS_MASK: 2 bits counting fd accesses beyond the first.</summary>
    public const uint RefsMask = 0x3u << RefsShift;
    public const uint Referenced = 1u << 5;
    public const uint Workingset = 1u << 6;
    public const uint Active = 1u << 7;
    public const uint Reclaim = 1u << 8;
    public const uint Dirty = 1u << 9;
    public const uint Writeback = 1u << 10;
    /// <summary>PG_swapbacked: anon and shmem. Clear means the folio is on the file LRU.</summary>
    public const uint SwapBacked = 1u << 11;
    public const uint SwapCache = 1u << 12;
    public const uint Unevictable = 1u << 13;
    /// <summary>PG_lru: on an LRU list (cleared while isolated).</summary>
    public const uint Lru = 1u << 14;
    /// <summary>The frame is allocated (not on the free list).</summary>
    public const uint InUse = 1u << 15;
    /// <summary>Charged memory reclaim cannot take (page tables, slab, a program's pinned arrays): never on an LRU.</summary>
    public const uint Kernel = 1u << 16;
    /// <summary>A NUMA hinting fault is armed: the scanner made the page's PTE PROT_NONE (kept per folio here).</summary>
    public const uint NumaHint = 1u << 17;
    /// <summary>PG_young: idle-page tracking cleared a young PTE and left the reference here for reclaim.</summary>
    public const uint Young = 1u << 18;
    /// <summary>MADV_FREE: an anon folio reclaim may discard while clean (!PG_swapbacked in the kernel; on the file LRU).</summary>
    public const uint LazyFree = 1u << 19;

    public const int MemcgShift = 20;
    public const uint MemcgMask = 0xFFFu << MemcgShift;
    public const int MaxMemcgs = 1 << 12;

    /// <summary>LRU_REFS_FLAGS for the ≥6.14 rules: refs bits and PG_referenced.</summary>
    public const uint RefsFlags614 = RefsMask | Referenced;
    /// <summary>LRU_REFS_FLAGS for the 6.1–6.13 rules: also PG_workingset.</summary>
    public const uint RefsFlags61 = RefsMask | Referenced | Workingset;

    public static int Gen(uint flags) => (int)((flags & GenMask) >> GenShift) - 1;
    public static int Refs(uint flags) => (int)((flags & RefsMask) >> RefsShift);
    public static int Memcg(uint flags) => (int)(flags >> MemcgShift);
    /// <summary>LRU type: 0 anon (swap-backed), 1 file (page cache, and lazy-free anon, which has no swap backing to write).</summary>
    public static int Type(uint flags) => (flags & (SwapBacked | LazyFree)) == SwapBacked ? 0 : 1;
}
