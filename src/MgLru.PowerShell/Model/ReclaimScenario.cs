using System.Linq;
using MgLru.Engine.Scenario;

namespace MgLru.PowerShell.Model;

/// <summary>
/// A whole scenario read from a file (Import-ReclaimScenario): the memcgs, tasks and every run option.
/// Pipe it to Invoke-Reclaim or Start-ReclaimSimulation to run it exactly as it was exported.
/// </summary>
public sealed class ReclaimScenario
{
    internal ReclaimScenario(ScenarioSpec spec, string path)
    {
        Spec = spec;
        Path = path;
    }

    internal ScenarioSpec Spec { get; }

    /// <summary>The file it was read from.</summary>
    public string Path { get; }
    public int MemCgroups => Spec.Cgroups.Count;
    public int Tasks => Spec.Cgroups.Sum(c => c.Tasks.Count);
    public string Policy => Spec.Options.Policy.ToString();
    public string KernelRules => Spec.Options.Rules.ToString();
    public int Nodes => Spec.Options.NodeCount;
    public ulong Seed => Spec.Options.Seed;

    public override string ToString() => Path;
}
