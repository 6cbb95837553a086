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
/// Slots are grouped as the xarray's leaf nodes (64 slots, XA_CHUNK_SHIFT 6; files start on a
/// 512-slot boundary, so a node never spans two files): a node exists while it holds a page or a
/// shadow, belongs to the memcg whose insertion allocated it (kmem-accounted), and sits on that
/// memcg's shadow-node list (list_lru, oldest first) while it holds shadows only.
/// </summary>
internal sealed class PageCache
{
    public const int XaChunkShift = 6;
    /// <summary>sizeof(struct xa_node) on 64-bit: the slab bytes a node costs its memcg.</summary>
    public const int XaNodeBytes = 576;

    public readonly uint[] Entries;
    public readonly ulong[] Shadows;
    private readonly int[] _fileOfBlock;
    public readonly List<SharedFile> Files = new();

    // Per xa_node: pages and shadow entries it holds, its memcg (-1: not allocated), and its links on
    // the memcg's shadow-node list (-1: not on it).
    private readonly byte[] _nodePages, _nodeShadows;
    private readonly int[] _nodeMemcg, _nodePrev, _nodeNext;
    private readonly ShadowNodeList[] _lists;

    public PageCache(long slots, int memcgs)
    {
        if (slots > int.MaxValue - Units.PtesPerTable) throw new ArgumentOutOfRangeException(nameof(slots), slots, "Too many file pages to simulate.");
        Entries = new uint[slots];
        Shadows = new ulong[slots];
        _fileOfBlock = new int[(slots + Units.PtesPerTable - 1) / Units.PtesPerTable];
        long nodes = (slots + (1 << XaChunkShift) - 1) >> XaChunkShift;
        _nodePages = new byte[nodes];
        _nodeShadows = new byte[nodes];
        _nodeMemcg = new int[nodes];
        _nodePrev = new int[nodes];
        _nodeNext = new int[nodes];
        for (int n = 0; n < nodes; n++) _nodeMemcg[n] = _nodePrev[n] = _nodeNext[n] = -1;
        _lists = new ShadowNodeList[memcgs];
        for (int i = 0; i < memcgs; i++) _lists[i] = new ShadowNodeList();
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
    /// __filemap_add_folio: the page takes the slot, replacing the shadow entry an eviction left there
    /// (returned, 0 if none). A node allocated for it belongs to <paramref name="memcg"/>.
    /// </summary>
    public ulong Store(int slot, int frame, int memcg)
    {
        int node = slot >> XaChunkShift;
        ulong shadow = Shadows[slot];
        if (shadow != 0)
        {
            Shadows[slot] = 0;
            _nodeShadows[node]--;
        }
        if (_nodeMemcg[node] < 0)
        {
            _nodeMemcg[node] = memcg;
            _lists[memcg].Allocated++;
        }
        _nodePages[node]++;
        Entries[slot] = Pte.MakePresent(frame);
        UpdateNode(node);
        return shadow;
    }

    /// <summary>
    /// __remove_mapping of a clean page-cache folio: the slot keeps only the shadow entry, and a
    /// PG_readahead mark leaves with the page (the next window will be read synchronously).
    /// </summary>
    public void Evict(int slot, ulong shadow)
    {
        int node = slot >> XaChunkShift;
        Entries[slot] = 0;
        _nodePages[node]--;
        Shadows[slot] = shadow;
        if (shadow != 0) _nodeShadows[node]++;
        UpdateNode(node);
        var file = FileOf(slot);
        if (file.Readahead.Marker == slot - file.Base) file.Readahead.ClearMarker();
    }

    /// <summary>Shadow entries deleted with their nodes by the shadow-node shrinker, over the run.</summary>
    public long DroppedShadows { get; private set; }

    /// <summary>Shadow-only nodes on <paramref name="memcg"/>'s list (list_lru_shrink_count).</summary>
    public long ShadowNodes(int memcg) => _lists[memcg].Count;

    /// <summary>Nodes allocated by <paramref name="memcg"/> (their slab is charged to it).</summary>
    public long AllocatedNodes(int memcg) => _lists[memcg].Allocated;

    /// <summary>
    /// shadow_lru_isolate for the oldest shadow-only node of <paramref name="memcg"/>'s list: its shadow
    /// entries are deleted and the node is freed. Returns the shadows dropped (0 when the list is empty).
    /// </summary>
    public int ReclaimOldestShadowNode(int memcg)
    {
        var list = _lists[memcg];
        int node = list.Head;
        if (node < 0) return 0;
        int dropped = _nodeShadows[node];
        DroppedShadows += dropped;
        for (int slot = node << XaChunkShift, end = Math.Min(slot + (1 << XaChunkShift), Shadows.Length); slot < end; slot++)
            Shadows[slot] = 0;
        _nodeShadows[node] = 0;
        UpdateNode(node);
        return dropped;
    }

    /// <summary>workingset_update_node: a node of shadows only joins the list's tail; one with a page leaves it; an empty one is freed.</summary>
    private void UpdateNode(int node)
    {
        int memcg = _nodeMemcg[node];
        var list = _lists[memcg];
        bool shadowOnly = _nodePages[node] == 0 && _nodeShadows[node] != 0;
        bool listed = _nodePrev[node] >= 0 || list.Head == node;
        if (shadowOnly && !listed)
        {
            _nodePrev[node] = list.Tail;
            _nodeNext[node] = -1;
            if (list.Tail >= 0) _nodeNext[list.Tail] = node;
            else list.Head = node;
            list.Tail = node;
            list.Count++;
        }
        else if (!shadowOnly && listed)
        {
            int prev = _nodePrev[node], next = _nodeNext[node];
            if (prev >= 0) _nodeNext[prev] = next; else list.Head = next;
            if (next >= 0) _nodePrev[next] = prev; else list.Tail = prev;
            _nodePrev[node] = _nodeNext[node] = -1;
            list.Count--;
        }
        if (_nodePages[node] == 0 && _nodeShadows[node] == 0)
        {
            list.Allocated--;
            _nodeMemcg[node] = -1;
        }
    }

    /// <summary>Checks the node counts and lists against the slots (for the invariant checker).</summary>
    public string? CheckNodes()
    {
        var listed = new long[_lists.Length];
        var allocated = new long[_lists.Length];
        for (int node = 0; node < _nodePages.Length; node++)
        {
            int pages = 0, shadows = 0;
            for (int slot = node << XaChunkShift, end = Math.Min(slot + (1 << XaChunkShift), Entries.Length); slot < end; slot++)
            {
                if ((Entries[slot] & Pte.Present) != 0) pages++;
                if (Shadows[slot] != 0) shadows++;
            }
            if (pages != _nodePages[node] || shadows != _nodeShadows[node])
                return $"xa_node {node} counts {_nodePages[node]} pages / {_nodeShadows[node]} shadows, holds {pages} / {shadows}";
            if ((pages + shadows == 0) != (_nodeMemcg[node] < 0)) return $"xa_node {node} allocation does not match its contents";
            if (_nodeMemcg[node] >= 0) allocated[_nodeMemcg[node]]++;
        }
        for (int memcg = 0; memcg < _lists.Length; memcg++)
        {
            var list = _lists[memcg];
            int prev = -1;
            for (int node = list.Head; node >= 0; prev = node, node = _nodeNext[node])
            {
                if (_nodePrev[node] != prev || _nodeMemcg[node] != memcg) return $"shadow-node list of memcg {memcg} is broken at node {node}";
                if (_nodePages[node] != 0 || _nodeShadows[node] == 0) return $"xa_node {node} is on the shadow-node list but holds {_nodePages[node]} pages and {_nodeShadows[node]} shadows";
                listed[memcg]++;
            }
            if (prev != list.Tail || listed[memcg] != list.Count) return $"shadow-node list of memcg {memcg}: {listed[memcg]} nodes linked, {list.Count} counted";
            if (allocated[memcg] != list.Allocated) return $"memcg {memcg}: {allocated[memcg]} xa_nodes allocated, {list.Allocated} counted";
        }
        for (int node = 0; node < _nodePages.Length; node++)
            if (_nodePages[node] == 0 && _nodeShadows[node] != 0 && _nodePrev[node] < 0 && _lists[_nodeMemcg[node]].Head != node)
                return $"xa_node {node} holds shadows only but is not on its memcg's shadow-node list";
        return null;
    }

    private sealed class ShadowNodeList
    {
        public int Head = -1, Tail = -1;
        public long Count, Allocated;
    }
}
