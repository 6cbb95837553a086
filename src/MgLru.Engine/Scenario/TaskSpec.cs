using System;

namespace MgLru.Engine.Scenario;

/// <summary>A task (process with its own mm) and what it does. Immutable.</summary>
public sealed class TaskSpec
{
    public TaskSpec(string name, WorkloadSpec workload, long rssBytes, long accesses, string? moveTo = null, double moveAt = 0.5, VmaFlags vmaFlags = VmaFlags.None,
        string? shareMmWith = null, string? file = null, double runFraction = 1.0, bool sharedRanking = false)
    {
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
        RssBytes = rssBytes;
        Accesses = accesses;
    }

    public string Name { get; }
    public WorkloadSpec Workload { get; }

    /// <summary>Size of the task's anonymous mapping in bytes (rounded up to pages).</summary>
    public long RssBytes { get; }

    /// <summary>Sampled accesses after the populate pass.</summary>
    public long Accesses { get; }

    public int Pages => (int)((RssBytes + Units.PageSize - 1) / Units.PageSize);

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

    /// <summary>Move the task to this memcg (by name) during the run; null keeps it where it is.</summary>
    public string? MoveTo { get; }

    /// <summary>When to move: the fraction of the task's accesses (populate pass included) done by then.</summary>
    public double MoveAt { get; }
}
