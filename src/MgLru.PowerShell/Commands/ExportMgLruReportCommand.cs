using System;
using System.Collections.Generic;
using System.IO;
using System.Management.Automation;
using MgLru.Engine.Stats;
using MgLru.PowerShell.Infrastructure;
using MgLru.PowerShell.Model;
using MgLru.PowerShell.Reports;

namespace MgLru.PowerShell.Commands;

/// <summary>
/// Writes an Excel workbook about one or more runs: summary, per-memcg rows, memory.stat, per-node rows,
/// the timeline with line charts, the generations, and a comparison with a bar chart.
/// </summary>
[Cmdlet(VerbsData.Export, "MgLruReport", SupportsShouldProcess = true)]
[OutputType(typeof(FileInfo))]
public sealed class ExportMgLruReportCommand : PSCmdlet
{
    private readonly List<object> _inputs = new();

    /// <summary>Live simulations (Start-ReclaimSimulation, stepped) or result rows (Invoke-Reclaim).</summary>
    [Parameter(Mandatory = true, ValueFromPipeline = true)]
    [ValidateNotNull]
    public object[] InputObject { get; set; } = Array.Empty<object>();

    /// <summary>The workbook to write (.xlsx).</summary>
    [Parameter(Mandatory = true, Position = 0)]
    [ValidateNotNullOrEmpty]
    public string Path { get; set; } = "";

    /// <summary>The report's title (Summary sheet).</summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    public string Title { get; set; } = "MgLru report";

    /// <summary>Overwrite an existing file.</summary>
    [Parameter]
    public SwitchParameter Force { get; set; }

    /// <summary>Emit the file written.</summary>
    [Parameter]
    public SwitchParameter PassThru { get; set; }

    protected override void ProcessRecord()
    {
        foreach (var item in InputObject)
        {
            object value = item is PSObject pso ? pso.BaseObject : item;
            if (value is ReclaimSimulation or ReclaimResult) _inputs.Add(value);
            else WriteError(new ErrorRecord(new ArgumentException($"Export-MgLruReport takes simulations (Start-ReclaimSimulation) or result rows (Invoke-Reclaim), not {value.GetType().Name}."), "UnsupportedReportInput", ErrorCategory.InvalidArgument, value));
        }
    }

    protected override void EndProcessing()
    {
        var runs = ReportBuilder.Runs(_inputs);
        if (runs.Count == 0)
        {
            ThrowTerminatingError(new ErrorRecord(new ArgumentException("Nothing to report: give a simulation or result rows."), "NothingToReport", ErrorCategory.InvalidArgument, null));
            return;
        }
        string? path = AtomicFile.Target(this, Path, Force, "Write Excel report");
        if (path == null) return;
        var sheets = ReportBuilder.Build(runs, Title);
        AtomicFile.Write(this, path, stream => XlsxWriter.Write(stream, sheets));
        if (PassThru) WriteObject(new FileInfo(path));
    }
}
