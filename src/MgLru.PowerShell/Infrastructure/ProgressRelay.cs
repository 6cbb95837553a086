using System;
using System.Diagnostics;
using System.Management.Automation;
using MgLru.Engine.Simulation;

namespace MgLru.PowerShell.Infrastructure;

/// <summary>
/// Turns engine progress into WriteProgress records on the pipeline thread (the engine reports on the
/// thread that runs it): nothing for runs shorter than about a second, then at most every 250 ms,
/// and a Completed record at the end if anything was shown.
/// </summary>
internal sealed class ProgressRelay : IProgress<SimulationProgress>
{
    private readonly Cmdlet _cmdlet;
    private readonly int _activityId;
    private readonly string _activity;
    private readonly int _parentId;
    private readonly Stopwatch _clock = Stopwatch.StartNew();
    private long _lastMs = 750;
    private bool _reported;

    /// <summary>A progress bar; with <paramref name="parentActivityId"/>, nested under that one (a run of a sweep).</summary>
    public ProgressRelay(Cmdlet cmdlet, string activity, int activityId = 1, int parentActivityId = -1)
    {
        _cmdlet = cmdlet;
        _activity = activity;
        _activityId = activityId;
        _parentId = parentActivityId;
    }

    public void Report(SimulationProgress value)
    {
        long ms = _clock.ElapsedMilliseconds;
        if (ms - _lastMs < 250) return;
        _lastMs = ms;
        _reported = true;
        // No total yet: the simulation is still being built (frame table, page tables, generators).
        bool building = value.AccessesTotal == 0;
        _cmdlet.WriteProgress(new ProgressRecord(_activityId, _activity, building ? "setting up the simulation" :
            $"{value.AccessesDone:N0} of {value.AccessesTotal:N0} accesses, {value.SimulatedMs:N0} ms simulated, {value.Refaults:N0} refaults")
        {
            PercentComplete = building ? 0 : Math.Max(0, Math.Min(100, value.Percent)),
            ParentActivityId = _parentId,
        });
    }

    public void Complete()
    {
        if (!_reported) return;
        _reported = false;
        _cmdlet.WriteProgress(new ProgressRecord(_activityId, _activity, "Done") { RecordType = ProgressRecordType.Completed, ParentActivityId = _parentId });
    }
}
