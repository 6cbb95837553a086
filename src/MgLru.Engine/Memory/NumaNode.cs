using MgLru.Engine.Scenario;

namespace MgLru.Engine.Memory;

/// <summary>
/// One node at run time (struct pglist_data): its frames' watermarks, kswapd state, memory tier and
/// demotion targets, and its own vmstat counters (/sys/devices/system/node/nodeN/vmstat).
/// </summary>
internal sealed class NumaNode
{
    public NumaNode(NodeSpec spec, int frames)
    {
        Spec = spec;
        Id = spec.Id;
        Alone = new[] { spec.Id };
        Watermarks = new Watermarks(frames);
    }

    public int Id { get; }
    public NodeSpec Spec { get; }
    public Watermarks Watermarks { get; }
    public bool HasCpu => !Spec.MemoryOnly;

    /// <summary>pgdat->kswapd_failures.</summary>
    public int KswapdFailures;

    /// <summary>
    /// kswapd was woken but cannot run yet: the waker is inside reclaim (kswapd runs once that reclaim
    /// returns), or kswapd is still busy with its last run (it runs once its own clock is free).
    /// </summary>
    public bool KswapdPending;

    /// <summary>When the first of the wakes now pending came, in simulated ns (a busy kswapd starts on it no sooner).</summary>
    public long KswapdWokenAtNs;

    /// <summary>
    /// kswapd's own clock: when the work of its last run ends. kswapd is one thread on a CPU of its own, so
    /// it does at most a second of reclaim per simulated second; woken while busy, it runs after that.
    /// </summary>
    public long KswapdFreeAtNs;

    /// <summary>node_is_toptier: promotion only moves pages from nodes that are not.</summary>
    public bool IsTopTier;

    /// <summary>node_demotion[nid].preferred: the nearest nodes of the next lower tier; empty for the last tier.</summary>
    public int[] DemotionTargets = System.Array.Empty<int>();

    /// <summary>The memory tier's lower_tier_mask: every node of every lower tier (demotion's fallback set).</summary>
    public int[] LowerTierNodes = System.Array.Empty<int>();

    /// <summary>This node alone, as the zonelist of reclaim bound to it (kswapd, __GFP_THISNODE).</summary>
    public int[] Alone { get; }

    /// <summary>node_zonelists[ZONELIST_FALLBACK]: every node by distance from this one (build_zonelists).</summary>
    public int[] Zonelist = System.Array.Empty<int>();

    /// <summary>Per-node event counters, indexed by Stats.VmEvent.</summary>
    public readonly long[] Events = new long[(int)Stats.VmEvent.Count];

    public void Count(Stats.VmEvent e, long n = 1) => Events[(int)e] += n;
}
