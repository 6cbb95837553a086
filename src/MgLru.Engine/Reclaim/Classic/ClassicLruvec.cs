namespace MgLru.Engine.Reclaim.Classic;

/// <summary>The classic per-lruvec state: list sizes, the non-resident age clock and the reclaim costs.</summary>
internal sealed class ClassicLruvec
{
    public const int InactiveAnon = 0, ActiveAnon = 1, InactiveFile = 2, ActiveFile = 3, Unevictable = 4;
    public const int NrLruLists = 5;

    /// <summary>Pages per list, indexed like enum lru_list.</summary>
    public readonly long[] Size = new long[NrLruLists];

    /// <summary>lruvec->nonresident_age: ticks on every eviction and activation (mm/workingset.c).</summary>
    public long NonresidentAge;

    /// <summary>lruvec->anon_cost / file_cost (lru_note_cost), decayed by halving.</summary>
    public long AnonCost;
    public long FileCost;

    /// <summary>lruvec->refaults[]: WORKINGSET_ACTIVATE_* at the last snapshot_refaults.</summary>
    public readonly long[] RefaultsSnapshot = new long[2];

    /// <summary>
    /// The memcg stats as reclaim reads them when they come from the rstat copy (see
    /// KernelRuleSet.ReclaimReadsFlushedMemcgStats): list sizes and WORKINGSET_ACTIVATE_* as of the memcg's
    /// last flush (LruPolicy.CatchUpFlusher). At time 0 the memcg is empty.
    /// </summary>
    public readonly long[] FlushedSize = new long[NrLruLists];
    public readonly long[] FlushedActivations = new long[2];

    public static int LruOf(int type, bool active) => type * 2 + (active ? 1 : 0);
}
