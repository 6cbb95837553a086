using System;
using System.Collections.Generic;
using System.Linq;
using System.Management.Automation;
using MgLru.Engine.Stats;
using MgLru.PowerShell.Infrastructure;
using MgLru.PowerShell.Model;

namespace MgLru.PowerShell.Commands;

/// <summary>
/// Compares two or more result rows (runs, or the rows of a sweep) metric by metric against the first:
/// the table a kernel engineer pastes into a patch cover letter.
/// </summary>
[Cmdlet(VerbsData.Compare, "Reclaim")]
[OutputType(typeof(ReclaimComparison))]
public sealed class CompareReclaimCommand : PSCmdlet
{
    private readonly List<ReclaimResult> _runs = new();

    /// <summary>The result rows to compare (from Invoke-Reclaim or Step-ReclaimSimulation); the first is the baseline.</summary>
    [Parameter(Mandatory = true, ValueFromPipeline = true, Position = 0)]
    [ValidateNotNull]
    public ReclaimResult[] InputObject { get; set; } = Array.Empty<ReclaimResult>();

    /// <summary>Names of the runs, in order; default: what differs between them (policy, rules, swappiness, seed, memcg).</summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    public string[]? Label { get; set; }

    /// <summary>Result properties to compare; default: faults, swap, scan/steal, refaults, migrations, OOM kills, miss ratio, CPU, time, throughput.</summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    [ArgumentCompleter(typeof(Infrastructure.ResultMetricCompleter))]
    public string[]? Metric { get; set; }

    protected override void ProcessRecord() => _runs.AddRange(InputObject);

    protected override void EndProcessing()
    {
        if (_runs.Count < 2)
        {
            ThrowTerminatingError(new ErrorRecord(new ArgumentException($"Compare-Reclaim needs at least two result rows; it got {_runs.Count}."), "NeedTwoRuns", ErrorCategory.InvalidArgument, _runs));
            return;
        }
        string[] labels;
        if (Label != null)
        {
            if (Label.Length != _runs.Count)
            {
                ThrowTerminatingError(new ErrorRecord(new ArgumentException($"-Label has {Label.Length} names for {_runs.Count} runs.", nameof(Label)), "LabelCountMismatch", ErrorCategory.InvalidArgument, Label));
                return;
            }
            labels = Label;
        }
        else labels = RunLabels.For(_runs);

        var metrics = new List<(string Name, int Better)>();
        foreach (var name in Metric ?? RunLabels.DefaultMetrics.Select(m => m.Name).ToArray())
        {
            if (!RunLabels.Numeric.TryGetValue(name, out var property))
            {
                WriteError(new ErrorRecord(new ArgumentException($"'{name}' is not a numeric property of the result rows (for example PgMajFault, OpsPerSecond)."), "UnknownMetric", ErrorCategory.InvalidArgument, name));
                continue;
            }
            metrics.Add((property.Name, RunLabels.BetterDirection(property.Name)));
        }
        foreach (var row in RunLabels.Compare(_runs, labels, metrics)) WriteObject(row);
    }
}
