namespace MgLru.Engine.Simulation;

/// <summary>Where reclaim CPU time goes: the buckets of a kswapd-style profile.</summary>
public enum CostCategory
{
    /// <summary>rmap walks: folio_referenced / try_to_unmap (page_vma_mapped_walk).</summary>
    Rmap,
    /// <summary>Page-table walks of the aging (walk_pmd_range / walk_pte_range).</summary>
    PageTableWalk,
    /// <summary>Look-around on the eviction path.</summary>
    LookAround,
    /// <summary>Sorting and isolating folios on the LRU lists.</summary>
    Scan,
    /// <summary>Swap-out: compression (zram) or submitting the write (SSD).</summary>
    SwapOut,
    /// <summary>Freeing reclaimed pages.</summary>
    Free,
    /// <summary>Migrating pages between nodes: demotion in reclaim (promotion is the faulting task's time).</summary>
    Migrate,
    Count,
}
