using MgLru.Engine.Debugfs;
using MgLru.Engine.Scenario;
using Xunit;

namespace MgLru.Engine.Tests.Debugfs;

/// <summary>lru_gen writes: parsing and the errno rules of run_aging / run_eviction (invariant 25).</summary>
public sealed class LruGenCommandTests
{
    private static Engine.Simulation.Simulation Populated(KernelRules rules = KernelRules.V6_14)
    {
        var sim = Scenarios.Single(64, 10, new WorkloadSpec(WorkloadKind.Sequential), 0, rules);
        sim.Run();
        return sim;
    }

    [Theory]
    [InlineData("+ 2 0 3", '+', 2, 0, 3UL, null, null)]
    [InlineData("   - 1 0 17 200 4096", '-', 1, 0, 17UL, 200, 4096UL)]
    [InlineData("+\t2\t0\t3\t60", '+', 2, 0, 3UL, 60, null)]
    public void Parses_fields(string text, char op, int memcg, int node, ulong seq, int? swappiness, ulong? opt)
    {
        var cmd = LruGenCommand.Parse(text.TrimStart(), acceptMax: true);
        Assert.Equal((op, memcg, node, seq, swappiness, opt), (cmd.Op, cmd.MemcgId, cmd.Node, cmd.Seq, cmd.Swappiness, cmd.Opt));
    }

    [Fact]
    public void Splits_on_newline_comma_and_semicolon_and_skips_empty_commands()
        => Assert.Equal(new[] { "+ 2 0 3", "+ 2 0 4", "- 2 0 2" }, LruGenCommand.Split("+ 2 0 3,\n;  + 2 0 4;- 2 0 2\n"));

    [Fact]
    public void Max_swappiness_is_accepted_only_by_the_newer_rules()
    {
        Assert.Equal(201, LruGenCommand.Parse("- 2 0 1 max", acceptMax: true).Swappiness);
        Assert.Equal("EINVAL", Assert.Throws<KernelWriteException>(() => LruGenCommand.Parse("- 2 0 1 max", acceptMax: false)).Errno);
    }

    [Fact]
    public void Aging_above_max_seq_is_EINVAL_and_below_it_still_ages_from_max_seq()
    {
        var sim = Populated();
        Assert.Equal("EINVAL", Assert.Throws<KernelWriteException>(() => sim.WriteLruGen("+ 2 0 4")).Errno);
        sim.WriteLruGen("+ 2 0 0"); // ≥6.14: max_gen_nr < max_seq still ages from the current max_seq
        Assert.Equal(4, sim.Results()[0].MaxSeq);
    }

    [Fact]
    public void Aging_below_max_seq_is_a_no_op_under_the_61_rules_and_four_generations_without_force_scan_is_ERANGE()
    {
        var sim = Populated(KernelRules.V6_1);
        sim.WriteLruGen("+ 2 0 2");
        Assert.Equal(3, sim.Results()[0].MaxSeq);
        Assert.Equal("ERANGE", Assert.Throws<KernelWriteException>(() => sim.WriteLruGen("+ 2 0 3 60 0")).Errno);
        sim.WriteLruGen("+ 2 0 3 60 1");
        Assert.Equal(4, sim.Results()[0].MaxSeq);
    }

    [Fact]
    public void Evicting_the_two_youngest_generations_is_EINVAL()
    {
        var sim = Populated();
        Assert.Equal("EINVAL", Assert.Throws<KernelWriteException>(() => sim.WriteLruGen("- 2 0 2")).Errno);
        sim.WriteLruGen("- 2 0 1"); // allowed: 1 + 2 <= 3
    }

    [Fact]
    public void Eviction_by_command_swaps_out_the_oldest_generations()
    {
        // Ten pages in seq 2. Age twice ("+ 2 0 3", "+ 2 0 4": max_seq 5, the pages now two generations
        // behind), then "- 2 0 2" evicts up to seq 2: the pages' PTEs are young (set at fault), so the
        // first isolation only marks them referenced and keeps them; nothing is reclaimed.
        var sim = Populated();
        sim.WriteLruGen("+ 2 0 3\n+ 2 0 4");
        sim.WriteLruGen("- 2 0 2 60");
        var r = sim.Results()[0];
        Assert.Equal(10, r.PgScanDirect);
        Assert.Equal(0, r.PgStealDirect);
        // Their young bits are now clear: two more generations and they go to swap.
        sim.WriteLruGen("+ 2 0 5; + 2 0 6; - 2 0 5 60");
        r = sim.Results()[0];
        Assert.Equal(10, r.PgStealDirect);
        Assert.Equal(10, r.PswpOut);
        Assert.Equal(0, r.ResidentPages);
    }

    [Fact]
    public void A_failing_command_stops_the_write()
    {
        var sim = Populated();
        Assert.Throws<KernelWriteException>(() => sim.WriteLruGen("+ 2 0 3\n+ 2 0 99\n+ 2 0 4"));
        Assert.Equal(4, sim.Results()[0].MaxSeq);
    }
}
