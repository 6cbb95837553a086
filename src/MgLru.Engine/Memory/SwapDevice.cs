using System;
using MgLru.Engine.Scenario;

namespace MgLru.Engine.Memory;

/// <summary>
/// A swap area: slots allocated lowest-first from a free stack; each slot keeps the shadow entry
/// that eviction left in the swap cache (mm/workingset.c pack_shadow), read back on swap-in.
/// </summary>
internal sealed class SwapDevice
{
    public readonly SwapDeviceKind Kind;
    public readonly int Slots;
    private readonly int[] _free;
    private int _freeCount;
    private readonly ulong[] _shadow;

    public SwapDevice(SwapDeviceKind kind, long bytes)
    {
        long slots = Units.BytesToPages(bytes);
        if (slots > int.MaxValue / 2) throw new ArgumentOutOfRangeException(nameof(bytes), bytes, "Swap too large to simulate.");
        Kind = kind;
        Slots = (int)slots;
        _free = new int[Slots];
        for (int i = 0; i < Slots; i++) _free[i] = Slots - 1 - i;
        _freeCount = Slots;
        _shadow = new ulong[Slots];
    }

    public int FreeSlots => _freeCount;
    public int UsedSlots => Slots - _freeCount;

    /// <summary>get_swap_page: a free slot or -1.</summary>
    public int Allocate() => _freeCount == 0 ? -1 : _free[--_freeCount];

    public void Free(int slot)
    {
        _shadow[slot] = 0;
        _free[_freeCount++] = slot;
    }

    public ulong Shadow(int slot) => _shadow[slot];
    public void SetShadow(int slot, ulong shadow) => _shadow[slot] = shadow;
}
