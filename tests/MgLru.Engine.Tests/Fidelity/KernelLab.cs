using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Linq;
using MgLru.Engine.Scenario;
using MgLru.Engine.Workloads;
using Xunit;

namespace MgLru.Engine.Tests.Fidelity;

/// <summary>
/// The kernel lab (shared/kernel-lab) as the fidelity tests read it: its workloads (a results csv with a
/// trace beside it), the csv's runs, and a run set up for replay the way the lab ran it.
/// </summary>
internal static class KernelLab
{
    public static string Folder => Path.Combine(Reference.SharedFolder(), "kernel-lab");

    public sealed record LabRow(string Kernel, int Mode, long LimitBytes, Dictionary<string, double> Values);

    private static readonly Dictionary<string, (AccessTraceData Trace, MemwlRun Run, List<LabRow> Rows)> Loaded = new();

    /// <summary>The lab's workloads: each results file that has its trace.</summary>
    public static IEnumerable<string> Workloads()
    {
        foreach (string csv in Directory.GetFiles(Folder, "*-results.csv").OrderBy(f => f, StringComparer.Ordinal))
        {
            string name = Path.GetFileName(csv);
            name = name.Substring(0, name.Length - "-results.csv".Length);
            if (TracePath(name) != null) yield return name;
        }
    }

    private static string? TracePath(string workload)
    {
        string dir = Path.Combine(Folder, "traces");
        if (!Directory.Exists(dir)) return null;
        return Directory.GetFiles(dir, workload + "_s*.u32").Concat(Directory.GetFiles(dir, workload + "_s*.u32.zst"))
            .OrderBy(f => f, StringComparer.Ordinal).FirstOrDefault();
    }

    /// <summary>A workload's trace, its memwl run description and the csv's runs (read once).</summary>
    public static (AccessTraceData Trace, MemwlRun Run, List<LabRow> Rows) Load(string workload)
    {
        lock (Loaded)
        {
            if (Loaded.TryGetValue(workload, out var done)) return done;
            var trace = TraceReader.Read(TracePath(workload)!, TraceFormat.U32);
            Assert.True(MemwlRun.TryRead(trace.Path, trace.Requests, out var run), $"{workload}: no memwl description beside the trace");
            var lines = File.ReadAllLines(Path.Combine(Folder, workload + "-results.csv"));
            var header = lines[0].Split(',');
            int Col(string name) => Array.IndexOf(header, name);
            var rows = new List<LabRow>();
            foreach (var line in lines.Skip(1).Where(l => l.Length > 0))
            {
                var f = line.Split(',');
                var values = new Dictionary<string, double>(StringComparer.Ordinal);
                for (int c = 0; c < header.Length && c < f.Length; c++)
                    if (double.TryParse(f[c], NumberStyles.Float, CultureInfo.InvariantCulture, out double v)) values[header[c]] = v;
                string kernel = f[Col("run")].Split('_')[0];
                int mode = Convert.ToInt32(f[Col("mode_eff")], 16);
                rows.Add(new LabRow(kernel, mode, ParseSize(f[Col("limit")]), values));
            }
            return Loaded[workload] = (trace, run, rows);
        }
    }

    public static long ParseSize(string text)
    {
        int shift = char.ToUpperInvariant(text[text.Length - 1]) switch { 'K' => 10, 'M' => 20, 'G' => 30, _ => 0 };
        string digits = shift == 0 ? text : text.Substring(0, text.Length - 1);
        return long.Parse(digits, CultureInfo.InvariantCulture) << shift;
    }

    /// <summary>The rule set of a lab kernel: 6.1.y, 6.2–6.13 (6.12's rules), 6.14 and later.</summary>
    public static KernelRules RulesOf(string kernel)
    {
        var v = kernel.TrimStart('k').Split('.');
        int minor = int.Parse(v[1], CultureInfo.InvariantCulture);
        return minor <= 1 ? KernelRules.V6_1 : minor < 14 ? KernelRules.V6_12 : KernelRules.V6_14;
    }

    /// <summary>The lab run set up for replay: its memcg limit and program overhead, 1 GiB zram, swappiness 60, one CPU, the lab VM's clock.</summary>
    public static Engine.Simulation.Simulation CreateReplay(string workload, KernelRules rules, int mode, long limitBytes)
    {
        var (trace, run, _) = Load(workload);
        var task = new TaskSpec("memwl", WorkloadSpec.FromTrace(trace.Pages, backend: run.Backend), trace.FootprintPages * Scenarios.Page, 0,
            vmaFlags: run.Advice, memoryStatReads: run.StatReads);
        var cg = new MemCgroupSpec("lab", limitBytes, tasks: new[] { task }, overheadBytes: run.OverheadPages * Scenarios.Page);
        var options = new RunOptions
        {
            Policy = mode == 0 ? ReclaimPolicy.Classic : ReclaimPolicy.Mglru,
            LruGenEnabled = mode,
            Rules = rules,
            SwapBytes = 1L << 30,
            Swappiness = 60,
            Costs = run.CostModel, // the lab VM's clock: its 2 s stats flushes fall where they fell in the lab
        };
        return Engine.Simulation.Simulation.Create(new ScenarioSpec(new[] { cg }, options));
    }

    /// <summary>memory.max of a kernel's runs of a mode (the csv's limit column).</summary>
    public static long Limit(string workload, string kernel, int mode) => Load(workload).Rows.First(r => r.Kernel == kernel && r.Mode == mode).LimitBytes;

    /// <summary>Mean of the lab's runs of one kernel and mode; NaN when the column is missing.</summary>
    public static double Mean(string workload, string kernel, int mode, string column)
    {
        var runs = Load(workload).Rows.Where(r => r.Kernel == kernel && r.Mode == mode && r.Values.ContainsKey(column)).ToList();
        return runs.Count == 0 ? double.NaN : runs.Average(r => r.Values[column]);
    }
}
