using System.IO;
using MgLru.Engine.Scenario;
using Xunit;

namespace MgLru.Engine.Tests.Debugfs;

/// <summary>
/// lru_gen_full of a state derived by hand, compared byte for byte with golden files (Golden/*.txt).
/// The scenario: memcg /t (id 2, no limit) whose task faults 10 anonymous pages and stops; rmap-only
/// aging (0x0001), so nothing was ever reclaimed, aged or walked. Every clock reading is 0 ms.
/// </summary>
public sealed class LruGenFormatTests
{
    private static string Golden(string name) => File.ReadAllText(Path.Combine(System.AppContext.BaseDirectory, "Golden", name));

    private static Engine.Simulation.Simulation TenPages(KernelRules rules)
    {
        var sim = Scenarios.Single(64, 10, new WorkloadSpec(WorkloadKind.Sequential), 0, rules);
        sim.Run();
        return sim;
    }

    // Derivation (≥6.14, lru_gen_seq_show with full = true):
    // - Both lruvecs start at max_seq 3, min_seq {0, 0}; lru_gen_full prints seq max_seq - 3 .. max_seq = 0..3.
    // - Size lines: " %10lu %10u" (seq, age 0), then anon and file " %10lu%c" with mark 'x' only below
    //   min_seq (never here): /t has its 10 faulted pages in seq 2 (PG_active without workingset: max_seq - 1).
    // - Tier lines (12 spaces, " %10d" tier): seq 0 is min_seq of both types → "r e p" counters, all 0;
    //   seqs 1 and 2 → 0 with marks "xxx"; seq 3 = max_seq → avg_refaulted R, avg_total T, then 0x.
    // - The mm-walk line (22 spaces) after every generation: TYFA counters on max_seq (0: no walk ran),
    //   zeros marked x elsewhere.
    [Fact]
    public void Lru_gen_full_in_the_612_and_later_format()
        => Assert.Equal(Golden("lru_gen_full-v6_14-ten-pages.txt"), TenPages(KernelRules.V6_14).LruGenText(full: true));

    // Derivation (6.12): the 6.12+ text format (TYFA walk counters, 'x' marks) with 6.1's placement: before
    // 6.14 an active folio goes to max_seq, so the ten pages are in seq 3.
    [Fact]
    public void Lru_gen_full_in_the_612_format_with_the_pre_614_placement()
        => Assert.Equal(Golden("lru_gen_full-v6_12-ten-pages.txt"), TenPages(KernelRules.V6_12).LruGenText(full: true));

    // Derivation (6.1): the same sizes except that an active folio goes to max_seq (seq 3); marks that the
    // 6.12+ format prints as 'x' are blanks; the walk line has six counters LOYNFA on max_seq and blank-marked
    // zeros elsewhere; the tier lines of min_seq show "rep" with p from protected[tier - 1] (0 for tier 0).
    [Fact]
    public void Lru_gen_full_in_the_61_format()
        => Assert.Equal(Golden("lru_gen_full-v6_1-ten-pages.txt"), TenPages(KernelRules.V6_1).LruGenText(full: true));

    [Theory]
    [InlineData(KernelRules.V6_1, 3)]
    [InlineData(KernelRules.V6_12, 3)]
    [InlineData(KernelRules.V6_14, 2)]
    public void The_p_column_of_min_seq_shows_protected_by_the_rule_set_s_tier_index(KernelRules rules, int row)
    {
        // protected[hist][anon][2]: before 6.14 that counts tier-3 folios (indexed by tier - 1) and prints on
        // the tier 3 row; from 6.14 it is tier 2's own count.
        var sim = TenPages(rules);
        sim.Machine.Memcgs[1].Lruvecs[0].Protected[2] = 7;
        var lines = sim.LruGenText(full: true).Split('\n');
        int minSeqLine = System.Array.FindIndex(lines, x => x.StartsWith("memcg     2 /t", System.StringComparison.Ordinal)) + 2;
        Assert.Matches(@"^ {10}0 ", lines[minSeqLine]); // seq 0 = min_seq
        for (int tier = 0; tier < 4; tier++)
        {
            if (tier == row) Assert.Contains("         7p", lines[minSeqLine + 1 + tier]);
            else Assert.DoesNotContain("7p", lines[minSeqLine + 1 + tier]);
        }
    }
}
