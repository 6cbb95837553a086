using System;
using System.Collections.Generic;
using System.Linq;
using MgLru.Engine.Memory;

namespace MgLru.Engine.Tiering;

/// <summary>
/// mm/memory-tiers.c and the fallback order of mm/page_alloc.c: nodes grouped into tiers by abstract
/// distance, each node's demotion targets and lower-tier set, the top tiers, and the zonelists.
/// </summary>
internal static class MemoryTiers
{
    public const int LocalDistance = 10;
    public const int RemoteDistance = 20;

    /// <summary>node_distance: the given matrix, or 10 to itself and 20 to any other node.</summary>
    public static int[][] Distances(int nodes, int[][]? given)
    {
        if (given != null) return given;
        var d = new int[nodes][];
        for (int i = 0; i < nodes; i++)
        {
            d[i] = new int[nodes];
            for (int j = 0; j < nodes; j++) d[i][j] = i == j ? LocalDistance : RemoteDistance;
        }
        return d;
    }

    /// <summary>Fills every node's tier facts: establish_demotion_targets, node_is_toptier, build_zonelists.</summary>
    public static void Establish(NumaNode[] nodes, int[][] distance)
    {
        // Tiers in order of abstract distance (memory_tiers list), each the set of its nodes.
        var tiers = nodes.GroupBy(n => n.Spec.TierId).OrderBy(g => g.Key).Select(g => g.Select(n => n.Id).ToArray()).ToList();
        var tierIds = nodes.Select(n => n.Spec.TierId).Distinct().OrderBy(t => t).ToList();
        // top_tier_adistance: the end of the slowest tier that holds a node with CPUs.
        int topTierEnd = nodes.Where(n => n.HasCpu).Max(n => n.Spec.TierId * Scenario.NodeSpec.MemtierChunkSize + Scenario.NodeSpec.MemtierChunkSize - 1);
        for (int t = 0; t < tiers.Count; t++)
        {
            var lower = tiers.Skip(t + 1).SelectMany(x => x).OrderBy(x => x).ToArray();
            foreach (int id in tiers[t])
            {
                var node = nodes[id];
                node.IsTopTier = tierIds[t] * Scenario.NodeSpec.MemtierChunkSize <= topTierEnd;
                node.LowerTierNodes = lower;
                if (t + 1 < tiers.Count)
                {
                    // preferred: the nodes of the next tier at the smallest distance from this node (ties all kept).
                    var next = tiers[t + 1];
                    int best = next.Min(n => distance[id][n]);
                    node.DemotionTargets = next.Where(n => distance[id][n] == best).OrderBy(n => n).ToArray();
                }
                else node.DemotionTargets = Array.Empty<int>();
            }
        }
        foreach (var node in nodes)
        {
            // find_next_best_node: the local node, then by distance + 1 for a lower id + 1 for a node with
            // CPUs (PENALTY_FOR_NODE_WITH_CPUS), ties to the lower id.
            int self = node.Id;
            node.Zonelist = nodes.Select(n => n.Id)
                .OrderBy(n => n == self ? int.MinValue : distance[self][n] + (n < self ? 1 : 0) + (nodes[n].HasCpu ? 1 : 0))
                .ThenBy(n => n)
                .ToArray();
        }
    }
}
