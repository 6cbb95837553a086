using System.Collections.Generic;
using MgLru.Engine.Scenario;

namespace MgLru.PowerShell.Model;

/// <summary>
/// A memory cgroup as the pipeline builds it: New-MemCgroup creates it, Add-Task adds tasks to it,
/// Invoke-Reclaim turns it into the engine's immutable <see cref="MemCgroupSpec"/>.
/// </summary>
public sealed class MemCgroup
{
    private readonly List<TaskSpec> _tasks = new();

    public MemCgroup(string name, long limitBytes, int? swappiness, long minBytes = 0, long lowBytes = 0, long overheadBytes = 0)
    {
        OverheadBytes = overheadBytes;
        MinBytes = minBytes;
        LowBytes = lowBytes;
        Name = name;
        LimitBytes = limitBytes;
        Swappiness = swappiness;
    }

    public string Name { get; }

    /// <summary>memory.max in bytes; long.MaxValue means "max" (no limit).</summary>
    public long LimitBytes { get; }

    /// <summary>memory.min in bytes.</summary>
    public long MinBytes { get; }

    /// <summary>memory.low in bytes.</summary>
    public long LowBytes { get; }

    /// <summary>Charged memory reclaim cannot take, in bytes (memory.stat "kernel").</summary>
    public long OverheadBytes { get; }

    /// <summary>memory.swappiness; null inherits the run's -Swappiness.</summary>
    public int? Swappiness { get; }

    public IReadOnlyList<TaskSpec> Tasks => _tasks;

    internal void AddTask(TaskSpec task) => _tasks.Add(task);

    internal void AddTasks(IEnumerable<TaskSpec> tasks) => _tasks.AddRange(tasks);

    internal MemCgroupSpec ToSpec() => new(Name, LimitBytes, Swappiness, _tasks.ToArray(), MinBytes, LowBytes, OverheadBytes);

    public override string ToString() => Name;
}
