using System;
using System.IO;
using System.Management.Automation;
using MgLru.Engine.Scenario;
using MgLru.PowerShell.Model;

namespace MgLru.PowerShell.Commands;

/// <summary>Reads a scenario file written by Export-ReclaimScenario, for Invoke-Reclaim or Start-ReclaimSimulation.</summary>
[Cmdlet(VerbsData.Import, "ReclaimScenario")]
[OutputType(typeof(ReclaimScenario))]
public sealed class ImportReclaimScenarioCommand : PSCmdlet
{
    /// <summary>The scenario file (.json).</summary>
    [Parameter(Mandatory = true, Position = 0, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
    [Alias("FullName")]
    [ValidateNotNullOrEmpty]
    public string Path { get; set; } = "";

    protected override void ProcessRecord()
    {
        string path = GetUnresolvedProviderPathFromPSPath(Path);
        string text;
        try { text = File.ReadAllText(path); }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            WriteError(new ErrorRecord(e, "ScenarioFileUnreadable", e is FileNotFoundException or DirectoryNotFoundException ? ErrorCategory.ObjectNotFound : ErrorCategory.ReadError, path));
            return;
        }
        try
        {
            WriteObject(new ReclaimScenario(ScenarioJson.Read(text), path));
        }
        catch (ScenarioFormatException e)
        {
            WriteError(new ErrorRecord(new FormatException($"{path}: {e.Message}", e), "InvalidScenarioFile", ErrorCategory.InvalidData, path));
        }
    }
}
