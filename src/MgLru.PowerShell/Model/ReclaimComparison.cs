namespace MgLru.PowerShell.Model;

/// <summary>
/// One metric of one run against the baseline run (the first): both values, the absolute and percent
/// difference, and which run is better. Flat scalars, for Export-Csv, Export-Excel and Sort-Object.
/// </summary>
public sealed class ReclaimComparison
{
    public ReclaimComparison(string metric, string baselineRun, double baseline, string run, double value, string better)
    {
        Metric = metric;
        BaselineRun = baselineRun;
        Baseline = baseline;
        Run = run;
        Value = value;
        Difference = value - baseline;
        DifferencePct = baseline == 0 ? (value == 0 ? 0 : double.NaN) : 100.0 * (value - baseline) / baseline;
        Better = better;
    }

    /// <summary>The result property compared (PgMajFault, OpsPerSecond, ...).</summary>
    public string Metric { get; }
    /// <summary>Label of the baseline run (the first one given).</summary>
    public string BaselineRun { get; }
    public double Baseline { get; }
    /// <summary>Label of the run compared with the baseline.</summary>
    public string Run { get; }
    public double Value { get; }
    /// <summary>Value − Baseline.</summary>
    public double Difference { get; }
    /// <summary>Difference as a percentage of the baseline (NaN when the baseline is 0 and the value is not).</summary>
    public double DifferencePct { get; }
    /// <summary>The better run's label, "equal", or "" for metrics where neither direction is better.</summary>
    public string Better { get; }
}
