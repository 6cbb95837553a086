using System.Management.Automation;
using MgLru.PowerShell.Infrastructure;
using MgLru.PowerShell.Model;
using EngineSimulation = MgLru.Engine.Simulation.Simulation;

namespace MgLru.PowerShell.Commands;

/// <summary>
/// Builds a simulation of the memory cgroups it receives (same parameters as Invoke-Reclaim) without
/// running it, and returns it for Step-ReclaimSimulation, Invoke-LruGenCommand, Get-LruGen and Get-MemCgroupStat.
/// </summary>
[Cmdlet(VerbsLifecycle.Start, "ReclaimSimulation", DefaultParameterSetName = "MemCgroups")]
[OutputType(typeof(ReclaimSimulation))]
public sealed class StartReclaimSimulationCommand : ScenarioCommandBase
{
    protected override void EndProcessing()
    {
        var scenario = BuildScenario();
        CheckMemory(new[] { scenario }, 1);
        WriteObject(new ReclaimSimulation(EngineSimulation.Create(scenario)));
    }
}
