using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Management.Automation;
using System.Threading;
using MgLru.Engine.Scenario;
using MgLru.Engine.Simulation;
using MgLru.Engine.Stats;
using MgLru.PowerShell.Model;

namespace MgLru.PowerShell.Commands;

/// <summary>
/// Runs one simulation over every memory cgroup it receives and emits one result row per cgroup,
/// with the kernel's counters (pgfault, pgmajfault, pgscan, pgsteal, workingset_*, ...).
/// </summary>
[Cmdlet(VerbsLifecycle.Invoke, "Reclaim")]
[OutputType(typeof(ReclaimResult))]
public sealed class InvokeReclaimCommand : PSCmdlet
{
    private readonly List<MemCgroup> _cgroups = new();
    private readonly CancellationTokenSource _cancel = new();

    /// <summary>The cgroups to simulate together.</summary>
    [Parameter(Mandatory = true, ValueFromPipeline = true)]
    [ValidateNotNull]
    public MemCgroup[] InputObject { get; set; } = Array.Empty<MemCgroup>();

    /// <summary>The reclaim policy.</summary>
    [Parameter]
    public ReclaimPolicy Policy { get; set; } = ReclaimPolicy.Mglru;

    /// <summary>Kernel rule set where MGLRU versions differ: V6_1 (6.1.69+ to 6.13) or V6_14 (6.14+).</summary>
    [Parameter]
    public KernelRules KernelRules { get; set; } = KernelRules.V6_14;

    /// <summary>Age by page-table walks (lru_gen enabled 0x0007) instead of rmap only (0x0001).</summary>
    [Parameter]
    public SwitchParameter PageTableWalk { get; set; }

    /// <summary>/sys/kernel/mm/lru_gen/enabled bits directly (0x1 core, 0x2 walks, 0x4 non-leaf young); overrides -PageTableWalk.</summary>
    [Parameter]
    [ValidateRange(1, 7)]
    public int LruGenEnabled { get; set; }

    /// <summary>Swap size in bytes (1GB style works). Default: no swap, as on a machine without swap.</summary>
    [Parameter]
    [ValidateRange(0L, 1L << 40)]
    public long Swap { get; set; }

    /// <summary>The swap device: Zram (compression, cheap reads) or Ssd.</summary>
    [Parameter]
    public SwapDeviceKind SwapDevice { get; set; } = SwapDeviceKind.Zram;

    /// <summary>vm.swappiness, 0..200.</summary>
    [Parameter]
    [ValidateRange(0, 200)]
    public int Swappiness { get; set; } = 60;

    /// <summary>/sys/kernel/mm/lru_gen/min_ttl_ms.</summary>
    [Parameter]
    [ValidateRange(0, int.MaxValue)]
    public int MinTtl { get; set; }

    /// <summary>Seed of every random choice; the same seed gives identical results.</summary>
    [Parameter]
    [ValidateRange(0L, long.MaxValue)]
    public long Seed { get; set; } = 1;

    protected override void ProcessRecord()
    {
        foreach (var cg in InputObject)
        {
            if (_cgroups.Contains(cg)) continue;
            _cgroups.Add(cg);
        }
    }

    protected override void EndProcessing()
    {
        ScenarioSpec scenario;
        try
        {
            var specs = new List<MemCgroupSpec>();
            foreach (var cg in _cgroups)
            {
                if (cg.Tasks.Count == 0)
                    WriteWarning($"Memory cgroup '{cg.Name}' has no tasks; pipe it through Add-Task to give it some.");
                specs.Add(cg.ToSpec());
            }
            int enabled = MyInvocation.BoundParameters.ContainsKey(nameof(LruGenEnabled))
                ? LruGenEnabled
                : PageTableWalk ? RunOptions.LruGenCore | RunOptions.LruGenMmWalk | RunOptions.LruGenNonleafYoung : RunOptions.LruGenCore;
            var options = new RunOptions
            {
                Policy = Policy,
                Rules = KernelRules,
                LruGenEnabled = enabled,
                Swappiness = Swappiness,
                SwapBytes = Swap,
                SwapDevice = SwapDevice,
                MinTtlMs = MinTtl,
                Seed = (ulong)Seed,
            };
            scenario = new ScenarioSpec(specs, options);
        }
        catch (ArgumentException e)
        {
            ThrowTerminatingError(new ErrorRecord(e, "InvalidScenario", ErrorCategory.InvalidArgument, _cgroups));
            return;
        }

        var simulation = Simulation.Create(scenario);
        var progress = new ProgressRelay(this, simulation.AccessesTotal);
        try
        {
            simulation.Run(progress, _cancel.Token);
        }
        catch (OperationCanceledException)
        {
            throw new PipelineStoppedException();
        }
        finally
        {
            progress.Complete();
        }
        foreach (var row in simulation.Results()) WriteObject(row);
    }

    protected override void StopProcessing() => _cancel.Cancel();

    /// <summary>Turns engine progress into throttled WriteProgress records on the pipeline thread.</summary>
    private sealed class ProgressRelay : IProgress<SimulationProgress>
    {
        private const int ActivityId = 1;
        private readonly PSCmdlet _cmdlet;
        private readonly long _total;
        private readonly Stopwatch _clock = Stopwatch.StartNew();
        private long _lastMs = 750; // first record after about a second: short runs show no progress
        private bool _reported;

        public ProgressRelay(PSCmdlet cmdlet, long total)
        {
            _cmdlet = cmdlet;
            _total = total;
        }

        public void Report(SimulationProgress value)
        {
            long ms = _clock.ElapsedMilliseconds;
            if (ms - _lastMs < 250) return;
            _lastMs = ms;
            _reported = true;
            _cmdlet.WriteProgress(new ProgressRecord(ActivityId, "Invoke-Reclaim: simulating", 
                $"{value.AccessesDone:N0} of {_total:N0} accesses, {value.SimulatedMs:N0} ms simulated, {value.Refaults:N0} refaults")
            {
                PercentComplete = Math.Min(100, value.Percent),
            });
        }

        public void Complete()
        {
            if (!_reported) return;
            _cmdlet.WriteProgress(new ProgressRecord(ActivityId, "Invoke-Reclaim: simulating", "Done")
            {
                RecordType = ProgressRecordType.Completed,
            });
        }
    }
}
