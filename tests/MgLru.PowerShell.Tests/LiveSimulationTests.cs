using System.Linq;
using System.Management.Automation;
using MgLru.Engine.Stats;
using Xunit;

namespace MgLru.PowerShell.Tests;

public sealed class LiveSimulationTests
{
    private const string Start = "$sim = New-MemCgroup -Name web -Limit 8MB | Add-Task -Name kv -Rss 16MB -Accesses 20000 | Start-ReclaimSimulation -Swap 64MB -Seed 5\n";

    [Fact]
    public void Stepping_in_slices_ends_where_one_run_ends()
    {
        var (output, shell) = Ps.Run(Start + @"
1..4 | ForEach-Object { $null = $sim | Step-ReclaimSimulation -Accesses 6024 }
$sim | Step-ReclaimSimulation
New-MemCgroup -Name web -Limit 8MB | Add-Task -Name kv -Rss 16MB -Accesses 20000 | Invoke-Reclaim -Swap 64MB -Seed 5");
        Assert.False(shell.HadErrors, string.Join("\n", shell.Streams.Error));
        var rows = output.Select(o => (ReclaimResult)o.BaseObject).ToArray();
        Assert.Equal(2, rows.Length);
        Assert.Equivalent(rows[1], rows[0], strict: true);
        Assert.Equal(4096 + 20000, rows[0].Accesses);
    }

    [Fact]
    public void Memory_events_counts_the_reclaims_a_charge_at_memory_max_made()
    {
        // 16 MiB touched in an 8 MiB memcg: every charge beyond memory.max reclaims (max), nothing is OOM-killed.
        var (output, shell) = Ps.Run(Start + @"
$row = $sim | Step-ReclaimSimulation
$row
$sim | Get-MemCgroupStat web -Events
$sim | Get-MemCgroupStat web -Events -AsObject");
        Assert.False(shell.HadErrors, string.Join("\n", shell.Streams.Error));
        var row = (ReclaimResult)output[0].BaseObject;
        Assert.True(row.MemoryMaxEvents > 0 && row.MemoryMaxEvents <= row.PgSteal, $"max {row.MemoryMaxEvents} steal {row.PgSteal}");
        Assert.Equal($"low 0\nhigh 0\nmax {row.MemoryMaxEvents}\noom 0\noom_kill 0\noom_group_kill 0\n", (string)output[1].BaseObject);
        var keys = output.Skip(2).Select(o => ((MemoryStatEntry)o.BaseObject).Key);
        Assert.Equal(new[] { "low", "high", "max", "oom", "oom_kill", "oom_group_kill" }, keys);
    }

    [Theory]
    [InlineData("- 2 0 2", "EINVAL")]      // max_seq - 1 can't be evicted (max_seq is 3)
    [InlineData("+ 2 0 4", "EINVAL")]      // above max_seq
    [InlineData("+ 7 0 3", "EINVAL")]      // no memcg 7
    [InlineData("+ 2 1 3", "EINVAL")]      // no node 1
    [InlineData("+ 2 0", "EINVAL")]        // fewer than 4 fields
    [InlineData("+ 2 0 3 60 1 9", "EINVAL")] // trailing garbage
    [InlineData("+ 2 0 3 202", "EINVAL")]  // swappiness above 201
    public void Debugfs_errors_carry_the_errno(string command, string errno)
    {
        var (_, shell) = Ps.Run(Start + $"$sim | Invoke-LruGenCommand '{command}'");
        var error = Assert.Single(shell.Streams.Error);
        Assert.Equal(errno + ",MgLru.PowerShell.Commands.InvokeLruGenCommandCommand", error.FullyQualifiedErrorId);
        Assert.Equal(ErrorCategory.InvalidArgument, error.CategoryInfo.Category);
    }

    [Fact]
    public void Aging_by_command_adds_a_generation_and_the_text_shows_it()
    {
        var (output, shell) = Ps.Run(Start + @"
$sim | Invoke-LruGenCommand '+ 2 0 3; + 2 0 4' -PassThru | Get-LruGen -AsObject | Where-Object MemcgId -eq 2 | ForEach-Object { $_.Seq }");
        Assert.False(shell.HadErrors, string.Join("\n", shell.Streams.Error));
        // Two agings from max_seq 3: the window slides to 2..5 (inc_min_seq retires seq 0 and 1 of both types).
        Assert.Equal(new long[] { 2, 3, 4, 5 }, output.Select(o => (long)o.BaseObject));
    }

    [Fact]
    public void Get_LruGen_and_Get_MemCgroupStat_agree_with_the_result_row()
    {
        var (output, shell) = Ps.Run(Start + @"
$row = $sim | Step-ReclaimSimulation
$rows = $sim | Get-LruGen -AsObject | Where-Object MemcgId -eq 2
$anonPages = 0; foreach ($r in $rows) { $anonPages += $r.AnonPages }
$stat = $sim | Get-MemCgroupStat web -AsObject
$anonBytes = ($stat | Where-Object Key -eq 'anon').Value
$active = ($stat | Where-Object Key -eq 'active_anon').Value
$inactive = ($stat | Where-Object Key -eq 'inactive_anon').Value
$row.ResidentPages, $anonPages, ($anonBytes / 4096), (($active + $inactive) / 4096), ($stat | Where-Object Key -eq 'pgsteal').Value, $row.PgSteal");
        Assert.False(shell.HadErrors, string.Join("\n", shell.Streams.Error));
        var v = output.Select(o => System.Convert.ToInt64(o.BaseObject)).ToArray();
        Assert.True(v[0] > 0);
        Assert.Equal(v[0], v[1]);
        Assert.Equal(v[0], v[2]);
        Assert.Equal(v[0], v[3]);
        Assert.Equal(v[5], v[4]);
    }

    [Fact]
    public void Memory_stat_text_is_key_value_lines()
    {
        var (output, shell) = Ps.Run(Start + "$null = $sim | Step-ReclaimSimulation -Accesses 5000; $sim | Get-MemCgroupStat web");
        Assert.False(shell.HadErrors);
        string text = (string)Assert.Single(output).BaseObject;
        Assert.All(text.TrimEnd('\n').Split('\n'), line => Assert.Matches(@"^[a-z_]+ \d+$", line));
        Assert.StartsWith("anon ", text);
    }

    [Fact]
    public void Get_LruGenAging_has_a_row_per_aging_of_the_memcg_and_an_unknown_memcg_is_ObjectNotFound()
    {
        var (output, shell) = Ps.Run(Start + @"
$row = $sim | Step-ReclaimSimulation
$row
$sim | Get-LruGenAging web
$sim | Get-LruGenAging nosuch");
        var row = (ReclaimResult)output[0].BaseObject;
        var agings = output.Skip(1).Select(o => (AgingRow)o.BaseObject).ToArray();
        Assert.Equal(row.AgingRuns, agings.Length);
        Assert.All(agings, a => Assert.Equal("/web", a.MemcgPath));
        Assert.Equal(row.MaxSeq, agings[^1].MaxSeq);
        var error = Assert.Single(shell.Streams.Error);
        Assert.Equal("MemCgroupNotFound,MgLru.PowerShell.Commands.GetLruGenAgingCommand", error.FullyQualifiedErrorId);
        Assert.Equal(ErrorCategory.ObjectNotFound, error.CategoryInfo.Category);
        Assert.Contains("nosuch", error.Exception.Message);
    }

    [Theory]
    [InlineData("$sim", @"Memcgs\s+Policy\s+KernelRules\s+Done\(%\)\s+Accesses\s+Sim\(ms\)")]
    [InlineData("$sim | Get-LruGen -AsObject", @"MemcgId\s+MemcgPath\s+Node\s+Seq\s+Age\(ms\)\s+Anon\(pages\)\s+File\(pages\)\s+Active")]
    [InlineData("$sim | Get-MemCgroupStat web -AsObject", @"Memcg\s+Key\s+Value")]
    [InlineData("$null = $sim | Step-ReclaimSimulation; $sim | Get-LruGenAging", @"Memcg\s+Node\s+MaxSeq\s+Time\(ms\)\s+Reclaimer\s+Trigger\s+Gens\s+Mms\s+Tables\s+YoungPtes\s+Max-1\s+Max-2\s+Max-3[\s-]+/web\s+0\s+4\s")]
    public void Live_objects_render_with_their_views(string script, string header)
    {
        var (stdout, stderr, code) = Ps.RunInHost(Start + script);
        Assert.Equal(0, code);
        Assert.Equal("", stderr);
        Assert.Matches(header, stdout);
    }
}

public sealed class ProactiveReclaimTests
{
    private const string Start = "$sim = New-MemCgroup -Name web | Add-Task -Name kv -Rss 8MB -Accesses 0 | Start-ReclaimSimulation -Swap 64MB\n$null = $sim | Step-ReclaimSimulation\n";

    [Fact]
    public void Memory_reclaim_takes_the_amount_and_counts_it_as_proactive()
    {
        var (output, shell) = Ps.Run(Start + "$sim | Invoke-MemCgroupReclaim web 1MB\n($sim | Get-MemCgroupStat web -AsObject | Where-Object Key -eq 'pgsteal_proactive').Value");
        Assert.False(shell.HadErrors, string.Join("\n", shell.Streams.Error));
        var result = (MgLru.PowerShell.Model.ProactiveReclaimResult)output[0].BaseObject;
        Assert.True(result.ReclaimedBytes >= 1 << 20);
        Assert.Equal(result.ReclaimedBytes / 4096, System.Convert.ToInt64(output[1].BaseObject));
    }

    [Fact]
    public void Memory_reclaim_that_cannot_make_progress_is_EAGAIN()
    {
        var (_, shell) = Ps.Run(Start + "$sim | Invoke-MemCgroupReclaim web 1MB -Swappiness 0");
        var error = Assert.Single(shell.Streams.Error);
        Assert.Equal("EAGAIN,MgLru.PowerShell.Commands.InvokeMemCgroupReclaimCommand", error.FullyQualifiedErrorId);
        Assert.Equal(System.Management.Automation.ErrorCategory.ResourceUnavailable, error.CategoryInfo.Category);
    }
}

public sealed class MoveTaskTests
{
    [Fact]
    public void A_scheduled_move_splits_the_charges()
    {
        var (output, shell) = Ps.Run(@"
$b = New-MemCgroup -Name b
$a = New-MemCgroup -Name a | Add-Task -Name t -Rss 400KB -Accesses 100 -NoPopulate -Workload Sequential -MoveTo $b -At 0.5
$a, $b | Invoke-Reclaim | ForEach-Object { $_.ResidentPages }");
        Assert.False(shell.HadErrors, string.Join("\n", shell.Streams.Error));
        Assert.Equal(new long[] { 50, 50 }, output.Select(o => (long)o.BaseObject));
    }

    [Fact]
    public void Moving_to_a_memcg_outside_the_scenario_is_refused()
    {
        var (_, shell) = Ps.Run("$b = New-MemCgroup -Name b; New-MemCgroup -Name a | Add-Task -Name t -Rss 1MB -MoveTo $b | Invoke-Reclaim");
        var error = Assert.Single(shell.Streams.Error);
        Assert.Equal("InvalidScenario,MgLru.PowerShell.Commands.InvokeReclaimCommand", error.FullyQualifiedErrorId);
        Assert.Contains("'b'", error.Exception.Message);
    }

    [Fact]
    public void A_live_move_of_an_unknown_task_is_ObjectNotFound()
    {
        var (_, shell) = Ps.Run("$sim = New-MemCgroup -Name a | Add-Task -Name t -Rss 1MB | Start-ReclaimSimulation; $sim | Move-Task nobody a");
        Assert.Equal("TaskOrMemCgroupNotFound,MgLru.PowerShell.Commands.MoveTaskCommand", Assert.Single(shell.Streams.Error).FullyQualifiedErrorId);
    }
}

public sealed class CompletionTests
{
    [Theory]
    [InlineData("$sim | Get-MemCgroupStat ", "front,back")]
    [InlineData("$sim | Invoke-MemCgroupReclaim b", "back")]
    [InlineData("Get-MemCgroupStat -InputObject $sim -Name f", "front")]
    [InlineData("$sim | Move-Task ", "kv,batch")]
    [InlineData("$sim | Move-Task kv ", "front,back")]
    [InlineData("$sim | Get-NumaNodeStat ", "0,1")]
    [InlineData("$sim | Get-ReclaimTimeline -Node ", "0,1")]
    [InlineData("Compare-Reclaim -Metric PgMaj", "PgMajFault")]
    public void Names_complete_from_the_simulation_the_command_acts_on(string input, string expected)
    {
        var (output, shell) = Ps.Run("$sim = @(New-MemCgroup -Name front | Add-Task -Name kv -Rss 1MB -Accesses 0; New-MemCgroup -Name back | Add-Task -Name batch -Rss 1MB -Accesses 0) | Start-ReclaimSimulation -Node (New-NumaNode 0 Dram 8MB), (New-NumaNode 1 Pmem 8MB); " +
            $"(TabExpansion2 -inputScript '{input.Replace("'", "''")}' -cursorColumn {input.Length}).CompletionMatches.CompletionText");
        Assert.False(shell.HadErrors, string.Join("\n", shell.Streams.Error));
        Assert.Equal(expected.Split(','), output.Select(o => o.ToString()));
    }
}
