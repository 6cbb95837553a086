using System;
using System.Collections.Generic;
using MgLru.Engine.Cgroup;
using MgLru.Engine.Stats;

namespace MgLru.Engine.Reclaim.Mglru;

// Global (root) reclaim under MGLRU: the per-node memcg LRU (mm/vmscan.c lru_gen_shrink_node,
// shrink_many, shrink_one, lru_gen_rotate_memcg, set_initial_priority, should_abort_scan) and
// kswapd's lru_gen_age_node with min_ttl. The 6.1 rule set has no memcg LRU (it arrived in 6.3):
// it shrinks every memcg in turn and ages them from kswapd.
internal sealed partial class MglruPolicy
{
    private const int MemcgNrGens = 3;
    private const int MemcgNrBins = 8;
    internal const int MemcgLruNop = 0, MemcgLruHead = 1, MemcgLruTail = 2, MemcgLruOld = 3, MemcgLruYoung = 4;

    /// <summary>pgdat->memcg_lru of one node: seq, nr_memcgs[gen] and fifo[gen][bin] of memcg indexes.</summary>
    private sealed class MemcgLruList
    {
        public long Seq;
        public readonly int[] Count = new int[MemcgNrGens];
        public readonly List<int>[] Fifo = CreateFifo();
    }

    private MemcgLruList[]? _memcgLrus;
    private int[] _binSnapshot = new int[16];

    private MemcgLruList MemcgLruOf(int node)
    {
        if (_memcgLrus == null)
        {
            _memcgLrus = new MemcgLruList[_m.Nodes.Length];
            for (int n = 0; n < _memcgLrus.Length; n++) _memcgLrus[n] = new MemcgLruList();
        }
        return _memcgLrus[node];
    }

    private static List<int>[] CreateFifo()
    {
        var fifo = new List<int>[MemcgNrGens * MemcgNrBins];
        for (int i = 0; i < fifo.Length; i++) fifo[i] = new List<int>();
        return fifo;
    }

    private static int MemcgGen(long seq) => (int)(seq % MemcgNrGens);

    /// <summary>lru_gen_online_memcg: on every node, the tail of a random bin of the old generation.</summary>
    public void OnlineMemcg(MemCgroup memcg)
    {
        foreach (var l in memcg.Lruvecs)
        {
            var lru = MemcgLruOf(l.Node);
            int gen = MemcgGen(lru.Seq);
            int bin = (int)_m.Random.NextUInt32(MemcgNrBins);
            l.LruGen = gen;
            l.LruBin = bin;
            l.LruSeg = 0;
            lru.Fifo[gen * MemcgNrBins + bin].Add(memcg.Index);
            lru.Count[gen]++;
        }
    }

    /// <summary>lru_gen_rotate_memcg: HEAD/TAIL stay in the generation, OLD/YOUNG move; a random bin each time.</summary>
    internal void RotateMemcg(Lruvec l, int op)
    {
        var lru = MemcgLruOf(l.Node);
        int bin = (int)_m.Random.NextUInt32(MemcgNrBins);
        int old = l.LruGen, gen = old, seg = 0;
        if (op == MemcgLruHead) seg = MemcgLruHead;
        else if (op == MemcgLruTail) seg = MemcgLruTail;
        else if (op == MemcgLruOld) gen = MemcgGen(lru.Seq);
        else if (op == MemcgLruYoung) gen = MemcgGen(lru.Seq + 1);
        lru.Fifo[old * MemcgNrBins + l.LruBin].Remove(l.Memcg);
        var target = lru.Fifo[gen * MemcgNrBins + bin];
        if (op == MemcgLruHead || op == MemcgLruOld) target.Insert(0, l.Memcg);
        else target.Add(l.Memcg);
        l.LruSeg = seg;
        l.LruGen = gen;
        l.LruBin = bin;
        lru.Count[old]--;
        lru.Count[gen]++;
        // The old generation emptied: the young one becomes old.
        if (lru.Count[old] == 0 && old == MemcgGen(lru.Seq)) lru.Seq++;
    }

    /// <summary>Node 0's memcg_lru.seq, for tests and the debug views.</summary>
    public long MemcgLruSeq => MemcgLruOf(0).Seq;

    public override void ShrinkNode(ScanControl sc)
    {
        if (!_rules.MemcgLru)
        {
            base.ShrinkNode(sc);
            return;
        }
        SetInitialPriority(sc);
        BeginShrink(sc);
        ShrinkMany(sc);
        EndShrink();
        // lru_gen_shrink_node: "kswapd should never fail" (balance_pgdat counts a failure after this).
        _m.Nodes[sc.Node].KswapdFailures = 0;
    }

    /// <summary>shrink_many: the old generation's memcgs, bin by bin from a random one, until the target is met.</summary>
    private void ShrinkMany(ScanControl sc)
    {
        var lru = MemcgLruOf(sc.Node);
        int gen = MemcgGen(lru.Seq);
        int first = (int)_m.Random.NextUInt32(MemcgNrBins);
        int bin = first;
        do
        {
            var list = lru.Fifo[gen * MemcgNrBins + bin];
            int n = list.Count;
            if (_binSnapshot.Length < n) _binSnapshot = new int[n * 2];
            list.CopyTo(_binSnapshot);
            for (int i = 0; i < n; i++)
            {
                var memcg = _m.Memcgs[_binSnapshot[i]];
                var l = memcg.Lruvecs[sc.Node];
                if (l.LruGen != gen) continue; // rotated meanwhile
                int op = ShrinkOne(memcg, sc);
                if (op != MemcgLruNop) RotateMemcg(l, op);
                if (ShouldAbortScan(sc)) return;
            }
            bin = (bin + 1) % MemcgNrBins;
        } while (bin != first);
    }

    /// <summary>shrink_one: honour memory.min and (once) memory.low, shrink, and say how to rotate the memcg.</summary>
    private int ShrinkOne(MemCgroup memcg, ScanControl sc)
    {
        var l = memcg.Lruvecs[sc.Node];
        if (memcg.BelowMin(null)) return MemcgLruYoung;
        if (memcg.BelowLow(null))
        {
            if (l.LruSeg != MemcgLruTail) return MemcgLruTail;
            memcg.LowEvents++;
        }
        bool aged = TryToShrinkLruvec(l, sc);
        ShrinkSlab(memcg, sc.Priority);
        if (aged) return MemcgLruYoung;
        if (LruvecIsSizable(memcg, sc)) return MemcgLruNop;
        return l.LruSeg != MemcgLruTail ? MemcgLruTail : MemcgLruYoung;
    }

    /// <summary>lruvec_is_sizable: at this priority, is there anything worth scanning?</summary>
    private bool LruvecIsSizable(MemCgroup memcg, ScanControl sc)
    {
        var l = memcg.Lruvecs[sc.Node];
        int swappiness = GetSwappiness(memcg, sc);
        long total = 0;
        for (int type = 0; type < 2; type++)
        {
            if (!TypeEvictable(type, swappiness)) continue;
            for (long seq = l.MinSeq[type]; seq <= l.MaxSeq; seq++) total += Math.Max(0, l.Size(Lruvec.GenFromSeq(seq), type));
        }
        return (total >> sc.Priority) != 0;
    }

    /// <summary>should_abort_scan: root reclaim stops at its target; kswapd also once every zone is comfortably above high.</summary>
    private bool ShouldAbortScan(ScanControl sc)
    {
        if (sc.CgroupReclaim) return false;
        if (sc.NrReclaimed >= Math.Max(sc.NrToReclaim, 2)) return true;
        if (sc.Reclaimer != Reclaimer.Kswapd) return false;
        return _m.Frames.NodeFreeFrames(sc.Node) >= _m.BalanceMark(sc.Node) + MinLruBatch;
    }

    /// <summary>set_initial_priority: start where (inactive >> priority) is about nr_to_reclaim, within [6, 12].</summary>
    private void SetInitialPriority(ScanControl sc)
    {
        if (sc.Priority != DefPriority || sc.NrToReclaim < MinLruBatch) return;
        long reclaimable = 0;
        bool anon = (_m.Swap != null && _m.Swap.FreeSlots > 0) || CanDemote(sc.Node, sc);
        foreach (var memcg in _m.Memcgs)
        {
            var sizes = LruvecSizes(memcg.Lruvecs[sc.Node]);
            reclaimable += sizes.InactiveFile + (anon ? sizes.InactiveAnon : 0);
        }
        int priority = Fls(reclaimable) - 1 - Fls(sc.NrToReclaim - 1);
        sc.Priority = Math.Max(DefPriority / 2, Math.Min(DefPriority, priority));
    }

    private static int Fls(long x)
    {
        int n = 0;
        while (x != 0) { n++; x = (long)((ulong)x >> 1); }
        return n;
    }

    /// <summary>
    /// lru_gen_age_node (kswapd): with min_ttl set, the node is reclaimable only if some memcg is not below
    /// memory.min, is sizable, and has an oldest evictable generation older than min_ttl; otherwise OOM.
    /// 6.1 also ages every memcg that needs it here (age_lruvec).
    /// </summary>
    public override bool AgeNode(ScanControl sc)
    {
        if (_rules.MemcgLru) SetInitialPriority(sc);
        long minTtl = _m.Options.MinTtlMs;
        bool reclaimable = minTtl == 0;
        foreach (var memcg in _m.Memcgs)
        {
            var l = memcg.Lruvecs[sc.Node];
            int swappiness = GetSwappiness(memcg, sc);
            if (!_rules.MemcgLru && !memcg.BelowMin(null))
            {
                if (ShouldRunAging61(l, swappiness, out _, out AgingTrigger trigger)) TryToIncMaxSeq(l, l.MaxSeq, swappiness, false, trigger, nameof(Reclaimer.Kswapd));
            }
            if (reclaimable || memcg.BelowMin(null) || !LruvecIsSizable(memcg, sc)) continue;
            long birth = l.Timestamps[Lruvec.GenFromSeq(EvictableMinSeq(l, swappiness))];
            if (birth + minTtl < _m.Jiffies) reclaimable = true;
        }
        return !reclaimable;
    }
}
