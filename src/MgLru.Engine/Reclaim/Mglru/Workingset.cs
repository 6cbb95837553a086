using MgLru.Engine.Cgroup;
using MgLru.Engine.Memory;
using MgLru.Engine.Reclaim;
using MgLru.Engine.Stats;

namespace MgLru.Engine.Reclaim.Mglru;

// Shadow entries and refault detection (mm/workingset.c lru_gen_eviction / lru_gen_refault).
internal sealed partial class MglruPolicy
{
    private const int LruRefsWidth = 2;

    /// <summary>
    /// lru_gen_eviction: count the eviction in evicted[type][tier] and build the shadow:
    /// token = min_seq &lt;&lt; LRU_REFS_WIDTH | max(refs - 1, 0), plus memcg id, node and the workingset bit.
    /// </summary>
    public override ulong Eviction(int frame)
    {
        uint flags = _frames.Flags[frame];
        var l = LruvecOf(frame);
        var memcg = _m.Memcgs[l.Memcg];
        int type = PageFlags.Type(flags);
        int refs = FolioLruRefs(flags);
        bool workingset = (flags & PageFlags.Workingset) != 0;
        int tier = TierFromRefs(refs, workingset);
        long minSeq = l.MinSeq[type];
        l.Evicted[type * Lruvec.MaxNrTiers + tier]++;
        ulong token = ((ulong)minSeq << LruRefsWidth) | (uint)(refs > 0 ? refs - 1 : 0);
        // 6.1 packs "refs != 0" as the workingset bit.
        bool shadowWorkingset = _rules.AgingFeedback2024 ? workingset : refs != 0;
        return ShadowEntry.Pack(token, memcg.KernelId, l.Node, shadowWorkingset);
    }

    /// <summary>
    /// lru_gen_refault: a page comes back. Counts workingset_* per the rule set, feeds refaulted[] for
    /// recent refaults and restores PG_workingset / refs on the new folio (flags returned).
    /// </summary>
    public override uint Refault(ulong shadow, MemCgroup memcg, int node, uint flags, bool inFault)
    {
        if (!ShadowEntry.IsValid(shadow)) return flags;
        int shadowMemcg = ShadowEntry.MemcgId(shadow);
        int shadowNode = ShadowEntry.Node(shadow);
        // Refaults into another memcg or node are ignored entirely.
        if (shadowMemcg != memcg.KernelId || shadowNode != node) return flags;
        var l = memcg.Lruvecs[node];
        int type = PageFlags.Type(flags);
        ulong token = ShadowEntry.Token(shadow);
        long evictedSeq = (long)(token >> LruRefsWidth);
        bool workingset = ShadowEntry.Workingset(shadow);
        var refaultEvent = type == Lruvec.Anon ? VmEvent.WorkingsetRefaultAnon : VmEvent.WorkingsetRefaultFile;
        var activateEvent = type == Lruvec.Anon ? VmEvent.WorkingsetActivateAnon : VmEvent.WorkingsetActivateFile;
        var restoreEvent = type == Lruvec.Anon ? VmEvent.WorkingsetRestoreAnon : VmEvent.WorkingsetRestoreFile;

        if (_rules.AgingFeedback2024)
        {
            memcg.Count(refaultEvent);
            long diff = l.MaxSeq - evictedSeq;
            if (diff < 0) diff = -diff;
            if (diff >= Lruvec.MaxNrGens) return flags;
            int refs = (int)(token & 3) + 1;
            int tier = TierFromRefs(refs, workingset);
            l.Refaulted[type * Lruvec.MaxNrTiers + tier]++;
            if (inFault) memcg.Count(activateEvent);
            if (workingset)
            {
                memcg.Count(restoreEvent);
                return flags | PageFlags.Workingset;
            }
            return (flags & ~PageFlags.RefsMask) | ((uint)(refs - 1) << PageFlags.RefsShift);
        }

        // Before 6.14 a refault is recent only if the generation it was evicted from is still the oldest.
        // 6.5+ counts every refault into the same lruvec, and activations for the recent ones; 6.1
        // counts recent refaults only (its activations are sort_folio's protections).
        bool recent = evictedSeq == l.MinSeq[type];
        if (_rules.WorkingsetAccountingFix) memcg.Count(refaultEvent);
        if (!recent) return flags;
        int refs61 = (int)(token & 3) + (workingset ? 1 : 0);
        l.Refaulted[type * Lruvec.MaxNrTiers + TierFromRefs(refs61, false)]++;
        memcg.Count(_rules.WorkingsetAccountingFix ? activateEvent : refaultEvent);
        if (inFault || refs61 >= 3)
        {
            memcg.Count(restoreEvent);
            return flags | PageFlags.RefsMask | PageFlags.Workingset;
        }
        return flags;
    }
}
