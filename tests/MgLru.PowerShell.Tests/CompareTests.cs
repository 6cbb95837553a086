using System;
using System.Linq;
using MgLru.Engine.Stats;
using MgLru.PowerShell.Model;
using Xunit;

namespace MgLru.PowerShell.Tests;

public sealed class CompareTests
{
    [Fact]
    public void A_sweep_compares_metric_by_metric_against_its_first_row()
    {
        var (output, shell) = Ps.Run("$rows = New-MemCgroup -Name web -Limit 4MB | Add-Task -Name kv -Rss 8MB -Accesses 20000 | Invoke-Reclaim -Policy Mglru, Classic -Swappiness 10, 100 -Swap 64MB; $rows; $rows | Compare-Reclaim");
        Assert.False(shell.HadErrors, string.Join("\n", shell.Streams.Error));
        var rows = output.Select(o => o.BaseObject).OfType<ReclaimResult>().ToArray();
        var cmp = output.Select(o => o.BaseObject).OfType<ReclaimComparison>().ToArray();
        Assert.Equal(4, rows.Length);
        // Labels name what differs: policy and swappiness; the first row is the baseline of every comparison.
        Assert.Equal(new[] { "Classic_sw10", "Classic_sw100", "Mglru_sw100" }, cmp.Select(c => c.Run).Distinct().OrderBy(x => x));
        Assert.All(cmp, c => Assert.Equal("Mglru_sw10", c.BaselineRun));
        Assert.Equal(3 * 16, cmp.Length); // 16 default metrics × 3 compared runs
        foreach (var c in cmp.Where(c => c.Metric == "PgMajFault"))
        {
            var run = rows.Single(r => c.Run == $"{r.Policy}_sw{r.Swappiness}");
            Assert.Equal(rows[0].PgMajFault, c.Baseline);
            Assert.Equal(run.PgMajFault, c.Value);
            Assert.Equal(run.PgMajFault - rows[0].PgMajFault, c.Difference);
            Assert.Equal(100.0 * (run.PgMajFault - rows[0].PgMajFault) / rows[0].PgMajFault, c.DifferencePct, 9);
            // Fewer major faults is better.
            Assert.Equal(run.PgMajFault < rows[0].PgMajFault ? c.Run : run.PgMajFault > rows[0].PgMajFault ? c.BaselineRun : "equal", c.Better);
        }
        // More throughput is better.
        foreach (var ops in cmp.Where(c => c.Metric == "OpsPerSecond"))
            Assert.Equal(ops.Value > ops.Baseline ? ops.Run : ops.Value < ops.Baseline ? ops.BaselineRun : "equal", ops.Better);
        Assert.Contains(cmp, c => c.Metric == "OpsPerSecond" && c.Better != "equal");
        Assert.All(cmp.Where(c => c.Metric == "PgSteal"), c => Assert.Equal("", c.Better));
    }

    [Theory]
    [InlineData("$a | Compare-Reclaim", "NeedTwoRuns")]
    [InlineData("Compare-Reclaim $a, $a -Label x", "LabelCountMismatch")]
    public void Wrong_input_is_refused_with_a_stable_id(string compare, string id)
    {
        var (_, shell) = Ps.Run("$a = New-MemCgroup -Name web | Add-Task -Name kv -Rss 1MB -Accesses 0 | Invoke-Reclaim; " + compare);
        var error = Assert.Single(shell.Streams.Error);
        Assert.Equal(id + ",MgLru.PowerShell.Commands.CompareReclaimCommand", error.FullyQualifiedErrorId);
    }

    [Fact]
    public void Identical_runs_get_Excel_safe_labels_and_an_unknown_metric_is_a_non_terminating_error()
    {
        var (output, shell) = Ps.Run("$a = New-MemCgroup -Name web | Add-Task -Name kv -Rss 1MB -Accesses 0 | Invoke-Reclaim; Compare-Reclaim $a, $a -Metric PgFault, Nope, OomKill");
        var error = Assert.Single(shell.Streams.Error);
        Assert.Equal("UnknownMetric,MgLru.PowerShell.Commands.CompareReclaimCommand", error.FullyQualifiedErrorId);
        var cmp = output.Select(o => o.BaseObject).OfType<ReclaimComparison>().ToArray();
        Assert.Equal(new[] { "PgFault", "OomKill" }, cmp.Select(c => c.Metric));
        // Run1 and Run2 look like cell addresses: prefixed.
        Assert.Equal("Run_Run1", cmp[0].BaselineRun);
        Assert.Equal("Run_Run2", cmp[0].Run);
        Assert.Equal("equal", cmp[0].Better);
    }
}
