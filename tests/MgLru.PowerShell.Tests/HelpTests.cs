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
            var (_, run) = Ps.Run(code);
            Assert.False(run.HadErrors, $"{cmdlet} example failed:\n{code}\n{string.Join("\n", run.Streams.Error)}");
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
