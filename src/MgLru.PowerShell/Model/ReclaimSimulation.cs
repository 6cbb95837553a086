using System.Linq;
using EngineSimulation = MgLru.Engine.Simulation.Simulation;

namespace MgLru.PowerShell.Model;

/// <summary>
/// A live simulation from Start-ReclaimSimulation: step it, write lru_gen commands to it, and read
/// its lru_gen and memory.stat at any point.
/// </summary>
public sealed class ReclaimSimulation
{
    internal ReclaimSimulation(EngineSimulation engine) => Engine = engine;

    internal EngineSimulation Engine { get; }

    /// <summary>The memcgs, comma-separated, in creation order.</summary>
    public string Memcgs => string.Join(",", Engine.Scenario.Cgroups.Select(c => c.Name));
    public string Policy => Engine.Scenario.Options.Policy.ToString();
    public string KernelRules => Engine.Scenario.Options.Rules.ToString();
    public long AccessesDone => Engine.AccessesDone;
    public long AccessesTotal => Engine.AccessesTotal;
    public bool Finished => Engine.Finished;
    public double SimulatedMs => Engine.NowMs;

    public override string ToString() => $"ReclaimSimulation({Memcgs})";
}
