using System;
using System.Collections.Generic;
using System.Linq;
using System.Management.Automation;
using System.Threading;
using System.Threading.Tasks;
using MgLru.Engine.Scenario;
using MgLru.Engine.Simulation;
using MgLru.Engine.Stats;
using MgLru.PowerShell.Infrastructure;
using EngineSimulation = MgLru.Engine.Simulation.Simulation;

namespace MgLru.PowerShell.Commands;

/// <summary>
/// Runs one simulation over every memory cgroup it receives, to completion, and emits one result row
/// per cgroup with the kernel's counters (pgfault, pgmajfault, pgscan, pgsteal, workingset_*, ...).
/// Several values of -Policy, -KernelRules, -Swappiness or -Seed sweep: one independent simulation per
/// combination, run in parallel, rows emitted in combination order.
/// </summary>
[Cmdlet(VerbsLifecycle.Invoke, "Reclaim", DefaultParameterSetName = "MemCgroups")]
[OutputType(typeof(ReclaimResult))]
public sealed class InvokeReclaimCommand : ScenarioCommandBase
{
    private readonly CancellationTokenSource _cancel = new();

    /// <summary>How many simulations of a sweep run at once; default: one per processor.</summary>
    [Parameter]
    [ValidateRange(1, 256)]
    public int ThrottleLimit { get; set; } = Environment.ProcessorCount;

    protected override void EndProcessing()
    {
        var scenarios = BuildScenarios();
        CheckMemory(scenarios, Math.Min(ThrottleLimit, scenarios.Count));
        var runs = new SweepRun[scenarios.Count];
        for (int i = 0; i < runs.Length; i++) runs[i] = new SweepRun(scenarios[i]);
        int next = -1;
        void Worker()
        {
            int i;
            while ((i = Interlocked.Increment(ref next)) < runs.Length && !_cancel.IsCancellationRequested)
                runs[i].Execute(_cancel.Token);
        }
        // Each simulation is a pure function of its scenario (no shared state), so they run side by side;
        // the pipeline thread only waits and relays progress, since WriteProgress belongs to it.
        var workers = new Task[Math.Min(ThrottleLimit, runs.Length)];
        for (int w = 0; w < workers.Length; w++)
            workers[w] = Task.Factory.StartNew(Worker, CancellationToken.None, TaskCreationOptions.LongRunning, TaskScheduler.Default);
        string activity = runs.Length == 1 ? "Invoke-Reclaim: simulating" : $"Invoke-Reclaim: {runs.Length} simulations, {workers.Length} at a time";
        var relay = new ProgressRelay(this, activity);
        // A sweep also shows each running simulation as a bar nested under the sweep's.
        var children = runs.Length == 1 ? Array.Empty<ProgressRelay>() : runs.Select((r, i) => new ProgressRelay(this, r.Configuration, 2 + i, parentActivityId: 1)).ToArray();
        try
        {
            while (!Task.WaitAll(workers, 100))
            {
                relay.Report(SweepRun.Total(runs));
                for (int i = 0; i < children.Length; i++)
                {
                    if (runs[i].Finished) children[i].Complete();
                    else if (runs[i].Started) children[i].Report(runs[i].Latest);
                }
            }
        }
        finally
        {
            foreach (var child in children) child.Complete();
            relay.Complete();
        }
        if (_cancel.IsCancellationRequested) throw new PipelineStoppedException();
        foreach (var run in runs)
        {
            if (run.Failure != null)
            {
                string id = run.Failure is ArgumentException ? "InvalidScenario" : "SimulationFailed";
                var category = run.Failure is ArgumentException ? ErrorCategory.InvalidArgument : ErrorCategory.InvalidResult;
                ThrowTerminatingError(new ErrorRecord(run.Failure, id, category, run.Configuration));
            }
            foreach (var row in run.Results!) WriteObject(row);
        }
    }

    protected override void StopProcessing() => _cancel.Cancel();

    /// <summary>One configuration of a sweep: its simulation runs on a worker, its latest progress is read by the pipeline thread.</summary>
    private sealed class SweepRun : IProgress<SimulationProgress>
    {
        private readonly ScenarioSpec _scenario;
        private readonly object _gate = new();
        private SimulationProgress _latest;

        public SweepRun(ScenarioSpec scenario)
        {
            _scenario = scenario;
            var o = scenario.Options;
            Configuration = $"Policy={o.Policy}{(o.Policy == ReclaimPolicy.Mglru ? $" LruGenEnabled=0x{o.LruGenEnabled:x4}" : "")} KernelRules={o.Rules} Swappiness={o.Swappiness} Seed={o.Seed}";
        }

        public string Configuration { get; }
        public IReadOnlyList<ReclaimResult>? Results { get; private set; }
        public Exception? Failure { get; private set; }

        /// <summary>The run has reported progress at least once / has ended.</summary>
        public bool Started { get { lock (_gate) return _latest.AccessesTotal > 0; } }
        public volatile bool Finished;

        public SimulationProgress Latest { get { lock (_gate) return _latest; } }

        public void Execute(CancellationToken cancel)
        {
            try
            {
                var simulation = EngineSimulation.Create(_scenario, cancel);
                simulation.Run(this, cancel);
                Results = simulation.Results();
            }
            catch (OperationCanceledException)
            {
                // The pipeline stops; nothing of this run is emitted.
            }
            catch (Exception e)
            {
                Failure = e;
            }
            finally
            {
                Finished = true;
            }
        }

        public void Report(SimulationProgress value)
        {
            lock (_gate) _latest = value;
        }

        /// <summary>
        /// The sweep's progress: accesses summed over every run, simulated time of the furthest. Every run
        /// has the same memcgs and tasks, so a run that has not reported yet counts with the largest total seen.
        /// </summary>
        public static SimulationProgress Total(SweepRun[] runs)
        {
            long done = 0, perRun = 0, refaults = 0;
            double ms = 0;
            foreach (var run in runs)
            {
                SimulationProgress p;
                lock (run._gate) p = run._latest;
                done += p.AccessesDone;
                perRun = Math.Max(perRun, p.AccessesTotal);
                refaults += p.Refaults;
                ms = Math.Max(ms, p.SimulatedMs);
            }
            return new SimulationProgress(done, perRun * runs.Length, ms, refaults);
        }
    }
}
