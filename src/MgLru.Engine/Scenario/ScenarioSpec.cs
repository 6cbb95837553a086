using System;
using System.Collections.Generic;

namespace MgLru.Engine.Scenario;

/// <summary>Everything a run needs: the memcgs with their tasks, and the run options. Immutable.</summary>
public sealed class ScenarioSpec
{
    public ScenarioSpec(IReadOnlyList<MemCgroupSpec> cgroups, RunOptions options)
    {
        Cgroups = cgroups ?? throw new ArgumentNullException(nameof(cgroups));
        Options = options ?? throw new ArgumentNullException(nameof(options));
        if (cgroups.Count == 0) throw new ArgumentException("A scenario needs at least one memcg.", nameof(cgroups));
        var names = new HashSet<string>(StringComparer.Ordinal);
        foreach (var cg in cgroups)
            if (!names.Add(cg.Name)) throw new ArgumentException($"Two memcgs are named '{cg.Name}'.", nameof(cgroups));
        foreach (var cg in cgroups)
        {
            var earlier = new HashSet<string>(StringComparer.Ordinal);
            foreach (var t in cg.Tasks)
            {
                if (t.ShareMmWith != null && !earlier.Contains(t.ShareMmWith))
                    throw new ArgumentException($"Task '{t.Name}' shares the mm of '{t.ShareMmWith}', which is not an earlier task of memcg '{cg.Name}'.", nameof(cgroups));
                if (!earlier.Add(t.Name))
                    throw new ArgumentException($"Memcg '{cg.Name}' has two tasks named '{t.Name}'.", nameof(cgroups));
            }
        }
        foreach (var cg in cgroups)
            foreach (var t in cg.Tasks)
                if (t.MoveTo != null && !names.Contains(t.MoveTo))
                    throw new ArgumentException($"Task '{t.Name}' moves to memcg '{t.MoveTo}', which is not in the scenario.", nameof(cgroups));
        if (cgroups.Count > MaxCgroups) throw new ArgumentException($"At most {MaxCgroups} memcgs are supported.", nameof(cgroups));
        options.Validate();
        foreach (var cg in cgroups)
            foreach (var t in cg.Tasks)
            {
                if (t.Node is not int node) continue;
                if (node >= options.NodeCount) throw new ArgumentException($"Task '{t.Name}' runs on node {node}, which the scenario does not have.", nameof(cgroups));
                if (options.Nodes != null && options.Nodes[node].MemoryOnly) throw new ArgumentException($"Task '{t.Name}' runs on node {node}, which has no CPUs.", nameof(cgroups));
            }
    }

    /// <summary>The memcg index lives in the top bits of a frame's flags.</summary>
    public const int MaxCgroups = 4000;

    public IReadOnlyList<MemCgroupSpec> Cgroups { get; }
    public RunOptions Options { get; }
}
