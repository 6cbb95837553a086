namespace MgLru.Engine.Mm;

/// <summary>
/// Encoding of one simulated x86-64 PTE in a uint. Present entries carry the frame number and the
/// hardware accessed/dirty bits; a non-present entry can hold a swap slot (the swap entry).
/// </summary>
internal static class Pte
{
    public const uint None = 0;
    public const uint Present = 1u << 31;
    /// <summary>_PAGE_ACCESSED: set by the simulated MMU on every access.</summary>
    public const uint Young = 1u << 30;
    /// <summary>_PAGE_DIRTY: set on a store.</summary>
    public const uint Dirty = 1u << 29;
    /// <summary>
    /// A present entry without write permission: a private file mapping's view of a page-cache page,
    /// so the first store takes a write-protect fault that copies it (do_wp_page).
    /// </summary>
    public const uint ReadOnly = 1u << 28;
    public const uint FrameMask = (1u << 28) - 1;
    /// <summary>Non-present entry that names a swap slot.</summary>
    public const uint SwapEntry = 1u << 28;
    public const uint SlotMask = (1u << 28) - 1;

    public static uint MakePresent(int frame) => Present | (uint)frame;
    public static uint MakeSwap(int slot) => SwapEntry | (uint)slot;
    public static int Frame(uint pte) => (int)(pte & FrameMask);
    public static int Slot(uint pte) => (int)(pte & SlotMask);
    public static bool IsPresent(uint pte) => (pte & Present) != 0;
    public static bool IsSwap(uint pte) => (pte & (Present | SwapEntry)) == SwapEntry;
}
