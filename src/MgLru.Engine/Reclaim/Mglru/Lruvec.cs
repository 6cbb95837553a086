namespace MgLru.Engine.Reclaim.Mglru;

/// <summary>
/// One (memcg, node) lruvec with its struct lru_gen_folio state (include/linux/mmzone.h):
/// max_seq, min_seq[2], per-generation timestamps and sizes, and the PID controller counters
/// (NR_HIST_GENS = 1). The folio lists themselves live in the frame table's link arrays.
/// </summary>
internal enum MmStat
{
    /// <summary>MM_LEAF_TOTAL: PTEs visited.</summary>
    LeafTotal,
    /// <summary>MM_LEAF_OLD (6.1 only): present PTEs without the accessed bit.</summary>
    LeafOld,
    /// <summary>MM_LEAF_YOUNG: young PTEs of this lruvec's folios.</summary>
    LeafYoung,
    /// <summary>MM_NONLEAF_TOTAL (6.1 only): non-leaf PMD entries visited.</summary>
    NonleafTotal,
    /// <summary>MM_NONLEAF_FOUND: PTE tables scanned.</summary>
    NonleafFound,
    /// <summary>MM_NONLEAF_ADDED: PTE tables dense enough to enter the next Bloom filter.</summary>
    NonleafAdded,
    Count,
}

internal sealed class Lruvec
{
    public const int MinNrGens = 2;
    public const int MaxNrGens = 4;
    public const int MaxNrTiers = 4;
    public const int Anon = 0;
    public const int File = 1;

    public Lruvec(int index, int memcg, int node, long nowJiffies)
    {
        Index = index;
        Memcg = memcg;
        Node = node;
        // lru_gen_init_lruvec: max_seq = MIN_NR_GENS + 1, min_seq = {0, 0}: four generations.
        MaxSeq = MinNrGens + 1;
        for (int g = 0; g < MaxNrGens; g++) Timestamps[g] = nowJiffies;
    }

    public int Index { get; }
    public int Memcg { get; }
    public int Node { get; }

    public long MaxSeq;
    public readonly long[] MinSeq = new long[2];
    public readonly long[] Timestamps = new long[MaxNrGens];

    /// <summary>nr_pages[gen][type], flattened as gen * 2 + type. Signed: walker batches may run ahead.</summary>
    public readonly long[] NrPages = new long[MaxNrGens * 2];

    /// <summary>Pages on the unevictable list.</summary>
    public long NrUnevictable;

    // PID controller, [type * MaxNrTiers + tier].
    public readonly long[] AvgRefaulted = new long[2 * MaxNrTiers];
    public readonly long[] AvgTotal = new long[2 * MaxNrTiers];
    public readonly long[] Refaulted = new long[2 * MaxNrTiers];
    public readonly long[] Evicted = new long[2 * MaxNrTiers];
    public readonly long[] Protected = new long[2 * MaxNrTiers];

    /// <summary>mm_state.seq: the last completed mm-list iteration.</summary>
    public long MmStateSeq = MinNrGens;

    /// <summary>mm_state.head: index in the memcg's mm list of the last mm handed out in this iteration (-1: the list head).</summary>
    public int MmHead = -1;

    /// <summary>mm_state.filters[2]: null until the first walker allocates them (a missing filter passes everything).</summary>
    public readonly BloomFilter?[] Filters = new BloomFilter?[2];

    /// <summary>An mm joined the memcg's list since the last iteration (mm_state.tail reset): the next walker force-scans.</summary>
    public bool MmsAddedSinceIteration = true;

    /// <summary>mm_state.stats[0] (NR_HIST_GENS = 1: accumulates over the whole run), indexed by <see cref="MmStat"/>.</summary>
    public readonly long[] MmStats = new long[(int)MmStat.Count];

    // The node's memcg LRU (MGLRU global reclaim): generation, bin and segment of this lruvec (lrugen->gen/bin/seg).
    public int LruGen;
    public int LruBin;
    public int LruSeg;

    /// <summary>Reclaim or aging ran with only one type evictable (swappiness 0 or "max"): the min_seqs may drift apart (invariant 3).</summary>
    internal bool SingleTypePeriod;

    /// <summary>
    /// Per type: inc_min_seq once retired a non-evictable generation that still held folios, which stay on
    /// that list as it becomes the youngest (the accepted cold/hot inversion); from then on a folio's gen
    /// field and its list may disagree either way for this type, so invariant 5 is not checked for it.
    /// </summary>
    internal readonly bool[] Inverted = new bool[2];

    // Last values the invariant checker saw (invariant 2: sequences never decrease).
    internal long CheckedMaxSeq;
    internal readonly long[] CheckedMinSeq = new long[2];

    public static int GenFromSeq(long seq) => (int)(seq % MaxNrGens);

    public int NrGens(int type) => (int)(MaxSeq - MinSeq[type] + 1);

    public long Size(int gen, int type) => NrPages[gen * 2 + type];

    /// <summary>
    /// Pages (anon + file) in generation <paramref name="seq"/>: each type's size if seq is within its
    /// [min_seq, max_seq] window, a walker batch's transient negative as 0.
    /// </summary>
    public long Pages(long seq)
    {
        long n = 0;
        for (int type = 0; type < 2; type++)
        {
            if (seq < MinSeq[type] || seq > MaxSeq) continue;
            long size = Size(GenFromSeq(seq), type);
            if (size > 0) n += size;
        }
        return n;
    }
}
