using System;
using System.Management.Automation;
using System.Threading;
using MgLru.Engine.Stats;
using MgLru.PowerShell.Infrastructure;
using EngineSimulation = MgLru.Engine.Simulation.Simulation;

namespace MgLru.PowerShell.Commands;

/// <summary>
/// Runs one simulation over every memory cgroup it receives, to completion, and emits one result row
/// per cgroup with the kernel's counters (pgfault, pgmajfault, pgscan, pgsteal, workingset_*, ...).
/// </summary>
[Cmdlet(VerbsLifecycle.Invoke, "Reclaim")]
[OutputType(typeof(ReclaimResult))]
public sealed class InvokeReclaimCommand : ScenarioCommandBase
{
    private readonly CancellationTokenSource _cancel = new();

    protected override void EndProcessing()
    {
        var simulation = EngineSimulation.Create(BuildScenario());
        var progress = new ProgressRelay(this, "Invoke-Reclaim: simulating");
        try
        {
            simulation.Run(progress, _cancel.Token);
        }
        catch (OperationCanceledException)
        {
            throw new PipelineStoppedException();
        }
        finally
        {
            progress.Complete();
        }
        foreach (var row in simulation.Results()) WriteObject(row);
    }

    protected override void StopProcessing() => _cancel.Cancel();
}
