using System.Management.Automation;
using MgLru.Engine.Stats;
using MgLru.PowerShell.Infrastructure;

namespace MgLru.PowerShell.Commands;

/// <summary>
/// One row per NUMA node of a live simulation: its memory tier and demotion targets, what it holds,
/// the accesses it served, and its demotion, promotion and swap counters.
/// </summary>
[Cmdlet(VerbsCommon.Get, "NumaNodeStat")]
[OutputType(typeof(NodeResult))]
public sealed class GetNumaNodeStatCommand : SimulationCommandBase
{
    /// <summary>Only these node ids; default every node.</summary>
    [Parameter(Position = 0)]
    [ValidateRange(0, 7)]
    [ArgumentCompleter(typeof(NodeIdCompleter))]
    public int[]? Id { get; set; }

    protected override void ProcessRecord()
    {
        foreach (var row in InputObject.Engine.NodeResults())
            if (Id == null || System.Array.IndexOf(Id, row.Node) >= 0) WriteObject(row);
    }
}
