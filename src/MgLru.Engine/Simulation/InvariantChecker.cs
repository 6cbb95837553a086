using System;
using MgLru.Engine.Memory;
using MgLru.Engine.Mm;
using MgLru.Engine.Reclaim.Mglru;

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
/// Checks the §12 invariants that hold between reclaim steps (1, 2, 4, 5, 6, 8 and the page
/// accounting they rest on). O(frames): switched on for tests with RunOptions.CheckInvariants.
/// </summary>
internal static class InvariantChecker
{
    public static void Check(Machine m, MglruPolicy policy)
    {
        var frames = m.Frames;
        int nrMemcgs = m.Memcgs.Count;
        var counted = new long[nrMemcgs * Lruvec.MaxNrGens * 2];
        var usage = new long[nrMemcgs];
        foreach (var memcg in m.Memcgs)
        {
            var l = memcg.Lruvec;
            for (int type = 0; type < 2; type++)
            {
                int nrGens = l.NrGens(type);
                if (nrGens < Lruvec.MinNrGens || nrGens > Lruvec.MaxNrGens)
                    throw new InvariantViolationException(1, $"memcg {memcg.Path} type {type}: max_seq {l.MaxSeq} - min_seq {l.MinSeq[type]} + 1 = {nrGens}.");
            }
            if (l.MaxSeq < l.CheckedMaxSeq || l.MinSeq[0] < l.CheckedMinSeq[0] || l.MinSeq[1] < l.CheckedMinSeq[1])
                throw new InvariantViolationException(2, $"memcg {memcg.Path}: a sequence decreased (max {l.CheckedMaxSeq}→{l.MaxSeq}, min {l.CheckedMinSeq[0]},{l.CheckedMinSeq[1]}→{l.MinSeq[0]},{l.MinSeq[1]}).");
            l.CheckedMaxSeq = l.MaxSeq;
            l.CheckedMinSeq[0] = l.MinSeq[0];
            l.CheckedMinSeq[1] = l.MinSeq[1];

            // Walk every generation list: gen fields, laziness of promotion, sizes.
            for (int gen = 0; gen < Lruvec.MaxNrGens; gen++)
            {
                for (int type = 0; type < 2; type++)
                {
                    int head = policy.ListOf(l, gen, type);
                    long listSeq = SeqOfGen(l, type, gen);
                    int guard = 0;
                    for (int f = frames.Next[head]; f != head; f = frames.Next[f])
                    {
                        if (++guard > frames.Capacity) throw new InvariantViolationException(4, "a generation list is cyclic without its sentinel.");
                        uint flags = frames.Flags[f];
                        int g = PageFlags.Gen(flags);
                        if (g < 0) throw new InvariantViolationException(4, $"frame {f} is on a generation list with gen field 0.");
                        if ((flags & PageFlags.Active) != 0) throw new InvariantViolationException(4, $"frame {f} is on an MGLRU list with PG_active set.");
                        if ((flags & PageFlags.Lru) == 0) throw new InvariantViolationException(4, $"frame {f} is on a list without PG_lru.");
                        if (PageFlags.Type(flags) != type) throw new InvariantViolationException(4, $"frame {f} of type {PageFlags.Type(flags)} is on a type-{type} list.");
                        if (PageFlags.Memcg(flags) != memcg.Index) throw new InvariantViolationException(4, $"frame {f} of memcg {PageFlags.Memcg(flags)} is on memcg {memcg.Index}'s list.");
                        if (g != gen)
                        {
                            long fieldSeq = SeqOfGen(l, type, g);
                            if (listSeq < 0 || fieldSeq <= listSeq)
                                throw new InvariantViolationException(5, $"frame {f} sits on gen {gen} (seq {listSeq}) but its gen field says {g} (seq {fieldSeq}), which is not a lazy promotion.");
                        }
                        counted[(memcg.Index * Lruvec.MaxNrGens + g) * 2 + type]++;
                    }
                }
            }
        }

        int inUse = 0;
        for (int f = 0; f < frames.Capacity; f++)
        {
            uint flags = frames.Flags[f];
            if ((flags & PageFlags.InUse) == 0) continue;
            inUse++;
            int memcg = PageFlags.Memcg(flags);
            usage[memcg]++;
            if ((flags & PageFlags.Lru) == 0)
                throw new InvariantViolationException(4, $"frame {f} is in use but off every LRU list between reclaim steps.");
            int v = frames.Rmap[f];
            if (v >= 0 && Pte.Frame(m.PageTables.Ptes[v]) != f)
                throw new InvariantViolationException(4, $"frame {f}: rmap names page {v}, whose PTE does not map it.");
        }
        if (inUse + frames.FreeFrames != frames.Capacity)
            throw new InvariantViolationException(6, $"{inUse} frames in use + {frames.FreeFrames} free != {frames.Capacity}.");

        foreach (var memcg in m.Memcgs)
        {
            var l = memcg.Lruvec;
            for (int gen = 0; gen < Lruvec.MaxNrGens; gen++)
                for (int type = 0; type < 2; type++)
                {
                    long c = counted[(memcg.Index * Lruvec.MaxNrGens + gen) * 2 + type];
                    if (c != l.Size(gen, type))
                        throw new InvariantViolationException(6, $"memcg {memcg.Path} gen {gen} type {type}: nr_pages {l.Size(gen, type)} but {c} folios carry that generation.");
                }
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
                if (Pte.IsPresent(pte)) rss++;
                else if (Pte.IsSwap(pte)) swapEntries++;
            }
            if (rss != mm.Rss || swapEntries != mm.SwapEntries)
                throw new InvariantViolationException(6, $"mm of {mm.TaskName}: counted rss {rss}/swap {swapEntries}, recorded {mm.Rss}/{mm.SwapEntries}.");
        }
    }

    /// <summary>The sequence in [min_seq[type], max_seq] whose generation index is <paramref name="gen"/>, or -1.</summary>
    private static long SeqOfGen(Lruvec l, int type, int gen)
    {
        for (long seq = l.MinSeq[type]; seq <= l.MaxSeq; seq++)
            if (Lruvec.GenFromSeq(seq) == gen) return seq;
        return -1;
    }
}
