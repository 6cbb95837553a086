using System.Management.Automation;
using MgLru.PowerShell.Model;

namespace MgLru.PowerShell.Infrastructure;

/// <summary>The cmdlets that act on a live simulation take it from the pipeline the same way.</summary>
public abstract class SimulationCommandBase : PSCmdlet
{
    /// <summary>The simulation from Start-ReclaimSimulation.</summary>
    [Parameter(Mandatory = true, ValueFromPipeline = true)]
    [ValidateNotNull]
    public ReclaimSimulation InputObject { get; set; } = null!;
}
