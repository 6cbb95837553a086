using System;
using System.IO;
using System.Management.Automation;
using System.Text;
using MgLru.Engine.Scenario;
using MgLru.PowerShell.Infrastructure;

namespace MgLru.PowerShell.Commands;

/// <summary>
/// Writes the memcgs it receives and the run options (the same parameters as Invoke-Reclaim) to a JSON
/// scenario file that Import-ReclaimScenario reads back, so that a run can be shared and re-run exactly.
/// </summary>
[Cmdlet(VerbsData.Export, "ReclaimScenario", SupportsShouldProcess = true, DefaultParameterSetName = "MemCgroups")]
[OutputType(typeof(FileInfo))]
public sealed class ExportReclaimScenarioCommand : ScenarioCommandBase
{
    /// <summary>The file to write (.json).</summary>
    [Parameter(Mandatory = true, Position = 0)]
    [ValidateNotNullOrEmpty]
    public string Path { get; set; } = "";

    /// <summary>Overwrite an existing file.</summary>
    [Parameter]
    public SwitchParameter Force { get; set; }

    /// <summary>Emit the file written.</summary>
    [Parameter]
    public SwitchParameter PassThru { get; set; }

    protected override void EndProcessing()
    {
        var scenario = BuildScenario();
        string? path = AtomicFile.Target(this, Path, Force, "Write scenario file");
        if (path == null) return;
        string json = ScenarioJson.Write(scenario);
        AtomicFile.Write(this, path, stream =>
        {
            var bytes = new UTF8Encoding(encoderShouldEmitUTF8Identifier: false).GetBytes(json);
            stream.Write(bytes, 0, bytes.Length);
        });
        if (PassThru) WriteObject(new FileInfo(path));
    }
}
