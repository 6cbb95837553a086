using System;
using MgLru.Engine.Memory;
using MgLru.Engine.Mm;
using MgLru.Engine.Reclaim;
using MgLru.Engine.Scenario;

namespace MgLru.Engine.Simulation;

/// <summary>A broken kernel invariant (reference §12), with its number and the offending state.</summary>
public sealed class InvariantViolationException : Exception
{
    public InvariantViolationException(int invariant, string message)
        : base($"Invariant {invariant} violated: {message}")
    {
        Invariant = invariant;
    }

    public int Invariant { get; }
}

/// <summary>
/// Checks the page accounting every policy rests on (frames, charges, rmap, rss) and asks the policy to
/// check its own lists (for MGLRU the §12 invariants 1, 2, 4, 5 and 6). O(frames): switched on for tests
/// with RunOptions.CheckInvariants.
/// </summary>
internal static class InvariantChecker
{
    public static void Check(Machine m, LruPolicy policy)
    {
        var frames = m.Frames;
        int nrMemcgs = m.Memcgs.Count;
        var usage = new long[nrMemcgs];
        policy.CheckLists();

        int inUse = 0;
        for (int f = 0; f < frames.Capacity; f++)
        {
            uint flags = frames.Flags[f];
            if ((flags & PageFlags.InUse) == 0) continue;
            inUse++;
            int memcg = PageFlags.Memcg(flags);
            usage[memcg]++;
            if ((flags & PageFlags.Kernel) != 0) continue; // overhead: charged, never on an LRU, never mapped
            if ((flags & PageFlags.Lru) == 0 && !policy.IsQueuedOffLru(f))
                throw new InvariantViolationException(4, $"frame {f} is in use but off every LRU list between reclaim steps.");
            int v = frames.Rmap[f];
            uint entry = v < 0 ? 0 : (flags & PageFlags.SwapBacked) != 0 ? m.PageTables.Ptes[v] : m.PageCache.Entries[v];
            if (v >= 0 && (!Pte.IsPresent(entry) || Pte.Frame(entry) != f))
                throw new InvariantViolationException(4, $"frame {f}: rmap names {((flags & PageFlags.SwapBacked) != 0 ? "PTE" : "page-cache slot")} {v}, which does not hold it.");
        }
        // Per node too: nothing is lost or duplicated when pages migrate between nodes.
        for (int n = 0; n < frames.NodeCount; n++)
        {
            int used = 0;
            for (int f = frames.NodeFirstFrame(n), end = f + frames.NodeFrames(n); f < end; f++)
                if ((frames.Flags[f] & PageFlags.InUse) != 0) used++;
            if (used + frames.NodeFreeFrames(n) != frames.NodeFrames(n))
                throw new InvariantViolationException(6, $"node {n}: {used} frames in use + {frames.NodeFreeFrames(n)} free != {frames.NodeFrames(n)}.");
        }
        if (inUse + frames.FreeFrames != frames.Capacity)
            throw new InvariantViolationException(6, $"{inUse} frames in use + {frames.FreeFrames} free != {frames.Capacity}.");

        foreach (var memcg in m.Memcgs)
        {
            if (usage[memcg.Index] != memcg.Usage)
                throw new InvariantViolationException(6, $"memcg {memcg.Path}: memory.current {memcg.Usage} pages but {usage[memcg.Index]} frames are charged to it.");
            if (memcg.Usage > memcg.MaxPages)
                throw new InvariantViolationException(6, $"memcg {memcg.Path}: memory.current {memcg.Usage} exceeds memory.max {memcg.MaxPages}.");
        }

        foreach (var mm in m.Mms)
        {
            long rss = 0, swapEntries = 0;
            for (int v = mm.Base; v < mm.Base + mm.Pages; v++)
            {
                uint pte = m.PageTables.Ptes[v];
                if (Pte.IsPresent(pte))
                {
                    rss++;
                    // A file mapping's PTE maps the page cached at its offset, or (a private mapping) its
                    // own anonymous copy; an anonymous page's rmap names its PTE.
                    int f = Pte.Frame(pte);
                    var vma = mm.FindVma(v);
                    bool anon = (m.Frames.Flags[f] & PageFlags.SwapBacked) != 0;
                    bool ok = anon
                        ? m.Frames.Rmap[f] == v && (vma.IsAnon || vma.Backend == MemoryBackend.FilePrivate) && (pte & Pte.ReadOnly) == 0
                        : vma.MapsFile && m.PageCache.Entries[vma.SlotOf(v)] == (Pte.Present | (uint)f)
                          && ((pte & Pte.ReadOnly) != 0) == (vma.Backend == MemoryBackend.FilePrivate);
                    if (!ok)
                        throw new InvariantViolationException(4, $"mm of {mm.TaskName}: PTE {v} ({vma.Backend} VMA, pte 0x{pte:x8}) maps frame {f} (flags 0x{m.Frames.Flags[f]:x8}, rmap {m.Frames.Rmap[f]}), which is not its page" +
                            (vma.MapsFile ? $" (the page cache holds 0x{m.PageCache.Entries[vma.SlotOf(v)]:x8} at slot {vma.SlotOf(v)})." : "."));
                }
                else if (Pte.IsSwap(pte)) swapEntries++;
            }
            if (mm.Exited && rss + swapEntries != 0)
                throw new InvariantViolationException(6, $"mm of {mm.TaskName} exited but still maps {rss} pages and {swapEntries} swap entries.");
            if (rss != mm.Rss || swapEntries != mm.SwapEntries)
                throw new InvariantViolationException(6, $"mm of {mm.TaskName}: counted rss {rss}/swap {swapEntries}, recorded {mm.Rss}/{mm.SwapEntries}.");
        }

        // xa_node bookkeeping: counts match the slots; shadow-only nodes, and only they, are on their memcg's list.
        string? nodes = m.PageCache.CheckNodes();
        if (nodes != null) throw new InvariantViolationException(6, nodes);

        // PG_readahead lives on a cached page: a reclaimed marker page takes the marker with it.
        foreach (var file in m.PageCache.Files)
        {
            long marker = file.Readahead.Marker;
            if (marker >= 0 && (marker >= file.Pages || (m.PageCache.Entries[file.Base + marker] & Pte.Present) == 0))
                throw new InvariantViolationException(4, $"file {file.Name}: the readahead marker is on page {marker}, which is not cached.");
        }
    }
}
