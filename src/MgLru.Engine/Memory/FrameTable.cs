using System;

namespace MgLru.Engine.Memory;

/// <summary>
/// The page frames of one NUMA node as parallel arrays indexed by frame number, with the kernel's
/// list_head design: every list is circular through a sentinel entry stored after the frames, so a
/// frame can be unlinked without knowing which list holds it.
/// </summary>
internal sealed class FrameTable
{
    public readonly int Capacity;
    public readonly uint[] Flags;
    public readonly int[] Next;
    public readonly int[] Prev;
    /// <summary>Reverse map: the global virtual page that maps this frame (-1 when unmapped).</summary>
    public readonly int[] Rmap;

    private readonly int _freeList;
    public int FreeFrames { get; private set; }

    public FrameTable(int capacity, int listCount)
    {
        if (capacity <= 0) throw new ArgumentOutOfRangeException(nameof(capacity));
        Capacity = capacity;
        Flags = new uint[capacity];
        Rmap = new int[capacity];
        int links = capacity + listCount + 1;
        Next = new int[links];
        Prev = new int[links];
        for (int s = capacity; s < links; s++) { Next[s] = s; Prev[s] = s; }
        _freeList = capacity + listCount;
        // Free list in ascending frame order; allocation takes the head and freeing pushes to the head
        // (LIFO, like the per-CPU free lists: a just-freed frame is reused first).
        for (int f = capacity - 1; f >= 0; f--) { AddHead(_freeList, f); Rmap[f] = -1; }
        FreeFrames = capacity;
    }

    /// <summary>The sentinel index of list <paramref name="list"/>.</summary>
    public int Sentinel(int list) => Capacity + list;

    public bool IsEmpty(int sentinel) => Next[sentinel] == sentinel;

    /// <summary>Tail of a list (the next folio eviction scans), or the sentinel when empty.</summary>
    public int Tail(int sentinel) => Prev[sentinel];

    public void AddHead(int sentinel, int f)
    {
        int first = Next[sentinel];
        Next[f] = first; Prev[f] = sentinel;
        Prev[first] = f; Next[sentinel] = f;
    }

    public void AddTail(int sentinel, int f)
    {
        int last = Prev[sentinel];
        Prev[f] = last; Next[f] = sentinel;
        Next[last] = f; Prev[sentinel] = f;
    }

    public void Unlink(int f)
    {
        int n = Next[f], p = Prev[f];
        Next[p] = n; Prev[n] = p;
        Next[f] = f; Prev[f] = f;
    }

    /// <summary>Splices all of <paramref name="from"/> onto the head of <paramref name="to"/>, keeping order.</summary>
    public void SpliceHead(int from, int to)
    {
        if (IsEmpty(from)) return;
        int first = Next[from], last = Prev[from];
        int oldFirst = Next[to];
        Next[to] = first; Prev[first] = to;
        Next[last] = oldFirst; Prev[oldFirst] = last;
        Next[from] = from; Prev[from] = from;
    }

    /// <summary>Takes a free frame, or -1 when the node is full.</summary>
    public int Allocate(int memcg)
    {
        int f = Next[_freeList];
        if (f == _freeList) return -1;
        Unlink(f);
        Flags[f] = PageFlags.InUse | ((uint)memcg << PageFlags.MemcgShift);
        FreeFrames--;
        return f;
    }

    public void Free(int f)
    {
        Flags[f] = 0;
        Rmap[f] = -1;
        AddHead(_freeList, f);
        FreeFrames++;
    }
}
