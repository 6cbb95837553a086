using System.Collections.Generic;
using System.Globalization;
using System.Text;
using MgLru.Engine.Cgroup;
using MgLru.Engine.Reclaim;
using MgLru.Engine.Scenario;

namespace MgLru.Engine.Stats;

/// <summary>One line of a memcg's memory.stat.</summary>
public sealed class MemoryStatEntry
{
    public MemoryStatEntry(string memcg, string key, long value)
    {
        Memcg = memcg;
        Key = key;
        Value = value;
    }

    public string Memcg { get; }
    /// <summary>The kernel's key (e.g. workingset_refault_anon).</summary>
    public string Key { get; }
    /// <summary>Bytes for sizes, pages (events) for counters, as the kernel prints them.</summary>
    public long Value { get; }
}

/// <summary>
/// memory.stat as cgroup v2 prints it (mm/memcontrol.c memory_stat_format): the keys the simulator models,
/// in the kernel's order and with the kernel's key set for the rule set (checked against the lab's 6.1 and
/// 6.12 dumps). 6.1 has no khugepaged, demotion, promotion or NUMA-hinting keys; proactive reclaim has its
/// own keys only from the V6_14 kernels on (before, it counts as direct: KernelRuleSet.ProactiveReclaimCounters).
/// </summary>
internal static class MemoryStat
{
    public static List<MemoryStatEntry> Entries(MemCgroup memcg, string name, LruPolicy policy, KernelRuleSet rules)
    {
        var (activeAnon, inactiveAnon, activeFile, inactiveFile) = policy.LruSizes(memcg);
        long dirtyFile = policy.DirtyFilePages(memcg);
        long P(long pages) => pages * Units.PageSize;
        long E(VmEvent e) => memcg.Events[(int)e];
        bool khugepagedAndTiering = rules.MemoryStatKhugepagedAndTieringKeys, proactive = rules.ProactiveReclaimCounters;
        var list = new List<MemoryStatEntry>();
        void Add(string key, long value) => list.Add(new MemoryStatEntry(name, key, value));
        // memory_stats[]: sizes, then the workingset and demotion/promotion node-stat items.
        Add("anon", P(activeAnon + inactiveAnon));
        Add("file", P(activeFile + inactiveFile));
        Add("kernel", P(memcg.OverheadPages));
        Add("file_mapped", P(policy.MappedFilePages(memcg)));
        Add("file_dirty", P(dirtyFile));
        Add("inactive_anon", P(inactiveAnon));
        Add("active_anon", P(activeAnon));
        Add("inactive_file", P(inactiveFile));
        Add("active_file", P(activeFile));
        Add("unevictable", P(policy.UnevictablePages(memcg)));
        Add("workingset_refault_anon", E(VmEvent.WorkingsetRefaultAnon));
        Add("workingset_refault_file", E(VmEvent.WorkingsetRefaultFile));
        Add("workingset_activate_anon", E(VmEvent.WorkingsetActivateAnon));
        Add("workingset_activate_file", E(VmEvent.WorkingsetActivateFile));
        Add("workingset_restore_anon", E(VmEvent.WorkingsetRestoreAnon));
        Add("workingset_restore_file", E(VmEvent.WorkingsetRestoreFile));
        Add("workingset_nodereclaim", E(VmEvent.WorkingsetNodeReclaim));
        if (khugepagedAndTiering)
        {
            Add("pgdemote_kswapd", E(VmEvent.PgDemoteKswapd));
            Add("pgdemote_direct", E(VmEvent.PgDemoteDirect));
            Add("pgdemote_khugepaged", 0);
            if (proactive) Add("pgdemote_proactive", E(VmEvent.PgDemoteProactive));
            Add("pgpromote_success", E(VmEvent.PgPromoteSuccess));
        }
        // memcg_vm_event_stat[]: pgscan and pgsteal summed over the reclaimers, then each.
        Add("pgscan", VmEventSums.PgScan(memcg.Events));
        Add("pgsteal", VmEventSums.PgSteal(memcg.Events));
        Add("pgscan_kswapd", E(VmEvent.PgScanKswapd));
        Add("pgscan_direct", E(VmEvent.PgScanDirect));
        if (khugepagedAndTiering) Add("pgscan_khugepaged", 0);
        if (proactive) Add("pgscan_proactive", E(VmEvent.PgScanProactive));
        Add("pgsteal_kswapd", E(VmEvent.PgStealKswapd));
        Add("pgsteal_direct", E(VmEvent.PgStealDirect));
        if (khugepagedAndTiering) Add("pgsteal_khugepaged", 0);
        if (proactive) Add("pgsteal_proactive", E(VmEvent.PgStealProactive));
        Add("pgfault", E(VmEvent.PgFault));
        Add("pgmajfault", E(VmEvent.PgMajFault));
        Add("pgrefill", E(VmEvent.PgRefill));
        Add("pgactivate", E(VmEvent.PgActivate));
        Add("pgdeactivate", E(VmEvent.PgDeactivate));
        Add("pglazyfreed", E(VmEvent.PgLazyFreed));
        if (khugepagedAndTiering) Add("numa_hint_faults", E(VmEvent.NumaHintFaults));
        return list;
    }

    /// <summary>
    /// memory.events (memory_events_show): low (global reclaim went below memory.low), high (memory.high is
    /// not modelled: 0), max (a charge met memory.max and reclaimed), oom and oom_kill (an OOM in the memcg
    /// kills a task each time), oom_group_kill (memory.oom.group is not modelled: 0).
    /// </summary>
    public static List<MemoryStatEntry> Events(MemCgroup memcg, string name)
    {
        long oom = memcg.Events[(int)VmEvent.OomKill];
        return new List<MemoryStatEntry>
        {
            new(name, "low", memcg.LowEvents),
            new(name, "high", 0),
            new(name, "max", memcg.MaxEvents),
            new(name, "oom", oom),
            new(name, "oom_kill", oom),
            new(name, "oom_group_kill", 0),
        };
    }

    public static string Text(IEnumerable<MemoryStatEntry> entries)
    {
        var sb = new StringBuilder();
        foreach (var e in entries) sb.Append(e.Key).Append(' ').Append(e.Value.ToString(CultureInfo.InvariantCulture)).Append('\n');
        return sb.ToString();
    }
}
