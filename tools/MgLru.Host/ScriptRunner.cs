using System;
using System.IO;
using System.Linq;
using System.Management.Automation;
using System.Management.Automation.Runspaces;
using System.Text;
using System.Text.RegularExpressions;
using System.Threading;

namespace MgLru.Host;

/// <summary>
/// Runs a .ps1 in an in-process PowerShell engine with the MgLru module imported, the way
/// <c>pwsh -File</c> would: output through Out-Default (so the module's table views apply), errors
/// and warnings to the error writer, and an exit code.
/// </summary>
public static class ScriptRunner
{
    /// <summary>Exit code of a script stopped by <c>stop</c> (Ctrl+C), as a shell reports SIGINT.</summary>
    public const int StoppedExitCode = 130;

    /// <summary>
    /// Exit codes: the script's 'exit N', else 1 after a terminating error or any error record, else 0;
    /// <see cref="StoppedExitCode"/> when <paramref name="stop"/> stopped the pipeline (cmdlets get
    /// StopProcessing, as under pwsh's Ctrl+C, so a file being written is not left half-written).
    /// </summary>
    public static int Run(string manifestPath, string scriptPath, string[] args, TextWriter output, TextWriter error, bool progressOnTerminal = false, int width = 120, bool plainText = true, bool showProgress = true,
        CancellationToken stop = default)
    {
        if (!File.Exists(scriptPath))
        {
            error.WriteLine($"MgLru.Host: script not found: {scriptPath}");
            return 2;
        }
        var ui = new HostUserInterface(output, error, width, progressOnTerminal, plainText);
        var host = new ScriptHost(ui);
        var iss = InitialSessionState.CreateDefault2();
        iss.ThrowOnRunspaceOpenError = true;
        iss.ImportPSModule(new[] { manifestPath });
        using var runspace = RunspaceFactory.CreateRunspace(host, iss);
        runspace.Open();
        if (!showProgress) runspace.SessionStateProxy.SetVariable("ProgressPreference", "SilentlyContinue");
        runspace.SessionStateProxy.SetVariable("LASTEXITCODE", 0);
        using var ps = System.Management.Automation.PowerShell.Create();
        ps.Runspace = runspace;
        ps.AddScript(Invocation(Path.GetFullPath(scriptPath), args)).AddCommand("Out-Default");
        ps.Streams.Error.DataAdded += (_, e) => error.WriteLine(Describe(ps.Streams.Error[e.Index]));
        ps.Streams.Warning.DataAdded += (_, e) => error.WriteLine("WARNING: " + ps.Streams.Warning[e.Index].Message);
        using var stopping = stop.Register(() => ps.BeginStop(null, null));
        // A stopped pipeline usually returns from Invoke in the Stopped state; it may also throw.
        bool stopped = false;
        try
        {
            ps.Invoke();
        }
        catch (PipelineStoppedException) when (stop.IsCancellationRequested)
        {
            stopped = true;
        }
        catch (RuntimeException e)
        {
            error.WriteLine(Describe(e.ErrorRecord));
            return host.ExitCode is int c && c != 0 ? c : 1;
        }
        if (stopped || (stop.IsCancellationRequested && ps.InvocationStateInfo.State == PSInvocationState.Stopped))
        {
            error.WriteLine("MgLru.Host: stopped.");
            return StoppedExitCode;
        }
        if (host.ExitCode is int code) return code;
        if (runspace.SessionStateProxy.GetVariable("LASTEXITCODE") is int last && last != 0) return last;
        return ps.HadErrors ? 1 : 0;
    }

    /// <summary>
    /// "&amp; 'script' args": arguments that look like -Name stay parameter names, everything else is
    /// passed as a quoted string, as pwsh -File does.
    /// </summary>
    public static string Invocation(string scriptPath, string[] args)
    {
        var sb = new StringBuilder("& ").Append(Quote(scriptPath));
        foreach (var a in args)
        {
            sb.Append(' ');
            sb.Append(Regex.IsMatch(a, @"^-[A-Za-z_][A-Za-z0-9_]*:?$") ? a : Quote(a));
        }
        return sb.ToString();
    }

    private static string Quote(string s) => "'" + s.Replace("'", "''") + "'";

    /// <summary>One error as a person reads it: command, message, script position, error id.</summary>
    public static string Describe(ErrorRecord record)
    {
        var sb = new StringBuilder();
        string? command = record.InvocationInfo?.MyCommand?.Name;
        if (!string.IsNullOrEmpty(command)) sb.Append(command).Append(": ");
        sb.Append(record.ErrorDetails?.Message ?? record.Exception?.Message ?? record.ToString());
        var info = record.InvocationInfo;
        if (info != null && !string.IsNullOrEmpty(info.ScriptName))
            sb.Append(Environment.NewLine).Append("  at ").Append(info.ScriptName).Append(':').Append(info.ScriptLineNumber);
        if (!string.IsNullOrEmpty(record.FullyQualifiedErrorId))
            sb.Append(Environment.NewLine).Append("  error id: ").Append(record.FullyQualifiedErrorId);
        return sb.ToString();
    }

    /// <summary>
    /// The module manifest to import: the laid-out module under out/MgLru of the repository this host
    /// was built from, else the copy next to the host.
    /// </summary>
    public static string FindManifest()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir != null; dir = dir.Parent)
        {
            string candidate = Path.Combine(dir.FullName, "out", "MgLru", "MgLru.psd1");
            if (File.Exists(candidate) && File.Exists(Path.Combine(dir.FullName, "MgLru.psd1"))) return candidate;
        }
        return Path.Combine(AppContext.BaseDirectory, "MgLru.psd1");
    }
}
