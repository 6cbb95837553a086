using System;
using System.Management.Automation;
using MgLru.Engine.Scenario;

namespace MgLru.PowerShell.Commands;

/// <summary>
/// Creates a NUMA node for Invoke-Reclaim -Node: DRAM with CPUs, or a CPU-less PMEM or CXL node in a
/// slower memory tier, with its capacity and latencies.
/// </summary>
[Cmdlet(VerbsCommon.New, "NumaNode")]
[OutputType(typeof(NodeSpec))]
public sealed class NewNumaNodeCommand : PSCmdlet
{
    /// <summary>The node id: 0, 1, ... in the order the nodes are given to Invoke-Reclaim.</summary>
    [Parameter(Mandatory = true, Position = 0)]
    [ValidateRange(0, NodeSpec.MaxNodes - 1)]
    public int Id { get; set; }

    /// <summary>Dram, Pmem or Cxl: the default abstract distance, CPUs and latencies.</summary>
    [Parameter(Mandatory = true, Position = 1)]
    public MemoryKind Tier { get; set; }

    /// <summary>Memory in bytes (4GB style works).</summary>
    [Parameter(Mandatory = true, Position = 2)]
    [ValidateRange(1L << 20, 1L << 42)]
    public long Capacity { get; set; }

    /// <summary>The abstract distance (memory tier = distance / 128); default 576 for DRAM, 2880 for PMEM and CXL.</summary>
    [Parameter]
    [ValidateRange(0, 65535)]
    public int AbstractDistance { get; set; }

    /// <summary>A CPU-less node (default for PMEM and CXL); -MemoryOnly:$false gives a PMEM/CXL node CPUs.</summary>
    [Parameter]
    public SwitchParameter MemoryOnly { get; set; }

    /// <summary>Load latency in ns; default 80 DRAM, 300 PMEM, 200 CXL.</summary>
    [Parameter]
    [ValidateRange(0, 1_000_000)]
    public int ReadLatencyNs { get; set; }

    /// <summary>Store latency in ns; default 80 DRAM, 100 PMEM, 200 CXL.</summary>
    [Parameter]
    [ValidateRange(0, 1_000_000)]
    public int WriteLatencyNs { get; set; }

    protected override void ProcessRecord()
    {
        var bound = MyInvocation.BoundParameters;
        try
        {
            WriteObject(new NodeSpec(Id, Tier, Capacity,
                bound.ContainsKey(nameof(AbstractDistance)) ? AbstractDistance : null,
                bound.ContainsKey(nameof(MemoryOnly)) ? MemoryOnly.IsPresent : null,
                bound.ContainsKey(nameof(ReadLatencyNs)) ? ReadLatencyNs : null,
                bound.ContainsKey(nameof(WriteLatencyNs)) ? WriteLatencyNs : null));
        }
        catch (ArgumentException e)
        {
            ThrowTerminatingError(new ErrorRecord(e, "InvalidNode", ErrorCategory.InvalidArgument, Id));
        }
    }
}
