using System.Linq;
using System.Management.Automation;
using MgLru.Engine.Stats;
using Xunit;

namespace MgLru.PowerShell.Tests;

/// <summary>NUMA tiers through the module: nodes, demotion and promotion switches, per-node rows and the timeline.</summary>
public sealed class TieringTests
{
    private const string Nodes = "$dram = New-NumaNode 0 Dram 16MB; $pmem = New-NumaNode 1 Pmem 64MB; ";

    [Fact]
    public void Invoke_Reclaim_with_demotion_counts_demoted_pages_in_pgsteal()
    {
        var (output, shell) = Ps.Run(Nodes + "New-MemCgroup -Name app | Add-Task -Name app -Rss 96MB -Accesses 50000 | Invoke-Reclaim -Node $dram, $pmem -Demotion -Swap 256MB");
        Assert.False(shell.HadErrors, string.Join("\n", shell.Streams.Error));
        var r = (ReclaimResult)Assert.Single(output).BaseObject;
        long demoted = r.PgDemoteKswapd + r.PgDemoteDirect;
        Assert.True(demoted > 0);
        Assert.Equal(r.PswpOut + demoted, r.PgSteal); // anon only: every stolen page was swapped or demoted
    }

    [Fact]
    public void Node_rows_and_the_timeline_come_from_a_live_simulation()
    {
        var (output, shell) = Ps.Run(Nodes +
            "$sim = New-MemCgroup -Name app | Add-Task -Name app -Workload HotCold -Rss 48MB -Accesses 200000 | Start-ReclaimSimulation -Node $dram, $pmem -Demotion -Promotion NumaBalancing -PromotionScanPeriodMs 10 -HotThresholdMs 10 -TimelineIntervalMs 20; " +
            "$null = $sim | Step-ReclaimSimulation; $sim | Get-NumaNodeStat; $sim | Get-ReclaimTimeline");
        Assert.False(shell.HadErrors, string.Join("\n", shell.Streams.Error));
        var nodes = output.Select(o => o.BaseObject).OfType<NodeResult>().ToList();
        var timeline = output.Select(o => o.BaseObject).OfType<TimelineRow>().ToList();
        Assert.Equal(new[] { 0, 1 }, nodes.Select(n => n.Node));
        Assert.True(nodes[0].PgPromoteSuccess > 0);
        Assert.Equal(nodes[0].PgPromoteSuccess, timeline.Where(t => t.Node == 0).Sum(t => t.PgPromoteSuccess));
        Assert.Equal(nodes.Sum(n => n.Accesses), timeline.Sum(t => t.Accesses));
    }

    [Theory]
    [InlineData("Invoke-Reclaim -Node (New-NumaNode 0 Pmem 64MB)", "CPUs")]
    [InlineData("Invoke-Reclaim -Node (New-NumaNode 0 Dram 64MB) -Memory 64MB", "MemoryBytes")]
    [InlineData("Invoke-Reclaim -Node (New-NumaNode 0 Dram 64MB), (New-NumaNode 2 Pmem 64MB)", "ids")]
    [InlineData("Invoke-Reclaim -Node (New-NumaNode 0 Dram 64MB), (New-NumaNode 1 Pmem 64MB) -Policy Lru", "exact LRU")]
    public void Bad_topologies_are_refused_before_anything_runs(string invoke, string reason)
    {
        var (output, shell) = Ps.Run("New-MemCgroup -Name app | Add-Task -Name app -Rss 1MB -Accesses 0 | " + invoke);
        Assert.Empty(output);
        var error = Assert.Single(shell.Streams.Error);
        Assert.Equal("InvalidScenario,MgLru.PowerShell.Commands.InvokeReclaimCommand", error.FullyQualifiedErrorId);
        Assert.Equal(ErrorCategory.InvalidArgument, error.CategoryInfo.Category);
        Assert.Contains(reason, error.Exception.Message);
    }

    [Fact]
    public void A_task_on_a_node_without_CPUs_is_refused()
    {
        var (_, shell) = Ps.Run(Nodes + "New-MemCgroup -Name app | Add-Task -Name app -Rss 1MB -Node 1 | Invoke-Reclaim -Node $dram, $pmem");
        var error = Assert.Single(shell.Streams.Error);
        Assert.Contains("no CPUs", error.Exception.Message);
    }

    [Fact]
    public void Node_views_render()
    {
        var (stdout, stderr, code) = Ps.RunInHost(Nodes + "$dram, $pmem");
        Assert.Equal(0, code);
        Assert.Equal("", stderr);
        var lines = stdout.Split('\n').Select(l => l.TrimEnd()).Where(l => l.Length > 0).ToArray();
        Assert.Matches(@"^Node\s+Kind\s+Capacity\(MiB\)\s+Tier\s+Distance\s+CPUs\s+Read\(ns\)\s+Write\(ns\)$", lines[0]);
        Assert.Matches(@"^\s*1\s+Pmem\s+64\s+22\s+2880\s+False\s+300\s+100$", lines[3]);
    }
}
