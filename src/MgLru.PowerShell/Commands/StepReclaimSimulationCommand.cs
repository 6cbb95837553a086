using System;
using System.Management.Automation;
using System.Threading;
using MgLru.Engine.Stats;
using MgLru.PowerShell.Infrastructure;
using MgLru.PowerShell.Model;

namespace MgLru.PowerShell.Commands;

/// <summary>
/// Advances a live simulation by a number of accesses (all tasks, round-robin), or to the end, and
/// emits the result rows at that point; -PassThru emits the simulation instead.
/// </summary>
[Cmdlet(VerbsCommon.Step, "ReclaimSimulation")]
[OutputType(typeof(ReclaimResult), typeof(ReclaimSimulation))]
public sealed class StepReclaimSimulationCommand : SimulationCommandBase
{
    private readonly CancellationTokenSource _cancel = new();

    /// <summary>How many accesses to run; omit to run to the end of every task's workload.</summary>
    [Parameter(Position = 0)]
    [ValidateRange(0L, long.MaxValue)]
    public long Accesses { get; set; } = long.MaxValue;

    /// <summary>Emit the simulation instead of its result rows.</summary>
    [Parameter]
    public SwitchParameter PassThru { get; set; }

    protected override void ProcessRecord()
    {
        var progress = new ProgressRelay(this, "Step-ReclaimSimulation");
        try
        {
            InputObject.Engine.Step(Accesses, progress, _cancel.Token);
        }
        catch (OperationCanceledException)
        {
            throw new PipelineStoppedException();
        }
        finally
        {
            progress.Complete();
        }
        if (PassThru) WriteObject(InputObject);
        else foreach (var row in InputObject.Engine.Results()) WriteObject(row);
    }

    protected override void StopProcessing() => _cancel.Cancel();
}
