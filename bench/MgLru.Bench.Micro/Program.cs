// BenchmarkDotNet micro-benchmarks of the engine's hot paths (Release build):
//   dotnet run -c Release --project bench/MgLru.Bench.Micro -- --filter '*' [--job short]
// Each simulation benchmark reports the time of one access (OperationsPerInvoke): the hit path (a
// resident page: set the accessed bit, or move the page for the exact LRU) and the fault path (half
// the accesses miss: charge, reclaim one page or a batch, swap out, swap in).
using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Running;
using MgLru.Engine.Scenario;
using MgLru.Engine.Workloads;
using Sim = MgLru.Engine.Simulation.Simulation;

BenchmarkSwitcher.FromAssembly(typeof(ZipfBenchmarks).Assembly).Run(args);

/// <summary>The rejection-inversion Zipf sampler over a million objects.</summary>
[MemoryDiagnoser]
public class ZipfBenchmarks
{
    private const int Draws = 1 << 16;
    private ZipfSampler _zipf = null!;
    private Xoshiro256StarStar _rng;

    [Params(0.9, 1.0)]
    public double Alpha { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        _zipf = new ZipfSampler(1_000_000, Alpha);
        _rng = new Xoshiro256StarStar(1);
    }

    [Benchmark(OperationsPerInvoke = Draws)]
    public long Sample()
    {
        long sum = 0;
        for (int i = 0; i < Draws; i++) sum += _zipf.Sample(ref _rng);
        return sum;
    }
}

/// <summary>Accesses to resident pages only: the task fits its memcg after the populate pass.</summary>
[MemoryDiagnoser]
public class HitPathBenchmarks
{
    private const int Accesses = 1 << 20;
    private Sim _sim = null!;

    [Params(ReclaimPolicy.Mglru, ReclaimPolicy.Classic, ReclaimPolicy.Lru)]
    public ReclaimPolicy Policy { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        var task = new TaskSpec("t", new WorkloadSpec(WorkloadKind.Zipf, 0.9), 64L << 20, long.MaxValue / 4);
        _sim = Sim.Create(new ScenarioSpec(new[] { new MemCgroupSpec("cg", 128L << 20, tasks: new[] { task }) },
            new RunOptions { Policy = Policy, LruGenEnabled = Policy == ReclaimPolicy.Mglru ? 1 : 0 }));
        _sim.Step(16384); // the populate pass
    }

    [Benchmark(OperationsPerInvoke = Accesses)]
    public long Access() => _sim.Step(Accesses);
}

/// <summary>A uniform task twice its memcg's limit: about half the accesses fault and reclaim.</summary>
[MemoryDiagnoser]
public class FaultPathBenchmarks
{
    private const int Accesses = 1 << 16;
    private Sim _sim = null!;

    [Params("Mglru", "Mglru+walk", "Classic", "Lru")]
    public string Config { get; set; } = "Mglru";

    [GlobalSetup]
    public void Setup()
    {
        var policy = Config == "Classic" ? ReclaimPolicy.Classic : Config == "Lru" ? ReclaimPolicy.Lru : ReclaimPolicy.Mglru;
        int enabled = Config == "Mglru+walk" ? 7 : policy == ReclaimPolicy.Mglru ? 1 : 0;
        var task = new TaskSpec("t", new WorkloadSpec(WorkloadKind.Uniform), 64L << 20, long.MaxValue / 4);
        _sim = Sim.Create(new ScenarioSpec(new[] { new MemCgroupSpec("cg", 32L << 20, tasks: new[] { task }) },
            new RunOptions { Policy = policy, LruGenEnabled = enabled, SwapBytes = 128L << 20 }));
        _sim.Step(16384 + (1 << 18)); // populate, then reach the steady state
    }

    [Benchmark(OperationsPerInvoke = Accesses)]
    public long Access() => _sim.Step(Accesses);
}
