using System;

namespace MgLru.Engine.Memory;

/// <summary>One frame's words, together in 16 bytes: a flag test and a list move touch one cache line.</summary>
internal struct Frame
{
    public uint Flags;
    /// <summary>Reverse map: the global virtual page (anon) or page-cache slot (file) of the frame, -1 when none.</summary>
    public int Rmap;
    public int Next;
    public int Prev;
}

/// <summary>The page flags of every frame, indexed by frame number.</summary>
internal readonly struct FrameFlags
{
    private readonly Frame[] _frames;
    public FrameFlags(Frame[] frames) => _frames = frames;
    public ref uint this[int frame] => ref _frames[frame].Flags;
}

/// <summary>The reverse-map word of every frame.</summary>
internal readonly struct FrameRmap
{
    private readonly Frame[] _frames;
    public FrameRmap(Frame[] frames) => _frames = frames;
    public ref int this[int frame] => ref _frames[frame].Rmap;
}

/// <summary>The next link of every frame and list sentinel.</summary>
internal readonly struct FrameNext
{
    private readonly Frame[] _frames;
    public FrameNext(Frame[] frames) => _frames = frames;
    public ref int this[int frame] => ref _frames[frame].Next;
}

/// <summary>The previous link of every frame and list sentinel.</summary>
internal readonly struct FramePrev
{
    private readonly Frame[] _frames;
    public FramePrev(Frame[] frames) => _frames = frames;
    public ref int this[int frame] => ref _frames[frame].Prev;
}

/// <summary>
/// The page frames of every NUMA node in one array indexed by frame number, with the kernel's
/// list_head design: every list is circular through a sentinel entry stored after the frames, so a
/// frame can be unlinked without knowing which list holds it.
/// </summary>
internal sealed class FrameTable
{
    public readonly int Capacity;
    /// <summary>Frames, then the list sentinels (only their links are used).</summary>
    private readonly Frame[] _entries;
    public readonly FrameFlags Flags;
    public readonly FrameNext Next;
    public readonly FramePrev Prev;
    /// <summary>Reverse map: the global virtual page that maps this frame (-1 when unmapped).</summary>
    public readonly FrameRmap Rmap;

    /// <summary>Sentinel of node 0's free list; node n's is the next n.</summary>
    private readonly int _freeLists;
    /// <summary>First frame of each node and, at the end, Capacity: a node's frames are contiguous.</summary>
    private readonly int[] _nodeStart;
    private readonly int[] _nodeFree;

    public int FreeFrames { get; private set; }

    /// <summary>One node of <paramref name="capacity"/> frames.</summary>
    public FrameTable(int capacity, int listCount) : this(new[] { capacity }, listCount)
    {
    }

    /// <summary>Nodes of the given sizes, numbered in order; frames of node n follow those of node n−1.</summary>
    public FrameTable(int[] nodeCapacities, int listCount)
    {
        long total = 0;
        foreach (int c in nodeCapacities)
        {
            if (c <= 0) throw new ArgumentOutOfRangeException(nameof(nodeCapacities), c, "Every node needs frames.");
            total += c;
        }
        if (total > int.MaxValue / 2) throw new ArgumentOutOfRangeException(nameof(nodeCapacities), total, "Too many frames.");
        int capacity = (int)total;
        Capacity = capacity;
        int nodes = nodeCapacities.Length;
        int links = capacity + listCount + nodes;
        _entries = new Frame[links];
        Flags = new FrameFlags(_entries);
        Rmap = new FrameRmap(_entries);
        Next = new FrameNext(_entries);
        Prev = new FramePrev(_entries);
        for (int s = capacity; s < links; s++) { Next[s] = s; Prev[s] = s; }
        _freeLists = capacity + listCount;
        _nodeStart = new int[nodes + 1];
        _nodeFree = new int[nodes];
        for (int n = 0; n < nodes; n++) _nodeStart[n + 1] = _nodeStart[n] + nodeCapacities[n];
        // Free lists in ascending frame order; allocation takes the head and freeing pushes to the head
        // (LIFO, like the per-CPU free lists: a just-freed frame is reused first).
        for (int n = 0; n < nodes; n++)
        {
            for (int f = _nodeStart[n + 1] - 1; f >= _nodeStart[n]; f--) { AddHead(_freeLists + n, f); Rmap[f] = -1; }
            _nodeFree[n] = nodeCapacities[n];
        }
        FreeFrames = capacity;
    }

    public int NodeCount => _nodeFree.Length;

    /// <summary>The node a frame belongs to (page_to_nid): a compare per node boundary, no memory access per frame.</summary>
    public int NodeOf(int frame)
    {
        int n = 0;
        while (frame >= _nodeStart[n + 1]) n++;
        return n;
    }

    public int NodeFirstFrame(int node) => _nodeStart[node];
    public int NodeFrames(int node) => _nodeStart[node + 1] - _nodeStart[node];
    public int NodeFreeFrames(int node) => _nodeFree[node];

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

    /// <summary>Takes a free frame of <paramref name="node"/>, or -1 when the node is full.</summary>
    public int Allocate(int memcg, int node)
    {
        int list = _freeLists + node;
        int f = Next[list];
        if (f == list) return -1;
        Unlink(f);
        Flags[f] = PageFlags.InUse | ((uint)memcg << PageFlags.MemcgShift);
        FreeFrames--;
        _nodeFree[node]--;
        return f;
    }

    public void Free(int f)
    {
        // A frame still linked on an LRU list would corrupt that list once the free list relinks it: an
        // engine bug, stopped here rather than left to skew every later count (one compare on a line
        // this method writes anyway).
        if (Next[f] != f) throw new InvalidOperationException($"Internal error: frame {f} is freed while still on a list.");
        int node = NodeOf(f);
        Flags[f] = 0;
        Rmap[f] = -1;
        AddHead(_freeLists + node, f);
        FreeFrames++;
        _nodeFree[node]++;
    }
}
