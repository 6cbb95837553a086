using MgLru.Engine.Cgroup;
using MgLru.Engine.Memory;
using MgLru.Engine.Simulation;

namespace MgLru.Engine.Reclaim.Mglru;

// The §12 invariants of the generation lists, checked between reclaim steps (tests only).
internal sealed partial class MglruPolicy
{
    public override void CheckLists()
    {
        var m = _m;
        var frames = _frames;
        var policy = this;
        var counted = new long[m.Memcgs.Count * m.Nodes.Length * Lruvec.MaxNrGens * 2];
        foreach (var memcg in m.Memcgs)
        foreach (var l in memcg.Lruvecs)
        {
            for (int type = 0; type < 2; type++)
            {
                int nrGens = l.NrGens(type);
                if (nrGens < Lruvec.MinNrGens || nrGens > Lruvec.MaxNrGens)
                    throw new InvariantViolationException(1, $"memcg {memcg.Path} type {type}: max_seq {l.MaxSeq} - min_seq {l.MinSeq[type]} + 1 = {nrGens}.");
            }
            if (l.MaxSeq < l.CheckedMaxSeq || l.MinSeq[0] < l.CheckedMinSeq[0] || l.MinSeq[1] < l.CheckedMinSeq[1])
                throw new InvariantViolationException(2, $"memcg {memcg.Path}: a sequence decreased (max {l.CheckedMaxSeq}→{l.MaxSeq}, min {l.CheckedMinSeq[0]},{l.CheckedMinSeq[1]}→{l.MinSeq[0]},{l.MinSeq[1]}).");
            // Invariant 3: while both types stayed evictable, ≥6.14 keeps the min_seqs within one generation;
            // 6.1 keeps anon's at or below file's.
            if (!l.SingleTypePeriod)
            {
                long gap = l.MinSeq[0] - l.MinSeq[1];
                if (_rules.AgingFeedback2024 ? System.Math.Abs(gap) > 1 : gap > 0)
                    throw new InvariantViolationException(3, $"memcg {memcg.Path}: min_seq anon {l.MinSeq[0]} and file {l.MinSeq[1]} drifted apart.");
            }
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
                        if (g < 0) throw new InvariantViolationException(4, $"frame {f} (flags 0x{flags:x8}, rmap {frames.Rmap[f]}) is on a generation list with gen field 0.");
                        if ((flags & PageFlags.Active) != 0) throw new InvariantViolationException(4, $"frame {f} is on an MGLRU list with PG_active set.");
                        if ((flags & PageFlags.Lru) == 0 && !IsQueuedOffLru(f)) throw new InvariantViolationException(4, $"frame {f} is on a list without PG_lru.");
                        if (PageFlags.Type(flags) != type) throw new InvariantViolationException(4, $"frame {f} of type {PageFlags.Type(flags)} is on a type-{type} list.");
                        if (PageFlags.Memcg(flags) != memcg.Index) throw new InvariantViolationException(4, $"frame {f} of memcg {PageFlags.Memcg(flags)} is on memcg {memcg.Index}'s list.");
                        if (frames.NodeOf(f) != l.Node) throw new InvariantViolationException(4, $"frame {f} of node {frames.NodeOf(f)} is on a node-{l.Node} list.");
                        // After a cold/hot inversion a folio left on a retired list may carry any gen field
                        // (a lazy promotion from before, or one made while its list stood outside the window).
                        if (g != gen && !l.Inverted[type])
                        {
                            long fieldSeq = SeqOfGen(l, type, g);
                            if (listSeq < 0 || fieldSeq <= listSeq)
                                throw new InvariantViolationException(5, $"frame {f} (type {type}, memcg {memcg.Path}) sits on gen {gen} (seq {listSeq}) but its gen field says {g} (seq {fieldSeq}), which is not a lazy promotion (min_seq {l.MinSeq[type]}, max_seq {l.MaxSeq}).");
                        }
                        counted[(l.Index * Lruvec.MaxNrGens + g) * 2 + type]++;
                    }
                }
            }
        }

        foreach (var memcg in m.Memcgs)
        foreach (var l in memcg.Lruvecs)
        {
            for (int gen = 0; gen < Lruvec.MaxNrGens; gen++)
                for (int type = 0; type < 2; type++)
                {
                    long c = counted[(l.Index * Lruvec.MaxNrGens + gen) * 2 + type];
                    if (c != l.Size(gen, type))
                        throw new InvariantViolationException(6, $"memcg {memcg.Path} gen {gen} type {type}: nr_pages {l.Size(gen, type)} but {c} folios carry that generation.");
                }
        }
    }

    /// <summary>The sequence in [min_seq[type], max_seq] whose generation index is <paramref name="gen"/>, or -1.</summary>
    private static long SeqOfGen(Lruvec l, int type, int gen)
    {
        for (long seq = l.MinSeq[type]; seq <= l.MaxSeq; seq++)
            if (Lruvec.GenFromSeq(seq) == gen) return seq;
        return -1;
    }

    public override (long ActiveAnon, long InactiveAnon, long ActiveFile, long InactiveFile) LruSizes(MemCgroup memcg)
    {
        long activeAnon = 0, inactiveAnon = 0, activeFile = 0, inactiveFile = 0;
        foreach (var l in memcg.Lruvecs)
        {
            var s = LruvecSizes(l);
            activeAnon += s.ActiveAnon;
            inactiveAnon += s.InactiveAnon;
            activeFile += s.ActiveFile;
            inactiveFile += s.InactiveFile;
        }
        return (activeAnon, inactiveAnon, activeFile, inactiveFile);
    }

    public override long UnevictablePages(MemCgroup memcg)
    {
        long n = 0;
        foreach (var l in memcg.Lruvecs) n += l.NrUnevictable;
        return n;
    }

    /// <summary>The compat active/inactive sizes of one lruvec.</summary>
    public static (long ActiveAnon, long InactiveAnon, long ActiveFile, long InactiveFile) LruvecSizes(Lruvec l)
    {
        long activeAnon = 0, inactiveAnon = 0, activeFile = 0, inactiveFile = 0;
        for (long seq = System.Math.Min(l.MinSeq[0], l.MinSeq[1]); seq <= l.MaxSeq; seq++)
        {
            int gen = Lruvec.GenFromSeq(seq);
            // lru_gen_is_active: max_seq and max_seq - 1 make up the compat "active" lists.
            bool active = seq >= l.MaxSeq - 1;
            long anon = System.Math.Max(0, l.Size(gen, Lruvec.Anon)), file = System.Math.Max(0, l.Size(gen, Lruvec.File));
            if (active) { activeAnon += anon; activeFile += file; }
            else { inactiveAnon += anon; inactiveFile += file; }
        }
        return (activeAnon, inactiveAnon, activeFile, inactiveFile);
    }
}
