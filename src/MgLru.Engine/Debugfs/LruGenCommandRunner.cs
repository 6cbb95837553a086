using MgLru.Engine.Reclaim;
using MgLru.Engine.Reclaim.Mglru;
using MgLru.Engine.Scenario;
using MgLru.Engine.Simulation;
using MgLru.Engine.Stats;

namespace MgLru.Engine.Debugfs;

/// <summary>Executes lru_gen debugfs commands (mm/vmscan.c run_cmd, run_aging, run_eviction).</summary>
internal sealed class LruGenCommandRunner
{
    private readonly Machine _m;
    private readonly MglruPolicy _policy;
    private readonly ScanControl _sc;

    public LruGenCommandRunner(Machine machine, MglruPolicy policy)
    {
        _m = machine;
        _sc = new ScanControl(machine.Rules.ProactiveReclaimCounters);
        _policy = policy;
    }

    /// <summary>Runs every command of a write in order; the first failure stops the write.</summary>
    public void Write(string input)
    {
        // run_aging / run_eviction and "max" swappiness changed with the 6.14 rework.
        bool v614 = _m.Rules.AgingFeedback2024;
        foreach (var text in LruGenCommand.Split(input))
        {
            var cmd = LruGenCommand.Parse(text, acceptMax: v614);
            Run(cmd, v614);
        }
    }

    private void Run(LruGenCommand cmd, bool v614)
    {
        if (cmd.Node < 0 || cmd.Node >= _m.Nodes.Length) throw new KernelWriteException("EINVAL", cmd.Text.Trim(), $"node {cmd.Node} has no memory");
        int index = cmd.MemcgId - 1;
        if (index < 0 || index >= _m.Memcgs.Count) throw new KernelWriteException("EINVAL", cmd.Text.Trim(), $"no memcg with id {cmd.MemcgId}");
        var memcg = _m.Memcgs[index];
        var l = memcg.Lruvecs[cmd.Node];
        // The debugfs scan_control: GFP_KERNEL, may write, unmap and swap; not cgroup reclaim.
        _sc.Reset(Reclaimer.Direct, null, long.MaxValue, maySwap: true, MglruPolicy.DefPriority);
        _sc.Node = cmd.Node;
        _sc.Zonelist = _m.Nodes[cmd.Node].Zonelist;
        int swappiness;
        if (cmd.Swappiness is int s)
        {
            if (s > MglruPolicy.MaxSwappiness + 1) throw new KernelWriteException("EINVAL", cmd.Text.Trim(), $"swappiness {s} is above 201");
            swappiness = s;
        }
        else swappiness = _policy.GetSwappiness(memcg, _sc);

        // lru_gen_seq_write allocates a walker before running commands and frees it after.
        _policy.HoldsWalker = true;
        try
        {
            if (cmd.Op == '+') RunAging(cmd, l, swappiness, v614);
            else RunEviction(cmd, l, swappiness, v614);
        }
        finally
        {
            _policy.HoldsWalker = false;
        }
        if (_m.Options.CheckInvariants) InvariantChecker.Check(_m, _policy);
    }

    private void RunAging(LruGenCommand cmd, Lruvec l, int swappiness, bool v614)
    {
        ulong maxSeq = (ulong)l.MaxSeq;
        bool forceScan = cmd.Opt is not ulong opt || opt != 0; // opt defaults to -1: force the scan
        if (v614)
        {
            if (cmd.Seq > maxSeq) throw new KernelWriteException("EINVAL", cmd.Text.Trim(), $"max_gen_nr {cmd.Seq} is above max_seq {maxSeq}");
            if (!_policy.TryToIncMaxSeq(l, l.MaxSeq, swappiness, forceScan, AgingTrigger.Debugfs, nameof(AgingTrigger.Debugfs)))
                throw new KernelWriteException("EEXIST", cmd.Text.Trim(), "another aging already created this generation");
            return;
        }
        if (cmd.Seq < maxSeq) return;
        if (cmd.Seq > maxSeq) throw new KernelWriteException("EINVAL", cmd.Text.Trim(), $"max_gen_nr {cmd.Seq} is above max_seq {maxSeq}");
        int baseType = swappiness == 0 ? Lruvec.File : Lruvec.Anon;
        if (!forceScan && l.MinSeq[baseType] + Lruvec.MaxNrGens - 1 <= l.MaxSeq)
            throw new KernelWriteException("ERANGE", cmd.Text.Trim(), "already at MAX_NR_GENS generations");
        _policy.TryToIncMaxSeq(l, l.MaxSeq, swappiness, forceScan, AgingTrigger.Debugfs, nameof(AgingTrigger.Debugfs));
    }

    private void RunEviction(LruGenCommand cmd, Lruvec l, int swappiness, bool v614)
    {
        ulong maxSeq = (ulong)l.MaxSeq;
        if (cmd.Seq + Lruvec.MinNrGens > maxSeq)
            throw new KernelWriteException("EINVAL", cmd.Text.Trim(), $"min_gen_nr {cmd.Seq} + 2 is above max_seq {maxSeq}: the two youngest generations can't be evicted");
        ulong nrToReclaim = cmd.Opt ?? ulong.MaxValue;
        _sc.NrToReclaim = nrToReclaim > long.MaxValue ? long.MaxValue : (long)nrToReclaim;
        while (true)
        {
            long min = v614 ? MglruPolicy.EvictableMinSeq(l, swappiness) : l.MinSeq[swappiness == 0 ? Lruvec.File : Lruvec.Anon];
            if ((long)cmd.Seq < min) return;
            if (_sc.NrReclaimed >= _sc.NrToReclaim) return;
            if (_policy.EvictFolios(l, _sc, swappiness, out _) == 0) return;
        }
    }
}
