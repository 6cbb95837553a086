using System;
using System.Linq;
using MgLru.Engine.Scenario;
using MgLru.Engine.Stats;
using Xunit;

namespace MgLru.Engine.Tests.Tiering;

/// <summary>Promotion of hot slow-tier pages: NUMA balancing's tiering mode (invariant 30) and the RFC's daemon.</summary>
public sealed class PromotionTests
{
    /// <summary>
    /// 32 MiB DRAM + 128 MiB PMEM, a 96 MiB task whose hot tenth (90 % of accesses) moves every 250,000
    /// accesses; 10 µs per access so that a run spans seconds of simulated time.
    /// </summary>
    private static Engine.Simulation.Simulation Create(PromotionMode promotion, int rateLimitMBps = 65536, int hotThresholdMs = 1000, int periodMs = 100, int timelineMs = 0, long accesses = 1_000_000)
    {
        var hot = WorkloadSpec.HotCold(0.1, 0.9, populate: false);
        var w = WorkloadSpec.Phases(new[] { hot, hot }, new[] { 250_000L, 250_000L });
        var task = new TaskSpec("t", w, 96L << 20, accesses);
        return Engine.Simulation.Simulation.Create(new ScenarioSpec(new[] { new MemCgroupSpec("a", tasks: new[] { task }) }, new RunOptions
        {
            Nodes = new[] { new NodeSpec(0, MemoryKind.Dram, 32L << 20), new NodeSpec(1, MemoryKind.Pmem, 128L << 20) },
            Demotion = true,
            Promotion = promotion,
            SwapBytes = 1L << 30,
            PromotionScanPeriodMs = periodMs,
            HotThresholdMs = hotThresholdMs,
            PromoteRateLimitMBps = rateLimitMBps,
            TimelineIntervalMs = timelineMs,
            Costs = new CostModel { AccessNs = 10_000 },
        }));
    }

    [Fact]
    public void NUMA_balancing_promotes_the_hot_set_and_a_full_DRAM_node_wakes_kswapd_to_demote()
    {
        // Without promotion the first-touch placement stays: DRAM serves about its share of the pages.
        var none = Create(PromotionMode.None);
        none.Run();
        var nb = Create(PromotionMode.NumaBalancing);
        nb.Run();
        var noneDram = none.NodeResults()[0];
        var nbNodes = nb.NodeResults();
        Assert.Equal(0, noneDram.PgDemoteKswapd + noneDram.PgDemoteDirect);
        Assert.True(nbNodes[0].PgPromoteSuccess > 1000, $"promoted {nbNodes[0].PgPromoteSuccess}");
        Assert.True(nbNodes[1].NumaHintFaults >= nbNodes[0].PgPromoteSuccess);
        // DRAM was full: every promotion needed room that only kswapd's demotion made (migrate_balanced_pgdat).
        Assert.True(nbNodes[0].PgDemoteKswapd > 0);
        Assert.Equal(0, nbNodes[0].PgDemoteDirect);
        Assert.True(nbNodes[0].AccessShare > noneDram.AccessShare + 0.2, $"DRAM share {nbNodes[0].AccessShare:F3} vs {noneDram.AccessShare:F3}");
        nb.CheckInvariants();
    }

    [Fact]
    public void NUMA_balancing_never_promotes_faster_than_its_rate_limit()
    {
        // 1 MB/s = 256 pages per one-second window (numa_promotion_rate_limit). The hot set is far larger
        // than that, so the limit binds: promotions per second of simulated time stay within it.
        const int limitPages = 256;
        var sim = Create(PromotionMode.NumaBalancing, rateLimitMBps: 1, timelineMs: 1000);
        sim.Run();
        double seconds = sim.NowMs / 1000;
        Assert.True(seconds > 5, $"only {seconds:F1} s simulated");
        long promoted = sim.NodeResults()[0].PgPromoteSuccess;
        Assert.True(promoted <= limitPages * (Math.Floor(seconds) + 1), $"{promoted} promotions in {seconds:F1} s");
        Assert.True(promoted >= limitPages * (Math.Floor(seconds) - 1), $"the limit did not bind: {promoted} in {seconds:F1} s");
        // A one-second timeline interval can straddle two rate-limit windows, never more.
        foreach (var row in sim.Timeline().Where(r => r.Node == 0))
            Assert.True(row.PgPromoteSuccess <= 2 * limitPages, $"interval {row.Interval}: {row.PgPromoteSuccess}");
        // Every candidate past the limit was refused: candidates exceed promotions.
        Assert.True(sim.NodeResults()[0].PgPromoteCandidate > promoted);
    }

    [Fact]
    public void A_hint_fault_later_than_the_hot_threshold_does_not_promote()
    {
        // Hint-fault latency is the time from the scan to the first touch. With 10 µs accesses each page of
        // the 90 % hot set is touched about every 24 ms; a 1 ms threshold lets only pages touched within a
        // millisecond of the scan through (the threshold only grows, by 1/8 of it per minute, so it stays
        // tiny here), a 1,000 ms one lets through nearly every hot page.
        var strict = Create(PromotionMode.NumaBalancing, hotThresholdMs: 1);
        strict.Run();
        var lax = Create(PromotionMode.NumaBalancing, hotThresholdMs: 1000);
        lax.Run();
        long strictPromoted = strict.NodeResults()[0].PgPromoteSuccess, laxPromoted = lax.NodeResults()[0].PgPromoteSuccess;
        Assert.True(strictPromoted * 10 < laxPromoted, $"{strictPromoted} promotions at 1 ms vs {laxPromoted} at 1000 ms");
        Assert.True(strict.NodeResults()[1].NumaHintFaults > 10 * strictPromoted);
    }

    [Fact]
    public void The_daemon_promotes_accessed_pages_up_to_its_rate_per_round()
    {
        // 64 MB/s over 100 ms rounds: at most 1,638 pages a round.
        var sim = Create(PromotionMode.Daemon, rateLimitMBps: 64, timelineMs: 100);
        sim.Run();
        var dram = sim.NodeResults()[0];
        Assert.True(dram.PgPromoteSuccess > 0);
        int rounds = (int)(sim.NowMs / 100) + 1;
        Assert.True(dram.PgPromoteSuccess <= 1638L * rounds);
        foreach (var row in sim.Timeline().Where(r => r.Node == 0))
            Assert.True(row.PgPromoteSuccess <= 2 * 1638, $"interval {row.Interval}: {row.PgPromoteSuccess}");
        Assert.Equal(0, sim.NodeResults()[1].NumaHintFaults); // no NUMA balancing
        sim.CheckInvariants();
    }

    [Fact]
    public void The_timeline_adds_up_to_the_run()
    {
        var sim = Create(PromotionMode.NumaBalancing, timelineMs: 250);
        sim.Run();
        var rows = sim.Timeline();
        var nodes = sim.NodeResults();
        foreach (var node in nodes)
        {
            var mine = rows.Where(r => r.Node == node.Node).ToList();
            Assert.Equal(Enumerable.Range(0, mine.Count), mine.Select(r => r.Interval));
            Assert.Equal(node.Accesses, mine.Sum(r => r.Accesses));
            Assert.Equal(node.PgPromoteSuccess, mine.Sum(r => r.PgPromoteSuccess));
            Assert.Equal(node.PgDemoteKswapd + node.PgDemoteDirect, mine.Sum(r => r.PgDemote));
            Assert.Equal(node.ResidentPages, mine.Last().ResidentPages);
        }
        foreach (var interval in rows.GroupBy(r => r.Interval))
        {
            Assert.Equal(1.0, interval.Sum(r => r.AccessShare), 9);
            Assert.Single(interval.Select(r => r.Refaults).Distinct()); // machine-wide: the same on each node's row
        }
        var node0 = rows.Where(r => r.Node == 0).ToList();
        var memcg = sim.Machine.Memcgs[1];
        Assert.Equal(memcg.Events[(int)VmEvent.WorkingsetRefaultAnon] + memcg.Events[(int)VmEvent.WorkingsetRefaultFile], node0.Sum(r => r.Refaults));
        // Reclaim counted per node adds up to the memcg's pgsteal_kswapd and pgsteal_direct (one memcg).
        Assert.Equal(memcg.Events[(int)VmEvent.PgStealKswapd], rows.Sum(r => r.PgStealKswapd));
        Assert.Equal(memcg.Events[(int)VmEvent.PgStealDirect], rows.Sum(r => r.PgStealDirect));
        Assert.True(rows.Sum(r => r.PgStealKswapd) > 0);
        Assert.Equal((sim.Machine.ReclaimNs + sim.Machine.KswapdNs) / 1e6, node0.Sum(r => r.ReclaimCpuMs), 6);
        // Every page on a node's LRU is in one of its four generations.
        foreach (var node in nodes)
        {
            var last = rows.Last(r => r.Node == node.Node);
            Assert.Equal(node.AnonPages + node.FilePages, last.PagesMaxSeq + last.PagesMaxSeqMinus1 + last.PagesMaxSeqMinus2 + last.PagesMaxSeqMinus3);
        }
    }
}

/// <summary>Stepping a simulation in parts runs exactly what one Run does: slices belong to the scheduler, not to the caller.</summary>
public sealed class SteppingTests
{
    [Theory]
    [InlineData(ReclaimPolicy.Mglru, PromotionMode.NumaBalancing)]
    [InlineData(ReclaimPolicy.Classic, PromotionMode.Daemon)]
    public void Stepping_in_odd_parts_equals_one_run(ReclaimPolicy policy, PromotionMode promotion)
    {
        ScenarioSpec Scenario()
        {
            var kv = new TaskSpec("kv", new WorkloadSpec(WorkloadKind.Zipf, 0.9, writeFraction: 0.5), 6L << 20, 30_000,
                mappings: new[] { new VmaSpec(MemoryBackend.Anon, 2L << 20, flags: VmaFlags.LazyFree, writeFraction: 0.1), new VmaSpec(MemoryBackend.FileRead, 4L << 20, writeFraction: 0.2) });
            var scan = new TaskSpec("scan", new WorkloadSpec(WorkloadKind.Sequential, populate: false, backend: MemoryBackend.FileMmap), 8L << 20, 20_000, runFraction: 0.5);
            return new ScenarioSpec(new[] { new MemCgroupSpec("a", 10L << 20, tasks: new[] { kv, scan }) }, new RunOptions
            {
                Policy = policy,
                LruGenEnabled = 7,
                Nodes = new[] { new NodeSpec(0, MemoryKind.Dram, 4L << 20), new NodeSpec(1, MemoryKind.Pmem, 8L << 20) },
                Demotion = true,
                Promotion = promotion,
                PromotionScanPeriodMs = 2,
                HotThresholdMs = 2,
                TimelineIntervalMs = 3,
                SwapBytes = 64L << 20,
                TimeSliceAccesses = 1000,
            });
        }
        var whole = Engine.Simulation.Simulation.Create(Scenario());
        whole.Run();
        var parts = Engine.Simulation.Simulation.Create(Scenario());
        long step = 1;
        while (!parts.Finished) parts.Step(step = step * 7 % 4093 + 1);
        foreach (var p in typeof(ReclaimResult).GetProperties())
            Assert.Equal(p.GetValue(whole.Results()[0]), p.GetValue(parts.Results()[0]));
        Assert.Equal(whole.LruGenText(full: policy == ReclaimPolicy.Mglru), parts.LruGenText(full: policy == ReclaimPolicy.Mglru));
        Assert.Equal(whole.Timeline().Select(t => (t.Interval, t.Node, t.Accesses, t.PgDemote, t.PgPromoteSuccess)), parts.Timeline().Select(t => (t.Interval, t.Node, t.Accesses, t.PgDemote, t.PgPromoteSuccess)));
    }
}
