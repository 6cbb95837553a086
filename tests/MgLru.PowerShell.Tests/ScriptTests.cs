using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Management.Automation;
using System.Management.Automation.Language;
using System.Management.Automation.Runspaces;
using Xunit;

namespace MgLru.PowerShell.Tests;

/// <summary>
/// Pester cannot be installed here, so its scripts and the examples are parsed with the real
/// PowerShell parser, and every command they call must exist; examples are also executed.
/// </summary>
public sealed class ScriptTests
{
    private static readonly string[] PesterKeywords =
    {
        "Describe", "Context", "It", "BeforeAll", "AfterAll", "BeforeEach", "AfterEach", "BeforeDiscovery",
        "Should", "Mock", "Assert-MockCalled", "Should-Invoke", "InModuleScope", "Set-ItResult", "New-PesterConfiguration", "Invoke-Pester",
    };

    public static IEnumerable<object[]> Scripts()
    {
        foreach (var dir in new[] { "tests/pester", "examples", "bench" })
            foreach (var file in Directory.GetFiles(Path.Combine(Ps.RepoRoot, dir), "*.ps1", SearchOption.AllDirectories).OrderBy(f => f))
                yield return new object[] { Path.GetRelativePath(Ps.RepoRoot, file) };
    }

    public static IEnumerable<object[]> Examples()
        => Scripts().Where(s => ((string)s[0]).StartsWith("examples"));

    private static HashSet<string> KnownCommands()
    {
        var known = new HashSet<string>(PesterKeywords, System.StringComparer.OrdinalIgnoreCase);
        known.UnionWith(Ps.ExportedCmdlets);
        foreach (var entry in InitialSessionState.CreateDefault2().Commands)
        {
            // With only System.Management.Automation, the default session holds just the Microsoft.PowerShell.Core cmdlets.
            if (entry is SessionStateCmdletEntry c) known.Add(c.Name);
            if (entry is SessionStateAliasEntry a) known.Add(a.Name);
        }
        return known;
    }

    [Theory]
    [MemberData(nameof(Scripts))]
    public void Script_parses_and_calls_only_known_commands(string relativePath)
    {
        string path = Path.Combine(Ps.RepoRoot, relativePath);
        var ast = Parser.ParseFile(path, out _, out ParseError[] errors);
        Assert.Empty(errors);
        var known = KnownCommands();
        // Functions the script defines for itself are fine too.
        known.UnionWith(ast.FindAll(n => n is FunctionDefinitionAst, true).Cast<FunctionDefinitionAst>().Select(f => f.Name));
        var unknown = ast.FindAll(n => n is CommandAst, true).Cast<CommandAst>()
            .Select(c => c.GetCommandName())
            .Where(n => n != null && !known.Contains(n))
            .Distinct().ToArray();
        Assert.True(unknown.Length == 0, $"{relativePath} calls commands that are neither MgLru cmdlets, Pester keywords, Core cmdlets nor its own functions: {string.Join(", ", unknown)}");
    }

    [Fact]
    public void Sweep_benchmark_script_runs_on_a_tiny_workload()
    {
        // Only that it works; its timings are read by people, never asserted.
        var (stdout, stderr, code) = Ps.RunFileInHost(Path.Combine(Ps.RepoRoot, "bench", "sweep-speedup.ps1"), "-Accesses", "2000", "-Rounds", "1");
        Assert.True(code == 0, stderr);
        Assert.Matches(@"1 at a time: \d+\.\d\d s for 4 runs", stdout);
        Assert.Matches(@"speed-up on \d+ processors: \d+\.\d\dx", stdout);
    }

    [Fact]
    public async System.Threading.Tasks.Task The_host_stops_a_running_script_on_ctrl_c()
    {
        // Program.cs turns Ctrl+C into this token; a run of 500 M accesses would take minutes, so only a stop
        // ends it here: the pipeline stops (the cmdlet's StopProcessing cancels the engine) and the exit code is
        // a shell's for SIGINT. Nothing after the stopped command runs.
        string path = Path.Combine(Path.GetTempPath(), $"mglru-stop-{System.Guid.NewGuid():N}.ps1");
        File.WriteAllText(path, "New-MemCgroup -Name a -Limit 8MB | Add-Task -Name t -Rss 64MB -Accesses 500000000 | Invoke-Reclaim -Swap 1GB\n'after'\n");
        try
        {
            using var stop = new System.Threading.CancellationTokenSource(System.TimeSpan.FromSeconds(2));
            var stdout = new StringWriter();
            var stderr = new StringWriter();
            // A run that ignored the stop would take minutes: bound the wait, so a regression fails instead of hanging.
            var run = System.Threading.Tasks.Task.Run(() => MgLru.Host.ScriptRunner.Run(Ps.ManifestPath, path, System.Array.Empty<string>(), stdout, stderr, showProgress: false, stop: stop.Token));
            var finished = await System.Threading.Tasks.Task.WhenAny(run, System.Threading.Tasks.Task.Delay(System.TimeSpan.FromSeconds(60)));
            Assert.True(finished == run, "the script did not stop within 60 s of the stop");
            int code = await run;
            Assert.Equal(MgLru.Host.ScriptRunner.StoppedExitCode, code);
            Assert.Contains("stopped", stderr.ToString());
            Assert.DoesNotContain("after", stdout.ToString());
        }
        finally { File.Delete(path); }
    }

    [Fact]
    public void Kernel_lab_script_runs_on_a_lab_with_some_dumps_and_no_result_channel()
    {
        // Another lab run in the same layout may come without some dumps or result channels: the script prints
        // the counters table, compares what the dumps it finds hold (here 6.12's: lru_gen, the walks'
        // statistics of lru_gen_full, memory.stat) and skips the rest (6.1's, the phase-by-phase part).
        string shared = Path.Combine(Path.GetDirectoryName(Ps.RepoRoot)!, "shared", "kernel-lab");
        string lab = Path.Combine(Path.GetTempPath(), $"mglru-lab-{System.Guid.NewGuid():N}");
        Directory.CreateDirectory(Path.Combine(lab, "traces"));
        Directory.CreateDirectory(Path.Combine(lab, "dumps"));
        try
        {
            foreach (var name in new[] { "anon-zipf_s256.u32", "anon-zipf_s256.txt" })
                File.Copy(Path.Combine(shared, "traces", name), Path.Combine(lab, "traces", name));
            foreach (var name in new[] { "lru_gen-k6.12-anon-zipf-m0x7.txt", "lru_gen_full-k6.12-anon-zipf-m0x7.txt", "memory.stat-k6.12-anon-zipf-m0x7.txt" })
                File.Copy(Path.Combine(shared, "dumps", name), Path.Combine(lab, "dumps", name));
            File.Copy(Path.Combine(shared, "anon-zipf-results.csv"), Path.Combine(lab, "anon-zipf-results.csv"));
            var (stdout, stderr, code) = Ps.RunFileInHost(Path.Combine(Ps.RepoRoot, "examples", "kernel-lab.ps1"), "-Lab", lab);
            Assert.True(code == 0, stderr);
            Assert.Contains("memcg limit 128 MiB", stdout);
            Assert.Matches(@"6\.12\s+0x7\s+pgmajfault\s+78,438", stdout);
            // The walks' statistics: replay, then the kernel's dump (6.12 prints T Y F A).
            Assert.Matches(@"young PTEs\s+161,020\s+143,973", stdout);
            Assert.Matches(@"PTE tables read\s+1,191\s+1,043", stdout);
            Assert.DoesNotContain("6.1 (0x7) lru_gen", stdout);
            Assert.DoesNotContain("phase by phase", stdout);
        }
        finally { Directory.Delete(lab, recursive: true); }
    }

    [Fact]
    public void Build_script_parses()
    {
        Parser.ParseFile(Path.Combine(Ps.RepoRoot, "build.ps1"), out _, out ParseError[] errors);
        Assert.Empty(errors);
    }

    [Fact]
    public void The_first_pipeline_runs_in_the_script_host()
    {
        var (stdout, stderr, code) = Ps.RunInHost(
            "New-MemCgroup -Name web -Limit 64MB | Add-Task -Name kv -Workload Zipf -Rss 128MB -Accesses 2000000 | Invoke-Reclaim -PageTableWalk -Seed 1");
        Assert.Equal(0, code);
        Assert.Equal("", stderr);
        // No swap: the task is OOM-killed at the 16,385th fault; the row says so.
        Assert.Matches(@"web\s+Mglru\s+16385\s+16385\s+0\s+0\s+0\s+0\s+1\s", stdout);
    }

    [Fact]
    public void Pester_has_one_file_per_exported_cmdlet()
    {
        var files = Directory.GetFiles(Path.Combine(Ps.RepoRoot, "tests", "pester"), "*.Tests.ps1").Select(Path.GetFileName).OrderBy(f => f);
        Assert.Equal(Ps.ExportedCmdlets.Select(c => c + ".Tests.ps1"), files);
    }

    [Theory]
    [MemberData(nameof(Examples))]
    public void Example_runs_without_errors(string relativePath)
    {
        // An example too big for the suite offers -Quick (the same scenario, scaled down).
        string path = Path.Combine(Ps.RepoRoot, relativePath);
        var ast = Parser.ParseFile(path, out _, out _);
        bool quick = ast.ParamBlock?.Parameters.Any(p => p.Name.VariablePath.UserPath == "Quick") == true;
        var (stdout, stderr, code) = quick ? Ps.RunFileInHost(path, "-Quick") : Ps.RunFileInHost(path);
        Assert.True(code == 0, $"exit {code}\n{stderr}");
        Assert.Equal("", stderr.Trim());
        Assert.NotEmpty(stdout.Trim());
    }

    [Fact]
    public void Host_returns_the_scripts_exit_code()
    {
        Assert.Equal(3, Ps.RunInHost("'before'; exit 3; 'after'").ExitCode);
        Assert.Equal(0, Ps.RunInHost("'fine'").ExitCode);
    }

    [Fact]
    public void Host_reports_a_terminating_error_on_stderr_and_fails()
    {
        var (stdout, stderr, code) = Ps.RunInHost("'before'\nthrow 'boom'\n'after'");
        Assert.Equal(1, code);
        Assert.Contains("before", stdout);
        Assert.DoesNotContain("after", stdout);
        Assert.Contains("boom", stderr);
    }

    [Fact]
    public void Host_passes_arguments_as_pwsh_File_does()
    {
        var (stdout, _, code) = Ps.RunInHost("param([int]$N, [string]$Word) \"$N-$Word\"", "-N", "7", "-Word", "it's");
        Assert.Equal(0, code);
        Assert.Contains("7-it's", stdout);
    }

    [Fact]
    public void Host_reports_a_cmdlet_error_with_its_error_id_and_fails()
    {
        var (_, stderr, code) = Ps.RunInHost("New-MemCgroup -Name x -Limit -5");
        Assert.Equal(1, code);
        Assert.Contains("New-MemCgroup", stderr);
        Assert.Contains("ParameterArgumentValidationError,MgLru.PowerShell.Commands.NewMemCgroupCommand", stderr);
    }
}
