using System.Linq;
using MgLru.Engine.Scenario;
using MgLru.Engine.Workloads;
using Xunit;

namespace MgLru.Engine.Tests.Reclaim;

public sealed class ExactLruTests
{
    private static long SimulatedMisses(uint[] trace, int pages, int capacity)
    {
        var task = new TaskSpec("t", WorkloadSpec.FromTrace(trace), pages * Scenarios.Page, 0);
        var cg = new MemCgroupSpec("t", capacity * Scenarios.Page, tasks: new[] { task });
        var sim = Engine.Simulation.Simulation.Create(new ScenarioSpec(new[] { cg }, new RunOptions
        {
            Policy = ReclaimPolicy.Lru,
            SwapBytes = pages * Scenarios.Page,
            CheckInvariants = trace.Length < 5000,
        }));
        sim.Run();
        var r = sim.Results()[0];
        Assert.Equal(trace.Length, r.Accesses);
        return r.PgFault;
    }

    [Fact]
    public void A_hand_computed_trace()
    {
        // Capacity 3: a b c a d b e a → misses a b c (cold), hit a, d (evicts b), b (evicts c),
        // e (evicts a), a (evicts d): 7 misses.
        uint[] trace = { 0, 1, 2, 0, 3, 1, 4, 0 };
        Assert.Equal(7, Reference.NaiveLruMisses(trace, 3));
        Assert.Equal(7, SimulatedMisses(trace, 8, 3));
    }

    [Theory]
    [InlineData(1, 64, 16, 4000)]
    [InlineData(2, 512, 100, 20000)]
    [InlineData(3, 1000, 999, 20000)]
    [InlineData(4, 300, 1, 2000)]
    public void Matches_an_independent_LRU_on_Zipf_traces(ulong seed, int pages, int capacity, int length)
    {
        var rng = new Xoshiro256StarStar(seed);
        var zipf = new ZipfSampler(pages, 0.9);
        var trace = Enumerable.Range(0, length).Select(_ => (uint)(zipf.Sample(ref rng) - 1)).ToArray();
        Assert.Equal(Reference.NaiveLruMisses(trace, capacity), SimulatedMisses(trace, pages, capacity));
    }
}
