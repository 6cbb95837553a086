using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Management.Automation;
using System.Reflection;
using System.Text.RegularExpressions;
using MgLru.Engine.Stats;
using MgLru.PowerShell.Model;

namespace MgLru.PowerShell.Commands;

/// <summary>
/// Compares two or more result rows (runs, or the rows of a sweep) metric by metric against the first:
/// the table a kernel engineer pastes into a patch cover letter.
/// </summary>
[Cmdlet(VerbsData.Compare, "Reclaim")]
[OutputType(typeof(ReclaimComparison))]
public sealed class CompareReclaimCommand : PSCmdlet
{
    /// <summary>Metrics compared by default, with the direction that is better (+1 higher, -1 lower, 0 neither).</summary>
    private static readonly (string Name, int Better)[] DefaultMetrics =
    {
        ("PgFault", -1), ("PgMajFault", -1), ("PswpIn", -1), ("PswpOut", -1), ("PgScan", -1), ("PgSteal", 0),
        ("WorkingsetRefaultAnon", -1), ("WorkingsetRefaultFile", -1), ("PgPromoteSuccess", 0), ("PgDemoteKswapd", 0),
        ("OomKill", -1), ("MissRatio", -1), ("ReclaimCpuMs", -1), ("KswapdCpuMs", -1), ("SimulatedMs", -1), ("OpsPerSecond", 1),
    };

    private static readonly Dictionary<string, PropertyInfo> Numeric = typeof(ReclaimResult).GetProperties()
        .Where(p => p.PropertyType == typeof(long) || p.PropertyType == typeof(int) || p.PropertyType == typeof(double) || p.PropertyType == typeof(ulong))
        .ToDictionary(p => p.Name, StringComparer.OrdinalIgnoreCase);

    private readonly List<ReclaimResult> _runs = new();

    /// <summary>The result rows to compare (from Invoke-Reclaim or Step-ReclaimSimulation); the first is the baseline.</summary>
    [Parameter(Mandatory = true, ValueFromPipeline = true, Position = 0)]
    [ValidateNotNull]
    public ReclaimResult[] InputObject { get; set; } = Array.Empty<ReclaimResult>();

    /// <summary>Names of the runs, in order; default: what differs between them (policy, rules, swappiness, seed, memcg).</summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    public string[]? Label { get; set; }

    /// <summary>Result properties to compare; default: faults, swap, scan/steal, refaults, migrations, OOM kills, miss ratio, CPU, time, throughput.</summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    [ArgumentCompleter(typeof(Infrastructure.ResultMetricCompleter))]
    public string[]? Metric { get; set; }

    protected override void ProcessRecord() => _runs.AddRange(InputObject);

    protected override void EndProcessing()
    {
        if (_runs.Count < 2)
        {
            ThrowTerminatingError(new ErrorRecord(new ArgumentException($"Compare-Reclaim needs at least two result rows; it got {_runs.Count}."), "NeedTwoRuns", ErrorCategory.InvalidArgument, _runs));
            return;
        }
        string[] labels;
        if (Label != null)
        {
            if (Label.Length != _runs.Count)
            {
                ThrowTerminatingError(new ErrorRecord(new ArgumentException($"-Label has {Label.Length} names for {_runs.Count} runs.", nameof(Label)), "LabelCountMismatch", ErrorCategory.InvalidArgument, Label));
                return;
            }
            labels = Label;
        }
        else labels = AutomaticLabels(_runs);

        var metrics = new List<(string Name, int Better)>();
        foreach (var name in Metric ?? DefaultMetrics.Select(m => m.Name).ToArray())
        {
            if (!Numeric.TryGetValue(name, out var property))
            {
                WriteError(new ErrorRecord(new ArgumentException($"'{name}' is not a numeric property of the result rows (for example PgMajFault, OpsPerSecond)."), "UnknownMetric", ErrorCategory.InvalidArgument, name));
                continue;
            }
            int better = DefaultMetrics.FirstOrDefault(m => m.Name == property.Name).Better;
            metrics.Add((property.Name, better));
        }
        foreach (var (name, better) in metrics)
        {
            var property = Numeric[name];
            var values = _runs.Select(r => Convert.ToDouble(property.GetValue(r), CultureInfo.InvariantCulture)).ToArray();
            for (int i = 1; i < values.Length; i++)
            {
                string verdict = better == 0 ? "" : values[i] == values[0] ? "equal"
                    : (values[i] > values[0]) == (better > 0) ? labels[i] : labels[0];
                WriteObject(new ReclaimComparison(name, labels[0], values[0], labels[i], values[i], verdict));
            }
        }
    }

    /// <summary>The configuration keys that differ between the runs, joined: "Mglru", "Classic_sw60", ...; Run1.. when none do.</summary>
    private static string[] AutomaticLabels(List<ReclaimResult> runs)
    {
        var keys = new (Func<ReclaimResult, string> Get, string Prefix)[]
        {
            (r => r.Memcg, ""), (r => r.Policy, ""), (r => r.KernelRules, ""), (r => r.LruGenEnabled, "en"),
            (r => r.Swappiness.ToString(CultureInfo.InvariantCulture), "sw"), (r => r.Seed.ToString(CultureInfo.InvariantCulture), "seed"),
        };
        var varying = keys.Where(k => runs.Select(k.Get).Distinct().Count() > 1).ToList();
        // The enabled bits follow the policy (Classic is 0x0000): name them only among runs of one policy.
        if (varying.Contains(keys[1])) varying.Remove(keys[3]);
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
}
