using System.Collections.Generic;
using System.Linq;
using System.Management.Automation;
using Xunit;

namespace MgLru.PowerShell.Tests;

public sealed class HelpTests
{
    public static IEnumerable<object[]> Cmdlets() => Ps.ExportedCmdlets.Select(c => new object[] { c });

    [Theory]
    [MemberData(nameof(Cmdlets))]
    public void Every_cmdlet_has_a_synopsis_two_examples_and_documented_parameters(string cmdlet)
    {
        var (output, shell) = Ps.Run($"Get-Help {cmdlet} -Full");
        Assert.False(shell.HadErrors, string.Join("\n", shell.Streams.Error));
        dynamic help = Assert.Single(output);
        string synopsis = help.Synopsis;
        Assert.False(string.IsNullOrWhiteSpace(synopsis));
        Assert.DoesNotContain(cmdlet + " [", synopsis); // a synopsis built from the syntax means no MAML was found
        object[] examples = ((PSObject)help.examples).Properties["example"].Value is object[] many ? many : new[] { ((PSObject)help.examples).Properties["example"].Value };
        Assert.True(examples.Length >= 2, $"{cmdlet} has {examples.Length} examples");

        var (cmd, _) = Ps.Run($"Get-Command {cmdlet}");
        var info = (CmdletInfo)Assert.Single(cmd).BaseObject;
        var documented = ((PSObject)help.parameters).Properties["parameter"].Value is object[] ps
            ? ps.Select(p => ((PSObject)p).Properties["name"].Value.ToString()!).ToHashSet()
            : new HashSet<string> { ((PSObject)((PSObject)help.parameters).Properties["parameter"].Value).Properties["name"].Value.ToString()! };
        foreach (var p in info.Parameters.Keys.Where(k => !IsCommon(k)))
            Assert.Contains(p, documented);
    }

    private static bool IsCommon(string name) => name is "Verbose" or "Debug" or "ErrorAction" or "WarningAction" or "InformationAction"
        or "ErrorVariable" or "WarningVariable" or "InformationVariable" or "OutVariable" or "OutBuffer" or "PipelineVariable"
        or "ProgressAction" or "WhatIf" or "Confirm";

    [Theory]
    [MemberData(nameof(Cmdlets))]
    public void Every_help_example_runs_without_errors(string cmdlet)
    {
        var (output, shell) = Ps.Run($"(Get-Help {cmdlet} -Full).examples.example | ForEach-Object {{ $_.code }}");
        Assert.False(shell.HadErrors);
        Assert.NotEmpty(output);
        foreach (var code in output.Select(o => o.ToString()))
        {
            var (result, run) = Ps.Run(code);
            // An example may demonstrate an error by catching it and printing its id; any other error fails it.
            var shown = result.Select(o => o?.BaseObject as string).Where(x => x != null).ToHashSet();
            var unexpected = run.Streams.Error.Where(e => !shown.Contains(e.FullyQualifiedErrorId)).ToArray();
            Assert.True(unexpected.Length == 0, $"{cmdlet} example failed:\n{code}\n{string.Join("\n", unexpected.Select(e => e.ToString()))}");
            if (code.Contains("catch { $_.FullyQualifiedErrorId }"))
                Assert.Contains(result, o => o.BaseObject is string x && x.Contains(",MgLru.PowerShell.Commands."));
        }
    }

    [Fact]
    public void About_topic_is_found()
    {
        var (output, shell) = Ps.Run("Get-Help about_MgLru");
        Assert.False(shell.HadErrors, string.Join("\n", shell.Streams.Error));
        Assert.Contains("GENERATIONS", string.Join("\n", output.Select(o => o.ToString())));
    }
}
