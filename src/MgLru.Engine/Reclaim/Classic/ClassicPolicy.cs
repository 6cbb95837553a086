using System;
using MgLru.Engine.Cgroup;
using MgLru.Engine.Memory;
using MgLru.Engine.Scenario;
using MgLru.Engine.Simulation;
using MgLru.Engine.Stats;

namespace MgLru.Engine.Reclaim.Classic;

/// <summary>
/// The classic two-list LRU per type (mm/vmscan.c shrink_lruvec, get_scan_count, shrink_active_list,
/// shrink_inactive_list, inactive_is_low; mm/workingset.c refault distance). PG_active says which list
/// a folio is on.
/// </summary>
internal sealed partial class ClassicPolicy : LruPolicy
{
    private const int ListsPerLruvec = ClassicLruvec.NrLruLists;
    private readonly ClassicLruvec[] _lruvecs;
    private readonly int[] _scratch = new int[3];

    private readonly int _nodes;

    /// <summary><paramref name="lruvecs"/> = memcgs × nodes; lruvec memcg × nodes + node.</summary>
    public ClassicPolicy(Machine machine, int lruvecs) : base(machine)
    {
        _nodes = machine.Nodes.Length;
        _lruvecs = new ClassicLruvec[lruvecs];
        for (int i = 0; i < lruvecs; i++) _lruvecs[i] = new ClassicLruvec();
    }

    public static int ListCount(int lruvecs) => lruvecs * ListsPerLruvec + 4;

    public static int PrivateListIndex(int lruvecs) => lruvecs * ListsPerLruvec;

    /// <summary>The memcg's lruvec on node 0 (tests and single-node views).</summary>
    public ClassicLruvec Lruvec(int memcg) => _lruvecs[memcg * _nodes];

    public ClassicLruvec Lruvec(int memcg, int node) => _lruvecs[memcg * _nodes + node];

    /// <summary>The lruvec index of a folio: its memcg's lruvec on its node.</summary>
    private int LruvecIndexOf(int f, uint flags) => PageFlags.Memcg(flags) * _nodes + _frames.NodeOf(f);

    private int ListOf(int lruvec, int lru) => _frames.Sentinel(lruvec * ListsPerLruvec + lru);

    private static int LruOfFlags(uint flags)
        => (flags & PageFlags.Unevictable) != 0 ? ClassicLruvec.Unevictable : ClassicLruvec.LruOf(PageFlags.Type(flags), (flags & PageFlags.Active) != 0);

    /// <summary>lruvec_add_folio: at the head of the list its flags select.</summary>
    private void AddFolio(int f)
    {
        uint flags = _frames.Flags[f] | PageFlags.Lru;
        _frames.Flags[f] = flags;
        int lv = LruvecIndexOf(f, flags);
        int lru = LruOfFlags(flags);
        _lruvecs[lv].Size[lru]++;
        _frames.AddHead(ListOf(lv, lru), f);
    }

    private void DelFolio(int f)
    {
        uint flags = _frames.Flags[f];
        _lruvecs[LruvecIndexOf(f, flags)].Size[LruOfFlags(flags)]--;
        _frames.Unlink(f);
        _frames.Flags[f] = flags & ~PageFlags.Lru;
    }

    /// <summary>New anon and file folios start inactive (since 5.9); a refault may have set PG_active.</summary>
    public override void AddNewFolio(int frame) => AddFolio(frame);

    public override void RemoveFolio(int frame) => DelFolio(frame);

    /// <summary>
    /// folio_mark_accessed: inactive unreferenced → referenced; inactive referenced → activated
    /// (folio_activate, workingset_activation ages the non-resident clock); active → referenced.
    /// </summary>
    public override void MarkAccessed(int frame)
    {
        uint flags = _frames.Flags[frame];
        if ((flags & PageFlags.Referenced) == 0)
        {
            _frames.Flags[frame] = flags | PageFlags.Referenced;
            return;
        }
        if ((flags & (PageFlags.Unevictable | PageFlags.Active)) != 0) return;
        var memcg = _m.Memcgs[PageFlags.Memcg(flags)];
        DelFolio(frame);
        _frames.Flags[frame] = (flags & ~PageFlags.Referenced & ~PageFlags.Lru) | PageFlags.Active;
        AddFolio(frame);
        memcg.Count(VmEvent.PgActivate);
        _lruvecs[LruvecIndexOf(frame, flags)].NonresidentAge++;
    }

    /// <summary>move_folios_to_lru: an active folio ages the non-resident clock.</summary>
    protected override void PutBack(int frame)
    {
        uint flags = _frames.Flags[frame];
        if ((flags & PageFlags.Active) != 0) _lruvecs[LruvecIndexOf(frame, flags)].NonresidentAge++;
        AddFolio(frame);
    }

    /// <summary>folio_check_references (classic): look twice before activating a mapped folio.</summary>
    protected override FolioReference CheckReferences(int frame, int referencedPtes) => CheckReferencesTwice(frame, referencedPtes);

    /// <summary>lru_move_tail: to the tail of the inactive list, to be reclaimed next.</summary>
    public override void RotateReclaimable(int frame)
    {
        DelFolio(frame);
        uint flags = _frames.Flags[frame] & ~PageFlags.Active;
        _frames.Flags[frame] = flags | PageFlags.Lru;
        int lv = LruvecIndexOf(frame, flags);
        int lru = LruOfFlags(flags);
        _lruvecs[lv].Size[lru]++;
        _frames.AddTail(ListOf(lv, lru), frame);
    }

    /// <summary>inactive_is_low: inactive × int_sqrt(10 × GiB) &lt; active (ratio 1 below 1 GiB).</summary>
    public static bool InactiveIsLow(long inactive, long active)
    {
        long gb = (inactive + active) >> (30 - Units.PageShift);
        long ratio = gb > 0 ? (long)Math.Sqrt(10.0 * gb) : 1;
        while (ratio * ratio > 10 * gb && gb > 0) ratio--; // int_sqrt: floor
        return inactive * ratio < active;
    }

    private bool InactiveIsLow(ClassicLruvec l, MemCgroup memcg, int type)
    {
        long[] sizes = StatSizes(l, memcg);
        return InactiveIsLow(sizes[ClassicLruvec.LruOf(type, false)], sizes[ClassicLruvec.LruOf(type, true)]);
    }

    /// <summary>A flush copies every node's list sizes and the memcg's WORKINGSET_ACTIVATE_* too.</summary>
    protected override void SnapshotMemcgStats(MemCgroup memcg)
    {
        base.SnapshotMemcgStats(memcg);
        for (int n = 0; n < _nodes; n++)
        {
            var l = _lruvecs[memcg.Index * _nodes + n];
            System.Array.Copy(l.Size, l.FlushedSize, ClassicLruvec.NrLruLists);
            l.FlushedActivations[0] = memcg.Events[(int)VmEvent.WorkingsetActivateAnon];
            l.FlushedActivations[1] = memcg.Events[(int)VmEvent.WorkingsetActivateFile];
        }
    }

    /// <summary>lruvec_page_state(NR_LRU_BASE + lru) as reclaim reads it: current, or as of the last flush.</summary>
    private long[] StatSizes(ClassicLruvec l, MemCgroup memcg)
    {
        if (!_rules.ReclaimReadsFlushedMemcgStats) return l.Size;
        CatchUpFlusher(memcg);
        return l.FlushedSize;
    }

    /// <summary>lruvec_page_state(WORKINGSET_ACTIVATE_ANON/FILE) as reclaim reads it.</summary>
    private long StatActivations(ClassicLruvec l, MemCgroup memcg, int type)
    {
        if (!_rules.ReclaimReadsFlushedMemcgStats) return memcg.Events[(int)(type == 0 ? VmEvent.WorkingsetActivateAnon : VmEvent.WorkingsetActivateFile)];
        CatchUpFlusher(memcg);
        return l.FlushedActivations[type];
    }

    public override (long ActiveAnon, long InactiveAnon, long ActiveFile, long InactiveFile) LruSizes(MemCgroup memcg)
    {
        long aa = 0, ia = 0, af = 0, inf = 0;
        for (int n = 0; n < _nodes; n++)
        {
            var l = _lruvecs[memcg.Index * _nodes + n];
            aa += l.Size[ClassicLruvec.ActiveAnon];
            ia += l.Size[ClassicLruvec.InactiveAnon];
            af += l.Size[ClassicLruvec.ActiveFile];
            inf += l.Size[ClassicLruvec.InactiveFile];
        }
        return (aa, ia, af, inf);
    }

    public override long UnevictablePages(MemCgroup memcg)
    {
        long n = 0;
        for (int node = 0; node < _nodes; node++) n += _lruvecs[memcg.Index * _nodes + node].Size[ClassicLruvec.Unevictable];
        return n;
    }

    public override void CheckLists()
    {
        for (int lv = 0; lv < _lruvecs.Length; lv++)
        {
            int memcg = lv / _nodes, node = lv % _nodes;
            for (int lru = 0; lru < ClassicLruvec.NrLruLists; lru++)
            {
                int head = ListOf(lv, lru);
                long n = 0;
                for (int f = _frames.Next[head]; f != head; f = _frames.Next[f])
                {
                    if (++n > _frames.Capacity) throw new InvariantViolationException(4, "a classic LRU list is cyclic without its sentinel.");
                    uint flags = _frames.Flags[f];
                    if (LruOfFlags(flags) != lru || PageFlags.Memcg(flags) != memcg || _frames.NodeOf(f) != node || (flags & PageFlags.Lru) == 0 || (flags & PageFlags.GenMask) != 0)
                        throw new InvariantViolationException(4, $"frame {f} is on classic list {lru} of memcg {memcg} but its flags say list {LruOfFlags(flags)} of memcg {PageFlags.Memcg(flags)}.");
                }
                if (n != _lruvecs[lv].Size[lru])
                    throw new InvariantViolationException(6, $"memcg {memcg} node {node} list {lru}: size {_lruvecs[lv].Size[lru]} but {n} folios on it.");
            }
        }
    }
}
