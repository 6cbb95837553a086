using System;
using System.Management.Automation;
using MgLru.PowerShell.Infrastructure;
using MgLru.PowerShell.Model;

namespace MgLru.PowerShell.Commands;

/// <summary>
/// Moves a task of a live simulation to another memcg now, as writing its pid to cgroup.procs does:
/// its mm leaves the old memcg's mm list for the new one (lru_gen_migrate_mm) and its new pages are
/// charged to the new memcg; pages already charged stay with the old memcg.
/// </summary>
[Cmdlet(VerbsCommon.Move, "Task")]
[OutputType(typeof(ReclaimSimulation))]
public sealed class MoveTaskCommand : SimulationCommandBase
{
    /// <summary>The task's name.</summary>
    [Parameter(Mandatory = true, Position = 0)]
    [ValidateNotNullOrEmpty]
    [ArgumentCompleter(typeof(TaskNameCompleter))]
    public string Name { get; set; } = "";

    /// <summary>The memcg to move it to.</summary>
    [Parameter(Mandatory = true, Position = 1)]
    [ValidateNotNullOrEmpty]
    [ArgumentCompleter(typeof(MemCgroupNameCompleter))]
    public string Destination { get; set; } = "";

    /// <summary>Emit the simulation afterwards.</summary>
    [Parameter]
    public SwitchParameter PassThru { get; set; }

    protected override void ProcessRecord()
    {
        try
        {
            InputObject.Engine.MoveTask(Name, Destination);
        }
        catch (ArgumentException e)
        {
            WriteError(new ErrorRecord(e, "TaskOrMemCgroupNotFound", ErrorCategory.ObjectNotFound, Name));
            return;
        }
        catch (InvalidOperationException e)
        {
            WriteError(new ErrorRecord(e, "TaskExited", ErrorCategory.InvalidOperation, Name));
            return;
        }
        if (PassThru) WriteObject(InputObject);
    }
}
