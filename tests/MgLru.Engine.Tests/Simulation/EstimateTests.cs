using System;
using MgLru.Engine.Scenario;
using Xunit;

namespace MgLru.Engine.Tests.Simulation;

/// <summary>The memory estimate a scenario is refused by must be what Create then allocates.</summary>
public sealed class EstimateTests
{
    public static TheoryData<string> Shapes => new() { "zipf", "files", "tiers", "trace" };

    private static ScenarioSpec Shape(string shape) => shape switch
    {
        "zipf" => new ScenarioSpec(new[] { new MemCgroupSpec("a", 64L << 20, tasks: new[] { new TaskSpec("t", new WorkloadSpec(WorkloadKind.Zipf), 256L << 20, 0) }) },
            new RunOptions { SwapBytes = 256L << 20 }),
        "files" => new ScenarioSpec(new[] { new MemCgroupSpec("a", tasks: new[]
        {
            new TaskSpec("r", new WorkloadSpec(WorkloadKind.Uniform, backend: MemoryBackend.FileRead), 128L << 20, 0, file: "d"),
            new TaskSpec("m", new WorkloadSpec(WorkloadKind.Sequential, backend: MemoryBackend.FileMmap), 128L << 20, 0, file: "d"),
        }) }, new RunOptions()),
        "tiers" => new ScenarioSpec(new[] { new MemCgroupSpec("a", tasks: new[] { new TaskSpec("t", WorkloadSpec.HotCold(), 96L << 20, 0) }) },
            new RunOptions { Nodes = new[] { new NodeSpec(0, MemoryKind.Dram, 64L << 20), new NodeSpec(1, MemoryKind.Pmem, 128L << 20) }, Promotion = PromotionMode.NumaBalancing }),
        _ => new ScenarioSpec(new[] { new MemCgroupSpec("a", tasks: new[] { new TaskSpec("t", WorkloadSpec.FromTrace(new uint[4_000_000]), 64L << 20, 0) }) }, new RunOptions()),
    };

    [Theory]
    [MemberData(nameof(Shapes))]
    public void The_estimate_is_within_a_quarter_of_what_Create_allocates(string shape)
    {
        var scenario = Shape(shape);
        long estimate = Engine.Simulation.Simulation.EstimatedBytes(scenario);
        long before = GC.GetAllocatedBytesForCurrentThread();
        var sim = Engine.Simulation.Simulation.Create(scenario);
        long allocated = GC.GetAllocatedBytesForCurrentThread() - before;
        GC.KeepAlive(sim);
        double ratio = (double)allocated / estimate;
        Assert.True(ratio > 0.75 && ratio < 1.25, $"{shape}: estimated {estimate:N0} bytes, Create allocated {allocated:N0} ({ratio:F2}x)");
    }
}
