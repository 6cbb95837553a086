using System;
using System.Management.Automation;
using MgLru.PowerShell.Model;

namespace MgLru.PowerShell.Commands;

/// <summary>
/// Creates a memory cgroup (a child of the root) with its memory.max and swappiness.
/// Pipe it to Add-Task to give it tasks, then to Invoke-Reclaim to simulate it.
/// </summary>
[Cmdlet(VerbsCommon.New, "MemCgroup")]
[OutputType(typeof(MemCgroup))]
public sealed class NewMemCgroupCommand : PSCmdlet
{
    /// <summary>The cgroup's name; its path is /Name.</summary>
    [Parameter(Mandatory = true, Position = 0, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
    [ValidatePattern(@"^[A-Za-z0-9_.\-]+$")]
    public string Name { get; set; } = "";

    /// <summary>memory.max in bytes (PowerShell's 64MB style works). Omit for "max".</summary>
    [Parameter(Position = 1, ValueFromPipelineByPropertyName = true)]
    [ValidateRange(4096L, long.MaxValue)]
    public long Limit { get; set; } = long.MaxValue;

    /// <summary>memory.min in bytes: global reclaim never takes the memcg below it.</summary>
    [Parameter(ValueFromPipelineByPropertyName = true)]
    [ValidateRange(0L, long.MaxValue)]
    public long Min { get; set; }

    /// <summary>memory.low in bytes: global reclaim spares the memcg below it while others have memory to give.</summary>
    [Parameter(ValueFromPipelineByPropertyName = true)]
    [ValidateRange(0L, long.MaxValue)]
    public long Low { get; set; }

    /// <summary>memory.swappiness (0..200); omit to use Invoke-Reclaim's -Swappiness.</summary>
    [Parameter(ValueFromPipelineByPropertyName = true)]
    [ValidateRange(0, 200)]
    public int Swappiness { get; set; } = -1;

    /// <summary>Memory charged from the start that reclaim cannot take (page tables, kernel memory, pinned arrays), in bytes; below -Limit.</summary>
    [Parameter(ValueFromPipelineByPropertyName = true)]
    [ValidateRange(0L, long.MaxValue)]
    public long Overhead { get; set; }

    protected override void ProcessRecord()
    {
        if (Limit != long.MaxValue && Overhead >= Limit)
        {
            var e = new ArgumentException($"-Overhead {Overhead} must be below -Limit {Limit}: the memcg needs room for reclaimable pages.", nameof(Overhead));
            WriteError(new ErrorRecord(e, "OverheadNotBelowLimit", ErrorCategory.InvalidArgument, Name));
            return;
        }
        int? swappiness = MyInvocation.BoundParameters.ContainsKey(nameof(Swappiness)) ? Swappiness : null;
        WriteObject(new MemCgroup(Name, Limit, swappiness, Min, Low, Overhead));
    }
}
