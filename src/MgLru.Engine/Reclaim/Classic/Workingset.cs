using MgLru.Engine.Cgroup;
using MgLru.Engine.Memory;
using MgLru.Engine.Stats;

namespace MgLru.Engine.Reclaim.Classic;

// Refault distance (mm/workingset.c workingset_eviction / workingset_refault / workingset_test_recent).
internal sealed partial class ClassicPolicy
{
    /// <summary>workingset_eviction: the token is the lruvec's non-resident age, which the eviction then ticks.</summary>
    public override ulong Eviction(int frame)
    {
        uint flags = _frames.Flags[frame];
        var memcg = _m.Memcgs[PageFlags.Memcg(flags)];
        int node = _frames.NodeOf(frame);
        var l = _lruvecs[memcg.Index * _nodes + node];
        ulong token = (ulong)l.NonresidentAge;
        l.NonresidentAge++;
        return ShadowEntry.Pack(token, memcg.KernelId, node, (flags & PageFlags.Workingset) != 0);
    }

    /// <summary>
    /// workingset_refault: count the refault in the faulting memcg; activate it when its refault distance
    /// (evictions and activations since) fits in the eviction lruvec's workingset; restore PG_workingset.
    /// </summary>
    public override uint Refault(ulong shadow, MemCgroup memcg, int node, uint flags, bool inFault)
    {
        if (!ShadowEntry.IsValid(shadow)) return flags;
        var evictionMemcg = ShadowOwner(shadow);
        if (evictionMemcg == null) return flags;
        bool file = PageFlags.Type(flags) == 1;
        memcg.Count(file ? VmEvent.WorkingsetRefaultFile : VmEvent.WorkingsetRefaultAnon);
        // The eviction lruvec: the memcg and node the shadow names (workingset_refault's eviction_lruvec).
        int evictionNode = ShadowEntry.Node(shadow);
        if (evictionNode >= _nodes) return flags;
        var el = _lruvecs[evictionMemcg.Index * _nodes + evictionNode];
        long distance = (long)((ulong)el.NonresidentAge - ShadowEntry.Token(shadow) & ShadowEntry.TokenMask);
        long[] sizes = StatSizes(el, evictionMemcg);
        long workingsetSize = sizes[ClassicLruvec.ActiveFile];
        if (!file) workingsetSize += sizes[ClassicLruvec.InactiveFile];
        if (_m.Swap != null && _m.Swap.FreeSlots > 0)
        {
            workingsetSize += sizes[ClassicLruvec.ActiveAnon];
            if (file) workingsetSize += sizes[ClassicLruvec.InactiveAnon];
        }
        if (distance > workingsetSize) return flags;
        var l = _lruvecs[memcg.Index * _nodes + node];
        flags |= PageFlags.Active;
        l.NonresidentAge++;
        memcg.Count(file ? VmEvent.WorkingsetActivateFile : VmEvent.WorkingsetActivateAnon);
        if (ShadowEntry.Workingset(shadow))
        {
            flags |= PageFlags.Workingset;
            // lru_note_cost_refault: a refault of a workingset page is IO the type paid for.
            NoteCost(l, file, _rules.CostCountsIoAndRotations ? SwapClusterMax : 1);
            memcg.Count(file ? VmEvent.WorkingsetRestoreFile : VmEvent.WorkingsetRestoreAnon);
        }
        return flags;
    }
}
