using System.Linq;
using System.Management.Automation;
using MgLru.Engine.Stats;
using Xunit;

namespace MgLru.PowerShell.Tests;

public sealed class SweepTests
{
    private const string Cgroup = "New-MemCgroup -Name web -Limit 8MB | Add-Task -Name kv -Workload Zipf -Rss 16MB -Accesses 40000";

    private static ReclaimResult[] Rows(string script)
    {
        var (output, shell) = Ps.Run(script);
        Assert.False(shell.HadErrors, string.Join("\n", shell.Streams.Error));
        return output.Select(o => (ReclaimResult)o.BaseObject).ToArray();
    }

    /// <summary>Every property of a row, as text: two rows are the same run when these match.</summary>
    private static string[] Fields(ReclaimResult r)
        => typeof(ReclaimResult).GetProperties().Select(p => p.Name + "=" + p.GetValue(r)).ToArray();

    [Fact]
    public void A_sweep_runs_every_combination_in_order_and_each_equals_its_single_run()
    {
        var sweep = Rows($"{Cgroup} | Invoke-Reclaim -Policy Mglru,Classic -Swappiness 10,100 -Swap 64MB -ThrottleLimit 2");
        Assert.Equal(
            new[] { ("Mglru", 10), ("Mglru", 100), ("Classic", 10), ("Classic", 100) },
            sweep.Select(r => (r.Policy, r.Swappiness)));
        foreach (var row in sweep)
        {
            var single = Assert.Single(Rows($"{Cgroup} | Invoke-Reclaim -Policy {row.Policy} -Swappiness {row.Swappiness} -Swap 64MB"));
            Assert.Equal(Fields(single), Fields(row));
        }
        // The configurations really differ: the two policies scan differently.
        Assert.NotEqual(sweep[0].PgScan, sweep[2].PgScan);
    }

    [Fact]
    public void Parallel_and_serial_sweeps_give_identical_rows()
    {
        const string sweep = " | Invoke-Reclaim -Policy Mglru,Classic,Lru -Seed 1,2 -Swap 64MB -PageTableWalk -ThrottleLimit ";
        var serial = Rows(Cgroup + sweep + "1");
        var parallel = Rows(Cgroup + sweep + "4");
        Assert.Equal(6, serial.Length);
        Assert.Equal(serial.Select(Fields), parallel.Select(Fields));
        Assert.Equal(new ulong[] { 1, 2, 1, 2, 1, 2 }, serial.Select(r => r.Seed));
    }

    [Fact]
    public void Repeated_values_run_once()
    {
        var rows = Rows($"{Cgroup} | Invoke-Reclaim -Seed 3,3 -KernelRules V6_1,V6_1 -Swap 64MB");
        var row = Assert.Single(rows);
        Assert.Equal("V6_1", row.KernelRules);
        Assert.Equal(3UL, row.Seed);
    }

    [Fact]
    public void Start_ReclaimSimulation_refuses_a_sweep()
    {
        var (output, shell) = Ps.Run($"{Cgroup} | Start-ReclaimSimulation -Policy Mglru,Classic");
        Assert.Empty(output);
        var error = Assert.Single(shell.Streams.Error);
        Assert.Equal("OneConfigurationOnly,MgLru.PowerShell.Commands.StartReclaimSimulationCommand", error.FullyQualifiedErrorId);
        Assert.Equal(ErrorCategory.InvalidArgument, error.CategoryInfo.Category);
        Assert.Contains("Invoke-Reclaim", error.Exception.Message);
    }

    [Fact]
    public void LruGenEnabled_0_contradicts_Mglru_anywhere_in_the_sweep()
    {
        var (output, shell) = Ps.Run($"{Cgroup} | Invoke-Reclaim -Policy Classic,Mglru -LruGenEnabled 0");
        Assert.Empty(output);
        Assert.Equal("InvalidScenario,MgLru.PowerShell.Commands.InvokeReclaimCommand", Assert.Single(shell.Streams.Error).FullyQualifiedErrorId);
    }

    [Fact]
    public void A_table_of_runs_runs_each_row_in_order_and_each_equals_its_single_run()
    {
        // Rows a product of -Policy, -Swappiness ... cannot express: rmap-only against walks against classic.
        var table = Rows($"{Cgroup} | Invoke-Reclaim -Swap 64MB -KernelRules V6_12 -Run @{{ LruGenEnabled = 1 }}, @{{ PageTableWalk = $true }}, @{{ Policy = 'Classic'; Swappiness = 100 }}, @{{ KernelRules = 'V6_1'; Seed = 2 }}");
        Assert.Equal(
            new[] { ("Mglru", "0x0001", "V6_12", 60, 1UL), ("Mglru", "0x0007", "V6_12", 60, 1UL), ("Classic", "0x0000", "V6_12", 100, 1UL), ("Mglru", "0x0001", "V6_1", 60, 2UL) },
            table.Select(r => (r.Policy, r.LruGenEnabled, r.KernelRules, r.Swappiness, r.Seed)));
        string[] singles = { "-LruGenEnabled 1", "-PageTableWalk", "-Policy Classic -Swappiness 100", "-KernelRules V6_1 -Seed 2" };
        for (int i = 0; i < singles.Length; i++)
        {
            string rules = singles[i].Contains("KernelRules") ? "" : " -KernelRules V6_12";
            var single = Assert.Single(Rows($"{Cgroup} | Invoke-Reclaim -Swap 64MB{rules} {singles[i]}"));
            Assert.Equal(Fields(single), Fields(table[i]));
        }
    }

    [Theory]
    [InlineData("@{ Swapiness = 1 }", "'Swapiness' is not a run option")]
    [InlineData("@{ Swappiness = 300 }", "Swappiness = 300 is outside 0..200")]
    [InlineData("@{ Policy = 'Foo' }", "Policy = 'Foo' is not a ReclaimPolicy")]
    [InlineData("@{ Seed = 1 }, @{ Seed = 1, 2 }", "-Run row 2: Seed takes one value")]
    public void A_bad_row_is_an_InvalidScenario_error_naming_the_row_and_the_option(string rows, string message)
    {
        var (output, shell) = Ps.Run($"{Cgroup} | Invoke-Reclaim -Run {rows}");
        Assert.Empty(output);
        var error = Assert.Single(shell.Streams.Error);
        Assert.Equal("InvalidScenario,MgLru.PowerShell.Commands.InvokeReclaimCommand", error.FullyQualifiedErrorId);
        Assert.Equal(ErrorCategory.InvalidArgument, error.CategoryInfo.Category);
        Assert.Contains(message, error.Exception.Message);
    }

    [Fact]
    public void A_table_of_runs_and_a_sweep_parameter_with_several_values_do_not_mix()
    {
        var (output, shell) = Ps.Run($"{Cgroup} | Invoke-Reclaim -Swappiness 10,20 -Run @{{ Policy = 'Classic' }}");
        Assert.Empty(output);
        var error = Assert.Single(shell.Streams.Error);
        Assert.Equal("InvalidScenario,MgLru.PowerShell.Commands.InvokeReclaimCommand", error.FullyQualifiedErrorId);
        Assert.Contains("-Swappiness", error.Exception.Message);
    }
}
