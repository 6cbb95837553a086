using System;
using System.Linq;
using MgLru.Host;

if (args.Length == 0 || args[0] is "-h" or "--help" or "-?")
{
    Console.Error.WriteLine("usage: dotnet run --project tools/MgLru.Host -- SCRIPT.ps1 [arguments]");
    Console.Error.WriteLine("Runs the script in PowerShell with the MgLru module imported (no pwsh needed).");
    return args.Length == 0 ? 2 : 0;
}
// Ctrl+C stops the pipeline the way pwsh does (the cmdlets' StopProcessing); a second one ends the process.
using var stop = new System.Threading.CancellationTokenSource();
Console.CancelKeyPress += (_, e) =>
{
    if (stop.IsCancellationRequested) return;
    e.Cancel = true;
    stop.Cancel();
};
try
{
    return ScriptRunner.Run(ScriptRunner.FindManifest(), args[0], args.Skip(1).ToArray(), Console.Out, Console.Error,
        progressOnTerminal: !Console.IsErrorRedirected, width: Console.IsOutputRedirected ? 160 : Math.Max(80, Console.WindowWidth), plainText: Console.IsOutputRedirected,
        stop: stop.Token);
}
catch (Exception e)
{
    Console.Error.WriteLine("MgLru.Host: " + e.Message);
    return 3;
}
