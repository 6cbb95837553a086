namespace MgLru.Engine.Stats;

/// <summary>Why an aging ran: should_run_aging's reason, or the debugfs '+' command.</summary>
public enum AgingTrigger
{
    /// <summary>The evictable types were down to MIN_NR_GENS (two) generations: aging was due.</summary>
    TwoGenerations,
    /// <summary>Three generations, and the youngest held more than half the pages (6.1–6.13).</summary>
    YoungOverHalf,
    /// <summary>Three generations, and the oldest of the "old" ones (max_seq − 2) held under a quarter of the pages (6.1–6.13).</summary>
    OldUnderQuarter,
    /// <summary>Three generations, fewer than MAX_NR_GENS (≥6.14: aging whenever there is room).</summary>
    ThreeGenerations,
    /// <summary>A '+' command written to lru_gen (run_aging).</summary>
    Debugfs,
}

/// <summary>
/// One aging (try_to_inc_max_seq that created a generation) of one lruvec: when, by whom and why it ran,
/// what its page-table walk did (the lru_gen_full mm-walk statistics of this aging alone) and the
/// generation sizes it left. Flat and scalar for Export-Excel.
/// </summary>
public sealed class AgingRow
{
    /// <summary>0, 1, 2, ... in the order the agings ran (every memcg and node).</summary>
    public int Index { get; init; }
    /// <summary>The memcg's path, as lru_gen prints it ("/" for the root).</summary>
    public string MemcgPath { get; init; } = "";
    public int Node { get; init; }
    /// <summary>The max_seq this aging created.</summary>
    public long MaxSeq { get; init; }
    /// <summary>Simulated time when it ran.</summary>
    public double TimeMs { get; init; }
    /// <summary>The memcg's pgsteal so far: how far reclaim had got, independent of the clock.</summary>
    public long PgSteal { get; init; }
    /// <summary>Direct, Kswapd, Proactive or Debugfs.</summary>
    public string Reclaimer { get; init; } = "";
    public AgingTrigger Trigger { get; init; }
    /// <summary>Generations of the evictable types before the aging (max_seq − min_seq + 1 of the oldest evictable type).</summary>
    public int GenerationsBefore { get; init; }
    /// <summary>Whether it walked page tables (false: the rmap-only "nowalk" iteration of the mm list).</summary>
    public bool PageTableWalk { get; init; }
    public long MmsWalked { get; init; }
    /// <summary>Mms the walk skipped because they had not run on the node since the last walk (the mm bitmap).</summary>
    public long MmsSkipped { get; init; }
    /// <summary>PTE tables read (MM_NONLEAF_FOUND).</summary>
    public long PteTables { get; init; }
    /// <summary>PTEs visited in the tables read.</summary>
    public long Ptes { get; init; }
    /// <summary>Young PTEs found: folios promoted to the generation that was max_seq (MM_LEAF_YOUNG).</summary>
    public long YoungPtes { get; init; }
    /// <summary>PTE tables the Bloom filter let the walk skip.</summary>
    public long BloomSkips { get; init; }
    /// <summary>PTE tables skipped because their non-leaf PMD entry was not young (enabled bit 0x4).</summary>
    public long NonleafSkips { get; init; }
    /// <summary>PTE tables dense enough to enter the next generation's Bloom filter (MM_NONLEAF_ADDED).</summary>
    public long BloomAdds { get; init; }
    /// <summary>Generation sizes (anon + file pages) after the aging: the new max_seq is empty, max_seq − 1 holds what the walk promoted.</summary>
    public long PagesMaxSeqMinus1 { get; init; }
    public long PagesMaxSeqMinus2 { get; init; }
    public long PagesMaxSeqMinus3 { get; init; }
    public long MinSeqAnon { get; init; }
    public long MinSeqFile { get; init; }
}
