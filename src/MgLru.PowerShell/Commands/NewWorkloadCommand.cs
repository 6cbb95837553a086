using System;
using System.Management.Automation;
using MgLru.Engine.Scenario;

namespace MgLru.PowerShell.Commands;

/// <summary>
/// Creates a workload for Add-Task -Workload: a generator (Sequential, Uniform, Zipf, Gaussian, HotCold,
/// Scan) with its parameters, or Phases, a list of workloads that run in turn.
/// </summary>
[Cmdlet(VerbsCommon.New, "Workload", DefaultParameterSetName = "Generator")]
[OutputType(typeof(WorkloadSpec))]
public sealed class NewWorkloadCommand : PSCmdlet
{
    /// <summary>The generator.</summary>
    [Parameter(Mandatory = true, Position = 0, ParameterSetName = "Generator")]
    [ValidateSet("Sequential", "Uniform", "Zipf", "Gaussian", "HotCold", "Scan")]
    public string Kind { get; set; } = "Zipf";

    /// <summary>Zipf: the exponent, 0.01 to 3.</summary>
    [Parameter(ParameterSetName = "Generator")]
    [ValidateRange(0.01, 3.0)]
    public double Alpha { get; set; } = 0.9;

    /// <summary>Gaussian: the mean rank as a fraction of the footprint.</summary>
    [Parameter(ParameterSetName = "Generator")]
    [ValidateRange(0.0, 1.0)]
    public double Mean { get; set; } = 0.5;

    /// <summary>Gaussian: the standard deviation as a fraction of the footprint.</summary>
    [Parameter(ParameterSetName = "Generator")]
    [ValidateRange(0.0001, 10.0)]
    public double StdDev { get; set; } = 0.125;

    /// <summary>HotCold: the share of pages that is hot.</summary>
    [Parameter(ParameterSetName = "Generator")]
    [ValidateRange(0.0001, 0.9999)]
    public double HotFraction { get; set; } = 0.1;

    /// <summary>HotCold: the share of accesses that goes to the hot pages.</summary>
    [Parameter(ParameterSetName = "Generator")]
    [ValidateRange(0.0, 1.0)]
    public double HotProbability { get; set; } = 0.9;

    /// <summary>Phases: the workloads that run in turn (from New-Workload).</summary>
    [Parameter(Mandatory = true, ParameterSetName = "Phases")]
    [ValidateNotNullOrEmpty]
    public WorkloadSpec[] Phase { get; set; } = Array.Empty<WorkloadSpec>();

    /// <summary>Phases: how many accesses each phase lasts, one number per phase.</summary>
    [Parameter(Mandatory = true, ParameterSetName = "Phases")]
    [ValidateNotNullOrEmpty]
    public long[] PhaseAccesses { get; set; } = Array.Empty<long>();

    /// <summary>Anon, FileRead or FileMmap.</summary>
    [Parameter]
    public MemoryBackend Backend { get; set; } = MemoryBackend.Anon;

    /// <summary>Share of accesses that write; default 1 for Anon, 0 for files.</summary>
    [Parameter(ParameterSetName = "Generator")]
    [ValidateRange(0.0, 1.0)]
    public double WriteFraction { get; set; } = -1;

    /// <summary>Skip the populate pass that touches every page once, in order, first.</summary>
    [Parameter]
    public SwitchParameter NoPopulate { get; set; }

    protected override void EndProcessing()
    {
        double? write = MyInvocation.BoundParameters.ContainsKey(nameof(WriteFraction)) ? WriteFraction : null;
        bool populate = !NoPopulate;
        try
        {
            var spec = ParameterSetName == "Phases"
                ? WorkloadSpec.Phases(Phase, PhaseAccesses, populate, Backend)
                : Kind switch
                {
                    "Gaussian" => WorkloadSpec.Gaussian(Mean, StdDev, populate, write, Backend),
                    "HotCold" => WorkloadSpec.HotCold(HotFraction, HotProbability, populate, write, Backend),
                    // A scan is one streaming pass: no populate pass before it.
                    "Scan" => new WorkloadSpec(WorkloadKind.Scan, populate: false, writeFraction: write, backend: Backend),
                    _ => new WorkloadSpec((WorkloadKind)Enum.Parse(typeof(WorkloadKind), Kind), Alpha, populate, write, Backend),
                };
            WriteObject(spec);
        }
        catch (ArgumentException e)
        {
            ThrowTerminatingError(new ErrorRecord(e, "InvalidWorkload", ErrorCategory.InvalidArgument, Kind));
        }
    }
}
