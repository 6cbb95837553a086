using System;
using System.Management.Automation;
using System.Threading;
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
    private readonly CancellationTokenSource _cancel = new();

    protected override void EndProcessing()
    {
        var scenario = BuildScenario();
        CheckMemory(new[] { scenario }, 1);
        EngineSimulation simulation;
        try
        {
            // Setting up millions of pages takes seconds; Ctrl+C stops it.
            simulation = EngineSimulation.Create(scenario, _cancel.Token);
        }
        catch (OperationCanceledException)
        {
            throw new PipelineStoppedException();
        }
        WriteObject(new ReclaimSimulation(simulation));
    }

    protected override void StopProcessing() => _cancel.Cancel();
}
