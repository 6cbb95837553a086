using System;
using System.Collections.Generic;
using System.Collections.ObjectModel;
using System.IO;
using System.Management.Automation;
using System.Management.Automation.Runspaces;
using System.Text.RegularExpressions;
using MgLru.Host;

namespace MgLru.PowerShell.Tests;

/// <summary>Hosts PowerShell with the module imported through its manifest in the test's bin folder.</summary>
internal static class Ps
{
    public static string ManifestPath => Path.Combine(AppContext.BaseDirectory, "MgLru.psd1");

    public static string RepoRoot
    {
        get
        {
            for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir != null; dir = dir.Parent)
                if (File.Exists(Path.Combine(dir.FullName, "MgLru.psd1")) && Directory.Exists(Path.Combine(dir.FullName, "src")))
                    return dir.FullName;
            throw new InvalidOperationException("Repository root not found above " + AppContext.BaseDirectory);
        }
    }

    public static InitialSessionState SessionState()
    {
        var iss = InitialSessionState.CreateDefault2();
        iss.ThrowOnRunspaceOpenError = true;
        iss.ImportPSModule(new[] { ManifestPath });
        return iss;
    }

    /// <summary>Runs a script; returns the output and the PowerShell object (for its streams).</summary>
    public static (Collection<PSObject> Output, System.Management.Automation.PowerShell Shell) Run(string script)
    {
        var shell = System.Management.Automation.PowerShell.Create(SessionState());
        shell.AddScript(script);
        var output = shell.Invoke();
        return (output, shell);
    }

    /// <summary>Runs a script through Out-Default in a capturing host; returns what a console would show.</summary>
    public static (string Stdout, string Stderr, int ExitCode) RunInHost(string scriptText, params string[] args)
    {
        string path = Path.Combine(Path.GetTempPath(), "mglru-test-" + Guid.NewGuid().ToString("N") + ".ps1");
        File.WriteAllText(path, scriptText);
        try { return RunFileInHost(path, args); }
        finally { File.Delete(path); }
    }

    public static (string Stdout, string Stderr, int ExitCode) RunFileInHost(string path, params string[] args)
    {
        var stdout = new StringWriter();
        var stderr = new StringWriter();
        int code = ScriptRunner.Run(ManifestPath, path, args, stdout, stderr, showProgress: false);
        return (stdout.ToString(), stderr.ToString(), code);
    }

    public static readonly IReadOnlyList<string> ExportedCmdlets = new[]
    {
        "Add-Task", "Compare-Reclaim", "Export-MgLruReport", "Export-ReclaimScenario", "Get-LruGen", "Get-LruGenAging", "Get-MemCgroupStat", "Get-NumaNodeStat", "Get-ReclaimTimeline", "Import-AccessTrace", "Import-ReclaimScenario", "Invoke-LruGenCommand", "Invoke-MemCgroupReclaim", "Invoke-Reclaim", "Move-Task", "New-MemCgroup", "New-MemoryMapping", "New-NumaNode", "New-ReclaimCostModel", "New-Workload",
        "Start-ReclaimSimulation", "Step-ReclaimSimulation",
    };
}
