using MgLru.Engine.Cgroup;
using MgLru.Engine.Memory;
using MgLru.Engine.Simulation;
using MgLru.Engine.Stats;

namespace MgLru.Engine.Reclaim.Lru;

/// <summary>
/// One exact textbook LRU list per memcg over all its pages, no types: every access moves the page to
/// the head, reclaim evicts exactly the pages needed from the tail. Not a kernel policy: a reference
/// for cross-checking against cache simulators (libCacheSim's LRU gives the same miss ratio).
/// </summary>
internal sealed class ExactLruPolicy : LruPolicy
{
    private readonly long[] _sizes;

    public ExactLruPolicy(Machine machine, int memcgs) : base(machine) => _sizes = new long[memcgs];

    public static int ListCount(int lruvecs) => lruvecs + 4;

    public static int PrivateListIndex(int lruvecs) => lruvecs;

    /// <summary>Reclaim exactly what the charge needs, not SWAP_CLUSTER_MAX.</summary>
    public override long ReclaimBatch => 1;

    public int ListOf(int memcg) => _frames.Sentinel(memcg);

    public override void AddNewFolio(int frame)
    {
        uint flags = _frames.Flags[frame] | PageFlags.Lru;
        _frames.Flags[frame] = flags;
        int memcg = PageFlags.Memcg(flags);
        _sizes[memcg]++;
        _frames.AddHead(ListOf(memcg), frame);
    }

    public override void RemoveFolio(int frame)
    {
        uint flags = _frames.Flags[frame];
        _sizes[PageFlags.Memcg(flags)]--;
        _frames.Unlink(frame);
        _frames.Flags[frame] = flags & ~PageFlags.Lru;
    }

    /// <summary>A hit: move to the head of its memcg's list (the access loop calls this for every hit).</summary>
    public void Touch(int frame)
    {
        _frames.Unlink(frame);
        _frames.AddHead(_frames.Sentinel(PageFlags.Memcg(_frames.Flags[frame])), frame);
    }

    public override void MarkAccessed(int frame) => Touch(frame);

    /// <summary>Written back at reclaim's request: to the tail, evicted next.</summary>
    public override void RotateReclaimable(int frame)
    {
        _frames.Unlink(frame);
        _frames.Flags[frame] &= ~PageFlags.Active;
        _frames.AddTail(ListOf(PageFlags.Memcg(_frames.Flags[frame])), frame);
    }

    public override void ShrinkLruvec(MemCgroup memcg, ScanControl sc)
    {
        int head = ListOf(memcg.Index);
        int list = _m.IsolatedList;
        long wanted = sc.NrToReclaim - sc.NrReclaimed;
        long taken = 0;
        while (taken < wanted && !_frames.IsEmpty(head))
        {
            int f = _frames.Tail(head);
            RemoveFolio(f);
            _frames.AddHead(list, f);
            taken++;
        }
        memcg.Count(sc.ScanEvent, taken);
        memcg.Count(VmEvent.PgScanAnon, taken);
        long reclaimed = ShrinkFolioList(list, sc);
        MoveFoliosToLru(list);
        sc.NrReclaimed += reclaimed;
        memcg.Count(sc.StealEvent, reclaimed);
        memcg.Count(VmEvent.PgStealAnon, reclaimed);
    }

    /// <summary>The textbook LRU evicts its tail whatever its accessed bits say.</summary>
    protected override FolioReference CheckReferences(int frame, int referencedPtes) => FolioReference.Reclaim;

    /// <summary>The list order is the whole policy: no rmap walk (and no rmap time) per evicted page.</summary>
    protected override bool ChecksReferences => false;

    /// <summary>A page that could not be evicted (no swap slot) goes back to the head.</summary>
    protected override void PutBack(int frame)
    {
        _frames.Flags[frame] &= ~PageFlags.Active;
        AddNewFolio(frame);
    }

    public override ulong Eviction(int frame)
    {
        var memcg = _m.Memcgs[PageFlags.Memcg(_frames.Flags[frame])];
        return ShadowEntry.Pack(0, memcg.KernelId, 0, false);
    }

    /// <summary>Every swap-in is a refault; there is no activation.</summary>
    public override uint Refault(ulong shadow, MemCgroup memcg, int node, uint flags, bool inFault)
    {
        if (ShadowEntry.IsValid(shadow) && ShadowEntry.MemcgId(shadow) == memcg.KernelId)
            memcg.Count(PageFlags.Type(flags) == 0 ? VmEvent.WorkingsetRefaultAnon : VmEvent.WorkingsetRefaultFile);
        return flags;
    }

    public override (long ActiveAnon, long InactiveAnon, long ActiveFile, long InactiveFile) LruSizes(MemCgroup memcg)
        => (0, _sizes[memcg.Index], 0, 0);

    public override void CheckLists()
    {
        for (int memcg = 0; memcg < _sizes.Length; memcg++)
        {
            int head = ListOf(memcg);
            long n = 0;
            for (int f = _frames.Next[head]; f != head; f = _frames.Next[f])
            {
                if (++n > _frames.Capacity) throw new InvariantViolationException(4, "the LRU list is cyclic without its sentinel.");
                if (PageFlags.Memcg(_frames.Flags[f]) != memcg) throw new InvariantViolationException(4, $"frame {f} of memcg {PageFlags.Memcg(_frames.Flags[f])} is on memcg {memcg}'s list.");
            }
            if (n != _sizes[memcg]) throw new InvariantViolationException(6, $"memcg {memcg}: LRU size {_sizes[memcg]} but {n} pages on the list.");
        }
    }
}
