using System.Management.Automation;
using MgLru.Engine.Stats;
using MgLru.PowerShell.Infrastructure;

namespace MgLru.PowerShell.Commands;

/// <summary>
/// The timeline of a live simulation started with -TimelineIntervalMs: one row per node per interval of
/// simulated time (resident pages, accesses served and their share, demotions, promotions, swap-outs).
/// </summary>
[Cmdlet(VerbsCommon.Get, "ReclaimTimeline")]
[OutputType(typeof(TimelineRow))]
public sealed class GetReclaimTimelineCommand : SimulationCommandBase
{
    /// <summary>Only rows of these node ids; default every node.</summary>
    [Parameter]
    [ValidateRange(0, 7)]
    [ArgumentCompleter(typeof(NodeIdCompleter))]
    public int[]? Node { get; set; }

    protected override void ProcessRecord()
    {
        if (InputObject.Engine.Scenario.Options.TimelineIntervalMs == 0)
        {
            var e = new System.InvalidOperationException("The simulation records no timeline; start it with -TimelineIntervalMs (for example 100).");
            WriteError(new ErrorRecord(e, "NoTimeline", ErrorCategory.InvalidOperation, InputObject));
            return;
        }
        foreach (var row in InputObject.Engine.Timeline())
            if (Node == null || System.Array.IndexOf(Node, row.Node) >= 0) WriteObject(row);
    }
}
