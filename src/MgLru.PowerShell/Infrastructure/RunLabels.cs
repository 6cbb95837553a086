using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Reflection;
using System.Text.RegularExpressions;
using MgLru.Engine.Stats;
using MgLru.PowerShell.Model;

namespace MgLru.PowerShell.Infrastructure;

/// <summary>Naming runs by what differs between them, and comparing them metric by metric (Compare-Reclaim, Export-MgLruReport).</summary>
internal static class RunLabels
{
    /// <summary>Metrics compared by default, with the direction that is better (+1 higher, -1 lower, 0 neither).</summary>
    public static readonly (string Name, int Better)[] DefaultMetrics =
    {
        ("PgFault", -1), ("PgMajFault", -1), ("PswpIn", -1), ("PswpOut", -1), ("PgScan", -1), ("PgSteal", 0),
        ("WorkingsetRefaultAnon", -1), ("WorkingsetRefaultFile", -1), ("PgPromoteSuccess", 0), ("PgDemoteKswapd", 0),
        ("OomKill", -1), ("MissRatio", -1), ("ReclaimCpuMs", -1), ("KswapdCpuMs", -1), ("SimulatedMs", -1), ("OpsPerSecond", 1),
    };

    /// <summary>The numeric properties of a result row, by name (case-insensitive).</summary>
    public static readonly Dictionary<string, PropertyInfo> Numeric = typeof(ReclaimResult).GetProperties()
        .Where(p => p.PropertyType == typeof(long) || p.PropertyType == typeof(int) || p.PropertyType == typeof(double) || p.PropertyType == typeof(ulong))
        .ToDictionary(p => p.Name, StringComparer.OrdinalIgnoreCase);

    public static int BetterDirection(string metric) => DefaultMetrics.FirstOrDefault(m => m.Name == metric).Better;

    public static double Value(ReclaimResult row, string metric) => Convert.ToDouble(Numeric[metric].GetValue(row), CultureInfo.InvariantCulture);

    /// <summary>The configuration keys that differ between the runs, joined: "Mglru", "Classic_sw60", ...; Run1.. when none do. Excel-safe and unique.</summary>
    public static string[] For(IReadOnlyList<ReclaimResult> runs)
    {
        var keys = new (Func<ReclaimResult, string> Get, string Prefix)[]
        {
            (r => r.Memcg, ""), (r => r.Policy, ""), (r => r.KernelRules, ""), (r => r.LruGenEnabled, "en"),
            (r => r.Swappiness.ToString(CultureInfo.InvariantCulture), "sw"), (r => r.Seed.ToString(CultureInfo.InvariantCulture), "seed"),
            (r => r.Nodes.ToString(CultureInfo.InvariantCulture), "n"), (r => r.Demotion, "dem"), (r => r.Promotion, "prom"),
        };
        var varying = keys.Where(k => runs.Select(k.Get).Distinct().Count() > 1).ToList();
        // The enabled bits follow the policy (Classic is 0x0000): name them only among runs of one policy.
        if (varying.Contains(keys[1])) varying.Remove(keys[3]);
        // Likewise tiering follows the machine: name demotion and promotion only among runs with as many nodes.
        if (varying.Contains(keys[6])) { varying.Remove(keys[7]); varying.Remove(keys[8]); }
        var labels = runs.Select((r, i) => varying.Count == 0 ? "Run" + (i + 1).ToString(CultureInfo.InvariantCulture)
            : string.Join("_", varying.Select(k => k.Prefix + k.Get(r)))).ToArray();
        // Excel-safe: letters, digits, underscores; never a cell address such as Gen1; unique.
        var seen = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        for (int i = 0; i < labels.Length; i++)
        {
            string l = Regex.Replace(labels[i], "[^A-Za-z0-9_]", "_");
            if (l.Length == 0 || char.IsDigit(l[0]) || Regex.IsMatch(l, "^[A-Za-z]{1,3}[0-9]+$")) l = "Run_" + l;
            string unique = l;
            for (int n = 2; !seen.Add(unique); n++) unique = l + "_" + n.ToString(CultureInfo.InvariantCulture);
            labels[i] = unique;
        }
        return labels;
    }

    /// <summary>Every metric of every run after the first against the first.</summary>
    public static IEnumerable<ReclaimComparison> Compare(IReadOnlyList<ReclaimResult> runs, IReadOnlyList<string> labels, IEnumerable<(string Name, int Better)> metrics)
    {
        foreach (var (name, better) in metrics)
        {
            var values = runs.Select(r => Value(r, name)).ToArray();
            for (int i = 1; i < values.Length; i++)
            {
                string verdict = better == 0 ? "" : values[i] == values[0] ? "equal"
                    : (values[i] > values[0]) == (better > 0) ? labels[i] : labels[0];
                yield return new ReclaimComparison(name, labels[0], values[0], labels[i], values[i], verdict);
            }
        }
    }
}
