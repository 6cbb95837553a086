using System;
using System.Linq;
using System.Management.Automation;
using System.Text.RegularExpressions;
using System.Threading;
using MgLru.Engine.Stats;
using Xunit;

namespace MgLru.PowerShell.Tests;

public sealed class PipelineTests
{
    [Fact]
    public void The_first_pipeline_without_swap_oom_kills_the_task_at_the_limit()
    {
        // No swap (the default, as on a machine without swap): anon can't be reclaimed, so the first
        // charge beyond 64 MiB = 16384 pages finds nothing to reclaim and the memcg OOM-kills its task.
        var (output, shell) = Ps.Run(
            "New-MemCgroup -Name web -Limit 64MB | Add-Task -Name kv -Workload Zipf -Rss 128MB -Accesses 2000000 | Invoke-Reclaim -PageTableWalk -Seed 1");
        Assert.False(shell.HadErrors, string.Join("\n", shell.Streams.Error));
        var r = (ReclaimResult)Assert.Single(output).BaseObject;
        Assert.Equal("web", r.Memcg);
        Assert.Equal(1, r.OomKill);
        Assert.Equal(16385, r.PgFault); // 16384 pages charged, the 16385th fault kills
        Assert.Equal(16385, r.Accesses); // the populate pass is in page order: one fault per access
        Assert.Equal(0, r.PgSteal);
        Assert.Equal(0, r.ResidentPages);
        Assert.Equal("0x0007", r.LruGenEnabled);
    }

    [Fact]
    public void The_first_pipeline_with_swap_reclaims_and_counts_consistently()
    {
        var (output, shell) = Ps.Run(
            "New-MemCgroup -Name web -Limit 64MB | Add-Task -Name kv -Workload Zipf -Rss 128MB -Accesses 300000 | Invoke-Reclaim -PageTableWalk -Swap 1GB -Seed 1");
        Assert.False(shell.HadErrors, string.Join("\n", shell.Streams.Error));
        var r = (ReclaimResult)Assert.Single(output).BaseObject;
        Assert.Equal(32768 + 300000, r.Accesses);
        // Every fault is a first touch (32768 pages) or a swap-in.
        Assert.Equal(32768 + r.PgMajFault, r.PgFault);
        Assert.Equal(r.PgMajFault, r.PswpIn);
        Assert.True(r.PgMajFault > 0);
        // Pages out = pages swapped; what is in swap now is what went out and did not come back.
        Assert.Equal(r.PgSteal, r.PswpOut);
        Assert.Equal(r.PswpOut - r.PswpIn, r.SwapPages);
        Assert.Equal(32768 - r.SwapPages, r.ResidentPages);
        Assert.True(r.ResidentPages <= 16384);
        Assert.True(r.PgScan >= r.PgSteal);
        Assert.InRange(r.MaxSeq - Math.Min(r.MinSeqAnon, r.MinSeqFile) + 1, 2, 4);
    }

    [Fact]
    public void Add_Task_chains_and_Invoke_Reclaim_emits_a_row_per_memcg()
    {
        var (output, shell) = Ps.Run(@"
$a = New-MemCgroup -Name a -Limit 4MB | Add-Task -Name t1 -Rss 2MB -Accesses 1000 | Add-Task -Name t2 -Rss 1MB -Accesses 1000
$b = New-MemCgroup -Name b | Add-Task -Name t3 -Rss 1MB -Accesses 500 -Workload Uniform
$a, $b | Invoke-Reclaim");
        Assert.False(shell.HadErrors, string.Join("\n", shell.Streams.Error));
        var rows = output.Select(o => (ReclaimResult)o.BaseObject).ToArray();
        Assert.Equal(new[] { "a", "b" }, rows.Select(r => r.Memcg));
        Assert.Equal(512 + 1000 + 256 + 1000, rows[0].Accesses);
        Assert.Equal(768, rows[0].PgFault);
        Assert.Equal(256 + 500, rows[1].Accesses);
        Assert.Equal(2, rows[0].MemcgId);
        Assert.Equal(3, rows[1].MemcgId);
    }

    [Theory]
    [InlineData("New-MemCgroup -Name x -Limit -5", "ParameterArgumentValidationError,MgLru.PowerShell.Commands.NewMemCgroupCommand", "Limit", ErrorCategory.InvalidData)]
    [InlineData("New-MemCgroup -Name 'a/b'", "ParameterArgumentValidationError,MgLru.PowerShell.Commands.NewMemCgroupCommand", "Name", ErrorCategory.InvalidData)]
    [InlineData("New-MemCgroup -Name x | Add-Task -Name t -Rss 0", "ParameterArgumentValidationError,MgLru.PowerShell.Commands.AddTaskCommand", "Rss", ErrorCategory.InvalidData)]
    [InlineData("New-MemCgroup -Name x | Add-Task -Name t -Rss 1MB | Invoke-Reclaim -Swappiness 201", "ParameterArgumentValidationError,MgLru.PowerShell.Commands.InvokeReclaimCommand", "Swappiness", ErrorCategory.InvalidData)]
    [InlineData("New-MemCgroup -Name x | Add-Task -Name t -Rss 1MB | Invoke-Reclaim -Policy Nope", "CannotConvertArgumentNoMessage,MgLru.PowerShell.Commands.InvokeReclaimCommand", "Policy", ErrorCategory.InvalidArgument)]
    [InlineData("New-MemCgroup -Name x -Limit lots", "CannotConvertArgumentNoMessage,MgLru.PowerShell.Commands.NewMemCgroupCommand", "Limit", ErrorCategory.InvalidArgument)]
    public void Bad_parameters_give_a_PowerShell_error_naming_the_parameter(string script, string errorId, string parameter, ErrorCategory category)
    {
        var (_, shell) = Ps.Run(script);
        var error = Assert.Single(shell.Streams.Error);
        Assert.Equal(errorId, error.FullyQualifiedErrorId);
        Assert.Contains(parameter, error.Exception.Message);
        Assert.Equal(category, error.CategoryInfo.Category);
    }

    [Fact]
    public void A_task_with_several_mappings_faults_each_as_its_mapping_says()
    {
        // 8 anon pages (8 minor faults), 8 pages of a private file mapping stored to (each copied from the page
        // cache; the first fault reads all 8 around it, a major fault), 8 pages read through a descriptor (no
        // fault, 8 pages read in).
        var (output, shell) = Ps.Run("$p = New-MemoryMapping FilePrivate 32KB -WriteFraction 1; $d = New-MemoryMapping FileRead 32KB; " +
            "New-MemCgroup -Name m | Add-Task -Name t -Workload Sequential -Rss 32KB -Mapping $p, $d -Accesses 0 | Invoke-Reclaim");
        Assert.Empty(shell.Streams.Error);
        var r = (ReclaimResult)output[0].BaseObject;
        Assert.Equal(24, r.Accesses);
        Assert.Equal(16, r.PgFault);
        Assert.Equal(1, r.PgMajFault);
        Assert.Equal(16 * 4, r.PgPgIn);
    }

    [Fact]
    public void A_thread_cannot_bring_its_own_mappings()
    {
        var (_, shell) = Ps.Run("$m = New-MemoryMapping Anon 1MB; New-MemCgroup -Name x | Add-Task -Name a -Rss 1MB | Add-Task -Name b -Rss 1MB -ShareMmWith a -Mapping $m");
        var error = Assert.Single(shell.Streams.Error);
        Assert.Equal("InvalidTask,MgLru.PowerShell.Commands.AddTaskCommand", error.FullyQualifiedErrorId);
        Assert.Contains("Mapping", error.Exception.Message);
    }

    [Fact]
    public void Overhead_is_charged_and_must_stay_below_the_limit()
    {
        var (output, shell) = Ps.Run("New-MemCgroup -Name big -Limit 32MB -Overhead 32MB; New-MemCgroup -Name ok -Limit 256KB -Overhead 64KB | Add-Task -Name t -Workload Sequential -Rss 320KB -Accesses 0 | Invoke-Reclaim");
        var error = Assert.Single(shell.Streams.Error);
        Assert.Equal("OverheadNotBelowLimit,MgLru.PowerShell.Commands.NewMemCgroupCommand", error.FullyQualifiedErrorId);
        Assert.Equal(ErrorCategory.InvalidArgument, error.CategoryInfo.Category);
        Assert.Contains("Overhead", error.Exception.Message);
        // 64 pages, 16 of them overhead, no swap: the 49th fault OOM-kills.
        var r = (ReclaimResult)Assert.Single(output).BaseObject;
        Assert.Equal("ok", r.Memcg);
        Assert.Equal(49, r.PgFault);
        Assert.Equal(1, r.OomKill);
    }

    [Fact]
    public void A_failed_stage_upstream_leaves_Invoke_Reclaim_a_plain_error_not_a_crash()
    {
        // -Threads without the Memcached profile fails in Add-Task, which passes nothing on: Invoke-Reclaim
        // then says what it is missing, after Add-Task's own error.
        var (output, shell) = Ps.Run("New-MemCgroup -Name a -Limit 64KB | Add-Task -Name t -Threads 2 -Rss 4KB | Invoke-Reclaim");
        Assert.Empty(output);
        Assert.Equal(new[] { "InvalidTask,MgLru.PowerShell.Commands.AddTaskCommand", "InvalidScenario,MgLru.PowerShell.Commands.InvokeReclaimCommand" },
            shell.Streams.Error.Select(e => e.FullyQualifiedErrorId).ToArray());
        var error = shell.Streams.Error[1];
        Assert.Equal(ErrorCategory.InvalidArgument, error.CategoryInfo.Category);
        Assert.Contains("No memory cgroup came down the pipeline", error.Exception.Message);
    }

    [Fact]
    public void Duplicate_memcg_names_are_refused_before_anything_runs()
    {
        var (output, shell) = Ps.Run("'a', 'a' | New-MemCgroup | Add-Task -Name t -Rss 1MB | Invoke-Reclaim");
        Assert.Empty(output);
        var error = Assert.Single(shell.Streams.Error);
        Assert.Equal("InvalidScenario,MgLru.PowerShell.Commands.InvokeReclaimCommand", error.FullyQualifiedErrorId);
        Assert.Equal(ErrorCategory.InvalidArgument, error.CategoryInfo.Category);
        Assert.Contains("'a'", error.Exception.Message);
    }

    [Fact]
    public void Results_render_through_the_module_table_view()
    {
        var (stdout, stderr, code) = Ps.RunInHost("New-MemCgroup -Name web -Limit 1MB | Add-Task -Name kv -Rss 2MB -Accesses 1000 | Invoke-Reclaim -Swap 16MB");
        Assert.Equal(0, code);
        Assert.Equal("", stderr);
        var lines = stdout.Split('\n').Select(l => l.TrimEnd()).Where(l => l.Length > 0).ToArray();
        Assert.Matches(@"^Memcg\s+Policy\s+Accesses\s+PgFault\s+PgMajFault\s+PgScan\s+PgSteal\s+Refaults\s+OomKill\s+Gens\s+Sim\(ms\)\s+Reclaim\(ms\)$", lines[0]);
        Assert.StartsWith("-----", lines[1]);
        Assert.StartsWith("web", lines[2]);
        Assert.False(stdout.Contains('\u001b'), "VT escape sequences in redirected output");
    }

    [Fact]
    public void MemCgroup_renders_with_its_table_view()
    {
        var (stdout, _, code) = Ps.RunInHost("New-MemCgroup -Name web -Limit 64MB | Add-Task -Name kv -Rss 8MB");
        Assert.Equal(0, code);
        Assert.Matches(@"web\s+64\s+inherit\s+1\s+8", stdout);
    }

    [Fact]
    public void Stop_cancels_a_running_simulation()
    {
        using var shell = System.Management.Automation.PowerShell.Create(Ps.SessionState());
        shell.AddScript("New-MemCgroup -Name a -Limit 8MB | Add-Task -Name t -Rss 64MB -Accesses 500000000 | Invoke-Reclaim -Swap 1GB");
        var async = shell.BeginInvoke();
        // Stop once the engine is running (it reports its first progress after about a second, so wait for the state).
        SpinWait.SpinUntil(() => shell.InvocationStateInfo.State == PSInvocationState.Running);
        Thread.Sleep(300);
        // Stop() would wait for ever if stopping regressed: wait a bounded time instead, so the test fails.
        var stopping = shell.BeginStop(null, null);
        Assert.True(stopping.AsyncWaitHandle.WaitOne(System.TimeSpan.FromSeconds(60)), "the pipeline did not stop within 60 s");
        shell.EndStop(stopping);
        Assert.Throws<PipelineStoppedException>(() => shell.EndInvoke(async));
        Assert.Equal(PSInvocationState.Stopped, shell.InvocationStateInfo.State);
    }

    [Fact]
    public void Progress_ends_with_a_completed_record_when_any_was_written()
    {
        var (_, shell) = Ps.Run("New-MemCgroup -Name a -Limit 16MB | Add-Task -Name t -Rss 32MB -Accesses 3000000 | Invoke-Reclaim -Swap 1GB");
        Assert.False(shell.HadErrors);
        var records = shell.Streams.Progress.Where(p => p.ActivityId == 1).ToArray();
        if (records.Length > 0)
        {
            Assert.Equal(ProgressRecordType.Completed, records[^1].RecordType);
            Assert.All(records[..^1], p => Assert.InRange(p.PercentComplete, 0, 100));
        }
    }
}

public sealed class SweepProgressTests
{
    [Fact]
    public void A_sweep_shows_each_run_as_a_bar_nested_under_the_sweeps_and_completes_them_all()
    {
        // Two runs one after the other, each long enough (well over a second) to show progress.
        var (_, shell) = Ps.Run("New-MemCgroup -Name a -Limit 16MB | Add-Task -Name t -Rss 32MB -Accesses 4000000 | Invoke-Reclaim -Swap 1GB -Seed 1, 2 -ThrottleLimit 1");
        Assert.False(shell.HadErrors, string.Join("\n", shell.Streams.Error));
        var records = shell.Streams.Progress.ToArray();
        var sweep = records.Where(p => p.ActivityId == 1).ToArray();
        Assert.NotEmpty(sweep);
        Assert.All(sweep, p => Assert.Equal(-1, p.ParentActivityId));
        Assert.Equal(ProgressRecordType.Completed, sweep[^1].RecordType);
        var runs = records.Where(p => p.ActivityId > 1).GroupBy(p => p.ActivityId).ToArray();
        Assert.NotEmpty(runs);
        foreach (var run in runs)
        {
            Assert.All(run, p => Assert.Equal(1, p.ParentActivityId));
            Assert.Equal(ProgressRecordType.Completed, run.Last().RecordType);
            Assert.Contains("Seed=", run.First().Activity);
        }
        // Every child bar closes before the sweep's.
        int lastChild = Array.FindLastIndex(records, p => p.ActivityId > 1);
        Assert.True(lastChild < Array.LastIndexOf(records, sweep[^1]));
    }
}

public sealed class PolicyTests
{
    [Theory]
    [InlineData("-Policy Classic")]
    [InlineData("-LruGenEnabled 0")]
    public void The_classic_LRU_runs_from_the_pipeline(string switches)
    {
        // A monitor reading memory.stat now and then: from 6.12 classic reclaim deactivates by the stats
        // as last flushed, and nothing else flushes them within this short run.
        var (output, shell) = Ps.Run($"New-MemCgroup -Name web -Limit 8MB | Add-Task -Name kv -Rss 16MB -Accesses 50000 -ReadMemoryStatAt 10000, 20000, 30000, 40000 | Invoke-Reclaim -Swap 64MB {switches}");
        Assert.False(shell.HadErrors, string.Join("\n", shell.Streams.Error));
        var r = (ReclaimResult)Assert.Single(output).BaseObject;
        Assert.Equal("Classic", r.Policy);
        Assert.Equal("0x0000", r.LruGenEnabled);
        Assert.True(r.PgDeactivate > 0);
        Assert.Equal(4096 + r.PgMajFault, r.PgFault);
    }

    [Fact]
    public void LruGenEnabled_0_contradicts_Policy_Mglru()
    {
        var (_, shell) = Ps.Run("New-MemCgroup -Name web | Add-Task -Name kv -Rss 1MB | Invoke-Reclaim -LruGenEnabled 0 -Policy Mglru");
        Assert.Equal("InvalidScenario,MgLru.PowerShell.Commands.InvokeReclaimCommand", Assert.Single(shell.Streams.Error).FullyQualifiedErrorId);
    }
}

public sealed class MemoryLimitTests
{
    [Theory]
    [InlineData("Invoke-Reclaim -Swap 1GB", "ScenarioTooLarge,MgLru.PowerShell.Commands.InvokeReclaimCommand")]
    [InlineData("Start-ReclaimSimulation -Swap 1GB", "ScenarioTooLarge,MgLru.PowerShell.Commands.StartReclaimSimulationCommand")]
    public void A_scenario_beyond_the_memory_limit_is_refused_up_front_with_the_estimate(string command, string id)
    {
        // 1 GiB of Zipf anon (262,144 pages: 4 B of PTE and 4 B of ranking each), a node to hold it (16 B a
        // frame) and 1 GiB of swap (12 B a slot): about 9.3 MiB, refused under an 8 MiB limit.
        var (output, shell) = Ps.Run("$MgLruMemoryLimit = 8MB; New-MemCgroup -Name big | Add-Task -Name t -Rss 1GB -Accesses 0 | " + command);
        Assert.Empty(output);
        var error = Assert.Single(shell.Streams.Error);
        Assert.Equal(id, error.FullyQualifiedErrorId);
        Assert.Equal(System.Management.Automation.ErrorCategory.ResourceUnavailable, error.CategoryInfo.Category);
        Assert.Matches(@"needs about 0\.0 GiB .* the 0\.0 GiB available", error.Exception.Message);
        // With room, the same scenario runs.
        (output, shell) = Ps.Run("$MgLruMemoryLimit = 64MB; New-MemCgroup -Name big | Add-Task -Name t -Rss 1GB -Accesses 0 | " + command);
        Assert.False(shell.HadErrors, string.Join("\n", shell.Streams.Error));
    }

    [Fact]
    public void A_sweep_counts_the_simulations_that_run_at_once()
    {
        // Each run needs about 9.3 MiB: two at a time exceed 3/4 of 20 MiB, one at a time does not.
        string sweep = "$MgLruMemoryLimit = 20MB; New-MemCgroup -Name big | Add-Task -Name t -Rss 1GB -Accesses 0 | Invoke-Reclaim -Swap 1GB -Seed 1, 2 ";
        var (_, shell) = Ps.Run(sweep + "-ThrottleLimit 2");
        Assert.Contains("2 simulations at a time", Assert.Single(shell.Streams.Error).Exception.Message);
        (_, shell) = Ps.Run(sweep + "-ThrottleLimit 1");
        Assert.False(shell.HadErrors, string.Join("\n", shell.Streams.Error));
    }
}
