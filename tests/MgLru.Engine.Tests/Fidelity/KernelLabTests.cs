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
/// The kernel lab's anon-zipf run (shared/kernel-lab) replayed, against the real kernels' counters with
/// the fidelity targets: misses within 2 %, pgsteal within 3 %, pgscan within 15 %. Only the kernel × mode
/// pairs the engine meets today are here (README "Against the real kernel" has the full table); they
/// guard what has been reached.
/// </summary>
public sealed class KernelLabTests
{
    private static readonly Lazy<AccessTraceData> Trace = new(() =>
        TraceReader.Read(Path.Combine(Reference.SharedFolder(), "kernel-lab", "traces", "anon-zipf_s256.u32"), TraceFormat.U32));

    /// <summary>Mean of the lab's runs for one kernel and mode, per column.</summary>
    private static Dictionary<string, double> Lab(string kernel, int mode)
    {
        var lines = File.ReadAllLines(Path.Combine(Reference.SharedFolder(), "kernel-lab", "anon-zipf-results.csv"));
        var header = lines[0].Split(',');
        var runs = lines.Skip(1).Select(l => l.Split(','))
            .Where(f => f[0].StartsWith(kernel + "_", StringComparison.Ordinal) && f[3] == "0x" + mode.ToString("x4", CultureInfo.InvariantCulture))
            .ToArray();
        Assert.NotEmpty(runs);
        var mean = new Dictionary<string, double>();
        for (int c = 4; c < header.Length; c++)
            if (double.TryParse(runs[0][c], NumberStyles.Float, CultureInfo.InvariantCulture, out _))
                mean[header[c]] = runs.Average(f => double.Parse(f[c], CultureInfo.InvariantCulture));
        return mean;
    }

    [Theory]
    [InlineData("k6.1", 0, KernelRules.V6_1, true)]
    [InlineData("k6.12", 0, KernelRules.V6_14, true)]
    [InlineData("k6.12", 7, KernelRules.V6_14, true)]
    [InlineData("k6.12", 3, KernelRules.V6_14, true)]
    [InlineData("k6.12", 1, KernelRules.V6_14, false)] // pgscan is 23 % low: open work
    public void Replay_lands_on_the_kernels_counters(string kernel, int mode, KernelRules rules, bool checkScan)
    {
        var trace = Trace.Value;
        // 128 MiB memcg with the lab program's own ~370 pages, swappiness 60, 1 GiB zram, one CPU.
        var task = new TaskSpec("memwl", WorkloadSpec.FromTrace(trace.Pages), trace.FootprintPages * Scenarios.Page, 0);
        var cg = new MemCgroupSpec("lab", 128L << 20, tasks: new[] { task }, overheadBytes: 370 * Scenarios.Page);
        var options = new RunOptions
        {
            Policy = mode == 0 ? ReclaimPolicy.Classic : ReclaimPolicy.Mglru,
            LruGenEnabled = mode,
            Rules = rules,
            SwapBytes = 1L << 30,
            Swappiness = 60,
        };
        var sim = Engine.Simulation.Simulation.Create(new ScenarioSpec(new[] { cg }, options));
        sim.Run();
        var r = sim.Results().Single();
        var lab = Lab(kernel, mode);
        Assert.Equal(trace.Requests, r.Accesses);
        Assert.InRange(r.PgMajFault / lab["majflt"], 0.98, 1.02);
        Assert.InRange(r.PswpIn / lab["vm_pswpin"], 0.98, 1.02);
        Assert.InRange(r.PgSteal / lab["cg_pgsteal"], 0.97, 1.03);
        if (checkScan) Assert.InRange(r.PgScan / lab["cg_pgscan"], 0.85, 1.15);
        // One CPU, no node pressure: all reclaim is memcg direct reclaim, as in the lab.
        Assert.Equal(0, r.PgScanKswapd);
        Assert.Equal(r.PgScan, r.PgScanDirect);
    }
}
