using System;

namespace MgLru.Engine.Scenario;

/// <summary>A task (process with its own mm) and what it does. Immutable.</summary>
public sealed class TaskSpec
{
    public TaskSpec(string name, WorkloadSpec workload, long rssBytes, long accesses, string? moveTo = null, double moveAt = 0.5, VmaFlags vmaFlags = VmaFlags.None,
        string? shareMmWith = null, string? file = null, double runFraction = 1.0, bool sharedRanking = false, System.Collections.Generic.IReadOnlyList<VmaSpec>? mappings = null, int? node = null,
        System.Collections.Generic.IReadOnlyList<long>? memoryStatReads = null)
    {
        var reads = new long[memoryStatReads?.Count ?? 0];
        for (int i = 0; i < reads.Length; i++)
        {
            reads[i] = memoryStatReads![i];
            if (reads[i] < 0) throw new ArgumentOutOfRangeException(nameof(memoryStatReads), reads[i], "A memory.stat read happens after a number of the task's accesses, 0 or more.");
        }
        Array.Sort(reads);
        MemoryStatReads = reads;
        if (node is int n && (n < 0 || n >= NodeSpec.MaxNodes)) throw new ArgumentOutOfRangeException(nameof(node), n, $"Node ids are 0 to {NodeSpec.MaxNodes - 1}.");
        Node = node;
        if (mappings != null && mappings.Count > 0 && shareMmWith != null) throw new ArgumentException("A thread shares its leader's mappings; it cannot add its own.", nameof(mappings));
        foreach (var m in mappings ?? Array.Empty<VmaSpec>())
            if (m == null) throw new ArgumentNullException(nameof(mappings), "A mapping in the list is null.");
        Mappings = mappings ?? Array.Empty<VmaSpec>();
        if (sharedRanking && shareMmWith == null) throw new ArgumentException("Only a thread (a task sharing another's mm) can share its popularity ranking.", nameof(sharedRanking));
        SharedRanking = sharedRanking;
        if (!(runFraction > 0 && runFraction <= 1)) throw new ArgumentOutOfRangeException(nameof(runFraction), runFraction, "The run fraction is in (0, 1].");
        RunFraction = runFraction;
        ShareMmWith = shareMmWith;
        File = file;
        VmaFlags = vmaFlags;
        if (moveTo != null && string.IsNullOrWhiteSpace(moveTo)) throw new ArgumentException("The memcg to move to needs a name.", nameof(moveTo));
        if (!(moveAt >= 0 && moveAt <= 1)) throw new ArgumentOutOfRangeException(nameof(moveAt), moveAt, "The move point is a fraction of the task's accesses, in [0, 1].");
        MoveTo = moveTo;
        MoveAt = moveAt;
        if (string.IsNullOrWhiteSpace(name)) throw new ArgumentException("A task needs a name.", nameof(name));
        if (rssBytes < Units.PageSize) throw new ArgumentOutOfRangeException(nameof(rssBytes), rssBytes, "A task needs at least one page (4096 bytes).");
        if (accesses < 0) throw new ArgumentOutOfRangeException(nameof(accesses), accesses, "Accesses cannot be negative.");
        Name = name;
        Workload = workload ?? throw new ArgumentNullException(nameof(workload));
        if ((vmaFlags & VmaFlags.LazyFree) != 0 && workload.Backend != MemoryBackend.Anon)
            throw new ArgumentException("MADV_FREE (LazyFree) applies to anonymous memory only.", nameof(vmaFlags));
        RssBytes = rssBytes;
        Accesses = accesses;
    }

    public string Name { get; }
    public WorkloadSpec Workload { get; }

    /// <summary>Size of the task's anonymous mapping in bytes (rounded up to pages).</summary>
    public long RssBytes { get; }

    /// <summary>Sampled accesses after the populate pass.</summary>
    public long Accesses { get; }

    /// <summary>Pages of the first mapping (the workload's backend, -Rss).</summary>
    public int PrimaryPages => (int)((RssBytes + Units.PageSize - 1) / Units.PageSize);

    /// <summary>Pages of the whole address space: the first mapping and every further one.</summary>
    public int Pages
    {
        get
        {
            long pages = PrimaryPages;
            foreach (var m in Mappings) pages += m.Pages;
            return pages > int.MaxValue / 2 ? throw new ArgumentOutOfRangeException(nameof(Mappings), "The task's mappings add up to more than 4 TiB.") : (int)pages;
        }
    }

    /// <summary>Further VMAs after the first, in address order; the workload's page indexes run over all of them.</summary>
    public System.Collections.Generic.IReadOnlyList<VmaSpec> Mappings { get; }

    /// <summary>Every VMA of the task's mm in address order: the first from the workload's backend, -Rss, File and VmaFlags, then <see cref="Mappings"/>.</summary>
    public System.Collections.Generic.IReadOnlyList<VmaSpec> Vmas
    {
        get
        {
            var all = new System.Collections.Generic.List<VmaSpec>(1 + Mappings.Count)
            {
                new VmaSpec(Workload.Backend, RssBytes, Workload.Backend == MemoryBackend.Anon ? null : File, VmaFlags, Workload.WriteFraction),
            };
            all.AddRange(Mappings);
            return all;
        }
    }

    /// <summary>
    /// Share of the scheduler's turns the task takes (it sleeps through the others): a task that sleeps
    /// does not switch to its mm, so page-table walkers skip the mm until it runs again.
    /// </summary>
    public double RunFraction { get; }

    /// <summary>The file a FileRead/FileMmap task uses; tasks naming the same file share its page cache (and map the same pages). Null: a file of its own.</summary>
    public string? File { get; }

    /// <summary>A thread of this earlier task of the same memcg: it shares its mm (pages and page tables); RSS and flags come from it.</summary>
    public string? ShareMmWith { get; }

    /// <summary>
    /// A thread that draws from the leader's popularity ranking (which page is rank r) instead of its own:
    /// worker threads of one server serve the same hot keys. Needs the same kind of workload as the leader.
    /// </summary>
    public bool SharedRanking { get; }

    /// <summary>Flags of the task's mapping: mlock, madvise hints, device memory.</summary>
    public VmaFlags VmaFlags { get; }

    /// <summary>The node the task runs on and allocates from first (its CPUs' node); null: the first node with CPUs.</summary>
    public int? Node { get; }

    /// <summary>
    /// Access counts (populate pass included; 0 = before the first) after which the task reads its memcg's
    /// memory.stat, as a monitoring loop or the kernel lab's memwl --stat does. A read flushes the memcg's
    /// rstat, which reclaim heuristics read from 6.12 on (classic LRU).
    /// </summary>
    public System.Collections.Generic.IReadOnlyList<long> MemoryStatReads { get; }

    /// <summary>Move the task to this memcg (by name) during the run; null keeps it where it is.</summary>
    public string? MoveTo { get; }

    /// <summary>When to move: the fraction of the task's accesses (populate pass included) done by then.</summary>
    public double MoveAt { get; }
}
