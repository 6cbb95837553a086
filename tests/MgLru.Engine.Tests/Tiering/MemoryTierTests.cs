using System.Linq;
using MgLru.Engine.Scenario;
using Xunit;

namespace MgLru.Engine.Tests.Tiering;

/// <summary>Memory tiers, demotion targets, top tiers and zonelists (mm/memory-tiers.c, build_zonelists) against hand-derived answers.</summary>
public sealed class MemoryTierTests
{
    private static Engine.Simulation.Simulation Machine(NodeSpec[] nodes, int[][]? distances)
    {
        var task = new TaskSpec("t", new WorkloadSpec(WorkloadKind.Sequential), 4096, 0);
        return Engine.Simulation.Simulation.Create(new ScenarioSpec(new[] { new MemCgroupSpec("a", tasks: new[] { task }) },
            new RunOptions { Nodes = nodes, NodeDistances = distances }));
    }

    private static NodeSpec Dram(int id) => new(id, MemoryKind.Dram, 4L << 20);
    private static NodeSpec Pmem(int id) => new(id, MemoryKind.Pmem, 4L << 20);

    [Fact]
    public void Two_sockets_with_one_PMEM_node_demote_to_it_and_fall_back_by_distance()
    {
        // DRAM 0 and 1 (tier 4, 576 >> 7), PMEM 2 (tier 22, 2880 >> 7). Distances 0–1 21, 0–2 17, 1–2 28.
        // Both DRAM nodes demote to 2, the only node of the next tier. Zonelists: distance, +1 for a lower
        // id, +1 for a node with CPUs: from 0: 2 (17) before 1 (21+1 = 22); from 1: 0 (21+1+1 = 23) before
        // 2 (28); from 2: 0 (17+1+1 = 19) before 1 (28+1+1 = 30).
        var sim = Machine(new[] { Dram(0), Dram(1), Pmem(2) }, new[] { new[] { 10, 21, 17 }, new[] { 21, 10, 28 }, new[] { 17, 28, 10 } });
        var nodes = sim.Machine.Nodes;
        Assert.Equal(new[] { 4, 4, 22 }, nodes.Select(n => n.Spec.TierId));
        Assert.Equal(new[] { true, true, false }, nodes.Select(n => n.IsTopTier));
        Assert.Equal(new[] { 2 }, nodes[0].DemotionTargets);
        Assert.Equal(new[] { 2 }, nodes[1].DemotionTargets);
        Assert.Empty(nodes[2].DemotionTargets);
        Assert.Equal(new[] { 2 }, nodes[0].LowerTierNodes);
        Assert.Empty(nodes[2].LowerTierNodes);
        Assert.Equal(new[] { 0, 2, 1 }, nodes[0].Zonelist);
        Assert.Equal(new[] { 1, 0, 2 }, nodes[1].Zonelist);
        Assert.Equal(new[] { 2, 0, 1 }, nodes[2].Zonelist);
        Assert.Equal("2", sim.NodeResults()[0].DemotionTargets);
    }

    [Fact]
    public void Each_socket_demotes_to_its_nearest_PMEM_node_and_ties_keep_both()
    {
        // DRAM 0, 1; PMEM 2 near 0 (17) and 3 near 1 (17); the far pairs are 28.
        int[][] d = { new[] { 10, 21, 17, 28 }, new[] { 21, 10, 28, 17 }, new[] { 17, 28, 10, 28 }, new[] { 28, 17, 28, 10 } };
        var sim = Machine(new[] { Dram(0), Dram(1), Pmem(2), Pmem(3) }, d);
        Assert.Equal(new[] { 2 }, sim.Machine.Nodes[0].DemotionTargets);
        Assert.Equal(new[] { 3 }, sim.Machine.Nodes[1].DemotionTargets);
        Assert.Equal(new[] { 2, 3 }, sim.Machine.Nodes[0].LowerTierNodes);
        // Equidistant PMEM nodes are both preferred (next_demotion_node picks one at random).
        d[0][3] = d[3][0] = 17;
        sim = Machine(new[] { Dram(0), Dram(1), Pmem(2), Pmem(3) }, d);
        Assert.Equal(new[] { 2, 3 }, sim.Machine.Nodes[0].DemotionTargets);
        Assert.Equal("2,3", sim.NodeResults()[0].DemotionTargets);
    }

    [Fact]
    public void Three_tiers_demote_one_tier_at_a_time_and_only_tiers_with_CPUs_are_top()
    {
        // DRAM 0 (tier 4), a CXL expander with firmware adistance 1000 (tier 7), PMEM 2 (tier 22).
        var cxl = new NodeSpec(1, MemoryKind.Cxl, 4L << 20, abstractDistance: 1000);
        var sim = Machine(new[] { Dram(0), cxl, Pmem(2) }, null);
        var nodes = sim.Machine.Nodes;
        Assert.Equal(new[] { 4, 7, 22 }, nodes.Select(n => n.Spec.TierId));
        Assert.Equal(new[] { 1 }, nodes[0].DemotionTargets);
        Assert.Equal(new[] { 2 }, nodes[1].DemotionTargets);
        Assert.Empty(nodes[2].DemotionTargets);
        Assert.Equal(new[] { 1, 2 }, nodes[0].LowerTierNodes);
        Assert.Equal(new[] { true, false, false }, nodes.Select(n => n.IsTopTier));
        // Default distances (10 / 20) and both slow nodes CPU-less: the lower id first.
        Assert.Equal(new[] { 0, 1, 2 }, nodes[0].Zonelist);
        // A CXL node with CPUs makes its tier, and every faster one, top tier.
        var cxlWithCpus = new NodeSpec(1, MemoryKind.Cxl, 4L << 20, abstractDistance: 1000, memoryOnly: false);
        sim = Machine(new[] { Dram(0), cxlWithCpus, Pmem(2) }, null);
        Assert.Equal(new[] { true, true, false }, sim.Machine.Nodes.Select(n => n.IsTopTier));
        // With CPUs the CXL node pays PENALTY_FOR_NODE_WITH_CPUS: the CPU-less PMEM node comes first.
        Assert.Equal(new[] { 0, 2, 1 }, sim.Machine.Nodes[0].Zonelist);
    }

    [Fact]
    public void Bad_topologies_are_refused_with_the_reason()
    {
        var ex = Assert.Throws<System.ArgumentException>(() => Machine(new[] { Pmem(0) }, null));
        Assert.Contains("CPUs", ex.Message);
        ex = Assert.Throws<System.ArgumentException>(() => Machine(new[] { Dram(0), Pmem(2) }, null));
        Assert.Contains("ids", ex.Message);
        ex = Assert.Throws<System.ArgumentException>(() => Machine(new[] { Dram(0), Pmem(1) }, new[] { new[] { 10, 20 }, new[] { 20, 12 } }));
        Assert.Contains("itself", ex.Message);
        var task = new TaskSpec("t", new WorkloadSpec(WorkloadKind.Sequential), 4096, 0, node: 1);
        ex = Assert.Throws<System.ArgumentException>(() => new ScenarioSpec(new[] { new MemCgroupSpec("a", tasks: new[] { task }) },
            new RunOptions { Nodes = new[] { Dram(0), Pmem(1) } }));
        Assert.Contains("no CPUs", ex.Message);
        ex = Assert.Throws<System.ArgumentException>(() => new ScenarioSpec(new[] { new MemCgroupSpec("a", tasks: new[] { new TaskSpec("t", new WorkloadSpec(WorkloadKind.Sequential), 4096, 0) }) },
            new RunOptions { Nodes = new[] { Dram(0), Pmem(1) }, Policy = ReclaimPolicy.Lru }));
        Assert.Contains("exact LRU", ex.Message);
    }
}
