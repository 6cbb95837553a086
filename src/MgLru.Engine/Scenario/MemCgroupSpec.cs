using System;
using System.Collections.Generic;

namespace MgLru.Engine.Scenario;

/// <summary>A cgroup-v2 memory controller node (child of the root) with its limits and tasks. Immutable.</summary>
public sealed class MemCgroupSpec
{
    public MemCgroupSpec(string name, long maxBytes = long.MaxValue, int? swappiness = null, IReadOnlyList<TaskSpec>? tasks = null,
        long minBytes = 0, long lowBytes = 0, long overheadBytes = 0)
    {
        if (overheadBytes < 0) throw new ArgumentOutOfRangeException(nameof(overheadBytes), overheadBytes, "The overhead cannot be negative.");
        if (maxBytes != long.MaxValue && overheadBytes >= maxBytes)
            throw new ArgumentOutOfRangeException(nameof(overheadBytes), overheadBytes, $"The overhead must stay below memory.max ({maxBytes} bytes).");
        OverheadBytes = overheadBytes;
        if (minBytes < 0) throw new ArgumentOutOfRangeException(nameof(minBytes), minBytes, "memory.min cannot be negative.");
        if (lowBytes < 0) throw new ArgumentOutOfRangeException(nameof(lowBytes), lowBytes, "memory.low cannot be negative.");
        MinBytes = minBytes;
        LowBytes = lowBytes;
        if (string.IsNullOrWhiteSpace(name) || name.IndexOf('/') >= 0)
            throw new ArgumentException("A memcg name must be non-empty and contain no '/'.", nameof(name));
        if (maxBytes <= 0) throw new ArgumentOutOfRangeException(nameof(maxBytes), maxBytes, "memory.max must be positive.");
        if (swappiness is < 0 or > 200) throw new ArgumentOutOfRangeException(nameof(swappiness), swappiness, "Swappiness must be in 0..200.");
        Name = name;
        MaxBytes = maxBytes;
        Swappiness = swappiness;
        Tasks = tasks ?? Array.Empty<TaskSpec>();
    }

    public string Name { get; }

    /// <summary>memory.max in bytes; long.MaxValue means "max".</summary>
    public long MaxBytes { get; }

    /// <summary>memory.min in bytes: never reclaimed by global (node) reclaim while usage is below it.</summary>
    public long MinBytes { get; }

    /// <summary>memory.low in bytes: reclaimed by global reclaim only when nothing unprotected is left.</summary>
    public long LowBytes { get; }

    /// <summary>
    /// Memory charged to the memcg from the start that reclaim cannot take: page tables, kernel memory,
    /// a program's hot helper arrays. It leaves memory.max minus this much room for reclaimable pages.
    /// </summary>
    public long OverheadBytes { get; }

    /// <summary>memory.swappiness; null inherits the run's swappiness.</summary>
    public int? Swappiness { get; }

    public IReadOnlyList<TaskSpec> Tasks { get; }

    public MemCgroupSpec WithTask(TaskSpec task)
    {
        var tasks = new List<TaskSpec>(Tasks) { task };
        return new MemCgroupSpec(Name, MaxBytes, Swappiness, tasks, MinBytes, LowBytes);
    }
}
