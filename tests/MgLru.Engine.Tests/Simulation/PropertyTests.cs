using System.Linq;
using FsCheck;
using FsCheck.Fluent;
using MgLru.Engine.Scenario;
using Xunit;

namespace MgLru.Engine.Tests.Simulation;

/// <summary>
/// Random small scenarios with the invariant checker on after every fault and reclaim step: any
/// violation throws. Each run is repeated, with a single page-table walker, to check that the same seed
/// gives identical results however many walkers interleave, and through the general access loop, to
/// check the fast one against it.
/// </summary>
public sealed class PropertyTests
{
    public sealed record Case(int Memcgs, int[] LimitPages, int[] RssPages, WorkloadKind[] Kinds, int Accesses,
        KernelRules Rules, int Enabled, int Swappiness, int SwapPages, ulong Seed, bool ExactLru, int NodePages, int Walkers)
    {
        public override string ToString() =>
            $"memcgs={Memcgs} limits=[{string.Join(",", LimitPages)}] rss=[{string.Join(",", RssPages)}] kinds=[{string.Join(",", Kinds)}] accesses={Accesses} {Rules} 0x{Enabled:x} swappiness={Swappiness} swap={SwapPages} seed={Seed} lru={ExactLru} node={NodePages} walkers={Walkers}";

        /// <summary>lru_gen enabled 0 stands for the classic LRU.</summary>
        public ReclaimPolicy Policy => ExactLru ? ReclaimPolicy.Lru : Enabled == 0 ? ReclaimPolicy.Classic : ReclaimPolicy.Mglru;
    }

    private static Gen<Case> Cases =>
        from memcgs in Gen.Choose(1, 3)
        from limits in Gen.ArrayOf(Gen.Choose(4, 96), memcgs)
        from rss in Gen.ArrayOf(Gen.Choose(1, 160), memcgs)
        from kinds in Gen.ArrayOf(Gen.Elements(WorkloadKind.Sequential, WorkloadKind.Uniform, WorkloadKind.Zipf), memcgs)
        from accesses in Gen.Choose(0, 3000)
        from rules in Gen.Elements(KernelRules.V6_1, KernelRules.V6_12, KernelRules.V6_14)
        from enabled in Gen.Elements(0, 1, 3, 5, 7)
        from swappiness in Gen.Elements(0, 1, 30, 60, 100, 200)
        from swap in Gen.Elements(0, 16, 64, 4096)
        from seed in Gen.Choose(0, int.MaxValue)
        from exactLru in Gen.Elements(false, false, false, true)
        from node in Gen.Elements(0, 0, 256, 320)
        from walkers in Gen.Choose(1, 4)
        select new Case(memcgs, limits, rss, kinds, accesses, rules, enabled, swappiness, swap, (ulong)seed, exactLru, node, walkers);

    private static ScenarioSpec Build(Case c, int? walkers = null)
    {
        var cgs = Enumerable.Range(0, c.Memcgs).Select(i => new MemCgroupSpec("cg" + i, c.LimitPages[i] * Scenarios.Page, tasks: new[]
        {
            new TaskSpec("t" + i, new WorkloadSpec(c.Kinds[i]), c.RssPages[i] * Scenarios.Page, c.Accesses),
        })).ToArray();
        return new ScenarioSpec(cgs, new RunOptions
        {
            Policy = c.Policy,
            Rules = c.Rules,
            LruGenEnabled = c.Enabled,
            Swappiness = c.Swappiness,
            SwapBytes = c.SwapPages * Scenarios.Page,
            Seed = c.Seed,
            MemoryBytes = c.NodePages * Scenarios.Page,
            Walkers = walkers ?? c.Walkers,
            CheckInvariants = true,
            TimeSliceAccesses = 97,
        });
    }

    [Fact]
    public void Random_scenarios_keep_every_invariant_and_are_deterministic()
    {
        Prop.ForAll(Cases.ToArbitrary(), c =>
        {
            var ra = ThreeWayRun.Check(walkers => Build(c, walkers));
            for (int i = 0; i < ra.Count; i++)
            {
                var r = ra[i];
                // Cross-checks between counters kept in different places.
                Assert.Equal(r.PgMajFault, r.PswpIn);
                Assert.Equal(r.PgSteal, r.PswpOut); // anon only: every page reclaimed went to swap
                Assert.Equal(r.PgScan, r.PgScanDirect + r.PgScanKswapd);
                Assert.True(r.PgScan >= r.PgSteal);
                Assert.True(r.ResidentPages <= c.LimitPages[i]);
                Assert.True(r.ResidentPages + r.SwapPages <= c.RssPages[i]);
                Assert.True(r.PgFault <= r.Accesses);
                if (r.OomKill == 0) Assert.Equal(r.PgFault - r.PgMajFault, FirstTouches(c, i));
            }
        }).Check(Config.QuickThrowOnFailure.WithMaxTest(200).WithReplay(12345UL, 67891UL));
    }

    // Without an OOM kill every fault is a swap-in or the first touch of a page; with the populate
    // pass every page of the task is touched.
    private static long FirstTouches(Case c, int i) => c.RssPages[i];
}
