using MgLru.Engine.Cgroup;
using MgLru.Engine.Memory;
using MgLru.Engine.Scenario;
using MgLru.Engine.Simulation;

namespace MgLru.Engine.Reclaim.Mglru;

/// <summary>
/// The Multi-Gen LRU (mm/vmscan.c lru_gen_*, include/linux/mm_inline.h, mm/workingset.c).
/// Split by mechanism: Placement (add/del folio), Aging, Eviction, PidController, Workingset, PageTableWalk.
/// </summary>
internal sealed partial class MglruPolicy : LruPolicy
{
    public const int MaxLruBatch = MinLruBatch * 64;

    private readonly uint _refsFlags;
    private const int ListsPerLruvec = Lruvec.MaxNrGens * 2 + 1;

    public MglruPolicy(Machine machine) : base(machine)
    {
        _refsFlags = _rules.AgingFeedback2024 ? PageFlags.RefsFlags614 : PageFlags.RefsFlags61;
    }

    /// <summary>Lists needed for <paramref name="lruvecs"/> lruvecs, plus the four private lists of eviction and shrink_folio_list.</summary>
    public static int ListCount(int lruvecs) => lruvecs * ListsPerLruvec + 4;

    public static int IsolatedListIndex(int lruvecs) => lruvecs * ListsPerLruvec;

    /// <summary>Sentinel of lrugen->folios[gen][type] of a lruvec.</summary>
    public int ListOf(Lruvec lruvec, int gen, int type) => _frames.Sentinel(lruvec.Index * ListsPerLruvec + gen * 2 + type);

    public int UnevictableListOf(Lruvec lruvec) => _frames.Sentinel(lruvec.Index * ListsPerLruvec + Lruvec.MaxNrGens * 2);

    public Lruvec LruvecOf(int frame) => _m.Memcgs[PageFlags.Memcg(_frames.Flags[frame])].Lruvecs[_frames.NodeOf(frame)];

    /// <summary>for_each_evictable_type: anon unless swappiness is 0; file unless swappiness is "max" (201).</summary>
    public static bool TypeEvictable(int type, int swappiness)
        => type == Lruvec.Anon ? swappiness != 0 : swappiness <= MaxSwappiness;

    /// <summary>evictable_min_seq: the smallest min_seq among evictable types.</summary>
    public static long EvictableMinSeq(Lruvec l, int swappiness)
    {
        long seq = long.MaxValue;
        for (int type = 0; type < 2; type++)
            if (TypeEvictable(type, swappiness) && l.MinSeq[type] < seq) seq = l.MinSeq[type];
        return seq;
    }
}
