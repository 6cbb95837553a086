using System;
using System.Linq;
using MgLru.Engine.Scenario;
using MgLru.Engine.Workloads;
using Xunit;

namespace MgLru.Engine.Tests.Workloads;

/// <summary>Distribution checks of the workload generators with fixed seeds.</summary>
public sealed class GeneratorTests
{
    private static int[] Counts(WorkloadSpec spec, int pages, int samples, ulong seed = 7)
    {
        var g = new AccessGenerator(spec, pages, samples, seed);
        var counts = new int[pages];
        while (!g.Done) counts[g.Next(out _)]++;
        return counts;
    }

    /// <summary>Pearson's chi-square statistic against equal expected counts.</summary>
    private static double ChiSquare(int[] counts)
    {
        double expected = counts.Sum() / (double)counts.Length;
        return counts.Sum(c => (c - expected) * (c - expected) / expected);
    }

    [Fact]
    public void Every_kind_draws_from_a_one_page_footprint()
    {
        // A one-page task (-Rss 4KB) has no cold page for HotCold to draw from; every kind must still
        // give page 0 each time rather than index past the page.
        var specs = new[]
        {
            new WorkloadSpec(WorkloadKind.Sequential), new WorkloadSpec(WorkloadKind.Uniform), new WorkloadSpec(WorkloadKind.Zipf),
            new WorkloadSpec(WorkloadKind.Scan), WorkloadSpec.Gaussian(), WorkloadSpec.HotCold(),
            WorkloadSpec.Phases(new[] { WorkloadSpec.HotCold(), new WorkloadSpec(WorkloadKind.Zipf) }, new long[] { 3, 3 }),
        };
        foreach (var spec in specs)
            Assert.Equal(new[] { spec.Kind == WorkloadKind.Scan ? 2 : 1_001 }, Counts(spec, 1, 1_000));
    }

    [Fact]
    public void Uniform_passes_a_chi_square_test()
    {
        // 99 degrees of freedom: the 0.999 quantile is about 148.2.
        var counts = Counts(new WorkloadSpec(WorkloadKind.Uniform, populate: false), 100, 100_000);
        Assert.InRange(ChiSquare(counts), 50, 148.2);
    }

    [Theory]
    [InlineData(0.9)]
    [InlineData(1.0)]
    [InlineData(1.5)]
    public void Zipf_rank_frequencies_follow_the_law(double alpha)
    {
        // P(rank k) = k^-alpha / H(n, alpha). The generator scatters ranks over pages; sorting the page
        // counts recovers the rank order. Check ranks 1, 2 and 10 within 5 % (relative).
        const int n = 1000, samples = 400_000;
        var counts = Counts(new WorkloadSpec(WorkloadKind.Zipf, alpha, populate: false), n, samples).OrderByDescending(c => c).ToArray();
        double h = Enumerable.Range(1, n).Sum(k => Math.Pow(k, -alpha));
        foreach (int rank in new[] { 1, 2, 10 })
        {
            double expected = samples * Math.Pow(rank, -alpha) / h;
            Assert.InRange(counts[rank - 1], expected * 0.95, expected * 1.05);
        }
    }

    [Fact]
    public void Zipf_sampler_stays_in_range_for_extreme_exponents()
    {
        var rng = new Xoshiro256StarStar(3);
        foreach (double alpha in new[] { 0.01, 1.0, 3.0 })
        {
            var z = new ZipfSampler(50, alpha);
            for (int i = 0; i < 10_000; i++) Assert.InRange(z.Sample(ref rng), 1, 50);
        }
    }

    [Fact]
    public void HotCold_sends_the_hot_probability_to_the_hot_fraction()
    {
        // 10 % hot pages take 90 % of the accesses: the 100 most-used of 1,000 pages get about 90 %.
        var counts = Counts(WorkloadSpec.HotCold(0.1, 0.9, populate: false), 1000, 200_000).OrderByDescending(c => c).ToArray();
        double hotShare = counts.Take(100).Sum() / 200_000.0;
        Assert.InRange(hotShare, 0.89, 0.91);
    }

    [Fact]
    public void Gaussian_ranks_have_the_asked_moments()
    {
        // The scatter hides the ranks, so check the spread: with sd = 5 % of 10,000 pages, mean ± 1 sd
        // spans 1,000 pages that take 68 % of the accesses, so the 1,000 most-used pages take about that.
        var counts = Counts(WorkloadSpec.Gaussian(0.5, 0.05, populate: false), 10_000, 300_000).OrderByDescending(c => c).ToArray();
        double top1000 = counts.Take(1000).Sum() / 300_000.0;
        Assert.InRange(top1000, 0.64, 0.72);
    }

    [Fact]
    public void Scan_reads_every_page_once_in_order()
    {
        var g = new AccessGenerator(new WorkloadSpec(WorkloadKind.Scan, populate: false), 50, 1_000_000, 1);
        var pages = Enumerable.Range(0, 1000).TakeWhile(_ => !g.Done).Select(_ => g.Next(out bool _)).ToArray();
        Assert.Equal(Enumerable.Range(0, 50), pages);
    }

    [Fact]
    public void Phases_move_the_hot_set()
    {
        // Two HotCold phases of 50,000 accesses: each has its own scattering, so the hot pages of the
        // first phase are mostly cold in the second.
        var hot = WorkloadSpec.HotCold(0.05, 0.95, populate: false);
        var spec = WorkloadSpec.Phases(new[] { hot, hot }, new long[] { 50_000, 50_000 }, populate: false);
        var g = new AccessGenerator(spec, 2000, 100_000, 5);
        var first = new int[2000];
        var second = new int[2000];
        for (int i = 0; i < 50_000; i++) first[g.Next(out _)]++;
        for (int i = 0; i < 50_000; i++) second[g.Next(out _)]++;
        var hot1 = Enumerable.Range(0, 2000).OrderByDescending(p => first[p]).Take(100).ToHashSet();
        var hot2 = Enumerable.Range(0, 2000).OrderByDescending(p => second[p]).Take(100).ToHashSet();
        Assert.InRange(hot1.Intersect(hot2).Count(), 0, 20);
        Assert.True(g.Done);
    }

    [Fact]
    public void The_same_seed_gives_the_same_stream()
    {
        var spec = WorkloadSpec.Gaussian();
        Assert.Equal(Counts(spec, 500, 10_000, 11), Counts(spec, 500, 10_000, 11));
        Assert.NotEqual(Counts(spec, 500, 10_000, 11), Counts(spec, 500, 10_000, 12));
    }

    private static int[] TopPages(AccessGenerator g, int pages, int top)
    {
        var counts = new int[pages];
        while (!g.Done) counts[g.Next(out _)]++;
        return Enumerable.Range(0, pages).OrderByDescending(p => counts[p]).ThenBy(p => p).Take(top).OrderBy(p => p).ToArray();
    }

    [Fact]
    public void A_thread_sharing_the_ranking_hits_the_leaders_hot_pages()
    {
        // Zipf(1.2) over 1000 pages: the 5 hottest ranks take about half the accesses, so 50,000 draws
        // find them exactly; a thread with its own seed but the leader's ranking finds the same pages.
        var spec = new WorkloadSpec(WorkloadKind.Zipf, 1.2, populate: false);
        var leader = new AccessGenerator(spec, 1000, 50_000, 1);
        var sharing = new AccessGenerator(spec, 1000, 50_000, 2, rankingOf: leader);
        var own = new AccessGenerator(spec, 1000, 50_000, 2);
        var hot = TopPages(leader, 1000, 5);
        Assert.Equal(hot, TopPages(sharing, 1000, 5));
        Assert.NotEqual(hot, TopPages(own, 1000, 5));
    }

    [Fact]
    public void Sharing_a_ranking_needs_the_same_kind_and_size()
    {
        var leader = new AccessGenerator(new WorkloadSpec(WorkloadKind.Zipf), 100, 10, 1);
        Assert.Throws<ArgumentException>(() => new AccessGenerator(new WorkloadSpec(WorkloadKind.Zipf), 200, 10, 2, leader));
        Assert.Throws<ArgumentException>(() => new AccessGenerator(WorkloadSpec.HotCold(), 100, 10, 2, leader));
        var uniform = new AccessGenerator(new WorkloadSpec(WorkloadKind.Uniform), 100, 10, 1);
        Assert.Throws<ArgumentException>(() => new AccessGenerator(new WorkloadSpec(WorkloadKind.Uniform), 100, 10, 2, uniform));
    }

    [Fact]
    public void A_ranked_workload_draws_the_permutation_then_each_store_before_its_rank()
    {
        // The stream, written out independently: the Fisher–Yates permutation of the pages first, then per
        // access after the populate pass the store draw and the Zipf rank, the page being the rank's place in
        // the permutation. The generator fills its blocks in two passes (ranks, then pages); this is what
        // they must come to.
        const int pages = 3000, accesses = 6000;
        const ulong seed = 11;
        var spec = new WorkloadSpec(WorkloadKind.Zipf, 0.9, writeFraction: 0.3);
        var rng = new Xoshiro256StarStar(seed);
        var permutation = Enumerable.Range(0, pages).ToArray();
        for (int i = pages - 1; i > 0; i--)
        {
            int j = (int)rng.NextUInt32((uint)(i + 1));
            (permutation[i], permutation[j]) = (permutation[j], permutation[i]);
        }
        var zipf = new ZipfSampler(pages, 0.9);
        uint threshold = (uint)(0.3 * uint.MaxValue);
        var expected = Enumerable.Range(0, pages).Select(p => (uint)p | AccessGenerator.WriteBit).ToList(); // the populate pass stores
        for (int k = 0; k < accesses; k++)
        {
            bool write = (uint)(rng.NextUInt64() >> 32) < threshold;
            long rank = zipf.Sample(ref rng) - 1;
            expected.Add((uint)permutation[rank] | (write ? AccessGenerator.WriteBit : 0));
        }
        var g = new AccessGenerator(spec, pages, accesses, seed);
        var got = new System.Collections.Generic.List<uint>();
        while (!g.Done) got.Add((uint)g.Next(out bool w) | (w ? AccessGenerator.WriteBit : 0));
        Assert.Equal(expected, got);
    }

    public static TheoryData<string> BlockShapes => new() { "zipf", "hotcold", "phases", "trace", "uniform-writes" };

    private static WorkloadSpec Shape(string shape) => shape switch
    {
        "zipf" => new WorkloadSpec(WorkloadKind.Zipf, 0.9),
        "hotcold" => WorkloadSpec.HotCold(writeFraction: 0.5),
        "phases" => WorkloadSpec.Phases(new[] { new WorkloadSpec(WorkloadKind.Uniform), new WorkloadSpec(WorkloadKind.Zipf, 1.1) }, new long[] { 700, 1300 }),
        "trace" => WorkloadSpec.FromTrace(Enumerable.Range(0, 5000).Select(i => (uint)(i * 7919 % 4001)).ToArray(), writeFraction: 0.25),
        _ => new WorkloadSpec(WorkloadKind.Uniform, writeFraction: 0.3),
    };

    [Theory]
    [MemberData(nameof(BlockShapes))]
    public void Blocks_consumed_in_uneven_parts_give_the_one_by_one_stream(string shape)
    {
        // 3000 pages: the populate pass ends inside the third block; the trace names pages beyond them.
        var spec = Shape(shape);
        var byOne = new AccessGenerator(spec, 3000, 6000, 11);
        var expected = new System.Collections.Generic.List<uint>();
        while (!byOne.Done) expected.Add((uint)byOne.Next(out bool w) | (w ? AccessGenerator.WriteBit : 0));
        Assert.Equal(byOne.Total, expected.Count);

        var byBlock = new AccessGenerator(spec, 3000, 6000, 11);
        var got = new System.Collections.Generic.List<uint>();
        int step = 1;
        while (true)
        {
            if (byBlock.BlockPosition == byBlock.BlockLength && byBlock.FillBlock() == 0) break;
            // Take 1, 2, 3, ... entries at a time, sometimes one by one through Next.
            int end = Math.Min(byBlock.BlockLength, byBlock.BlockPosition + step++ % 97);
            if (step % 5 == 0 && byBlock.BlockPosition < byBlock.BlockLength)
            {
                got.Add((uint)byBlock.Next(out bool w) | (w ? AccessGenerator.WriteBit : 0));
                continue;
            }
            for (int i = byBlock.BlockPosition; i < end; i++) got.Add(byBlock.Block[i]);
            byBlock.Consume(end);
            Assert.Equal(got.Count, byBlock.Issued);
        }
        Assert.True(byBlock.Done);
        Assert.Equal(expected, got);
    }

    [Fact]
    public void A_trace_naming_pages_beyond_the_mapping_wraps_and_one_inside_is_copied()
    {
        uint[] beyond = { 5, 1030, 7, 2047, 2048 };
        var wraps = new AccessGenerator(WorkloadSpec.FromTrace(beyond, writeFraction: 0), 1024, 0, 1);
        Assert.Equal(new[] { 5, 6, 7, 1023, 0 }, Enumerable.Range(0, 5).Select(_ => wraps.Next(out bool w) + (w ? 10_000 : 0)).ToArray());
        // Stores drawn per access (here all of them) take the other path to the same pages.
        var stores = new AccessGenerator(WorkloadSpec.FromTrace(beyond, writeFraction: 1), 1024, 0, 1);
        Assert.Equal(new[] { 10_005, 10_006, 10_007, 11_023, 10_000 }, Enumerable.Range(0, 5).Select(_ => stores.Next(out bool w) + (w ? 10_000 : 0)).ToArray());
        var inside = new AccessGenerator(WorkloadSpec.FromTrace(new uint[] { 5, 1023, 0 }, writeFraction: 0), 1024, 0, 1);
        Assert.Equal(new[] { 5, 1023, 0 }, Enumerable.Range(0, 3).Select(_ => inside.Next(out bool w) + (w ? 10_000 : 0)).ToArray());
        Assert.True(inside.Done);
        Assert.Throws<InvalidOperationException>(() => inside.Next(out _));
    }
}
