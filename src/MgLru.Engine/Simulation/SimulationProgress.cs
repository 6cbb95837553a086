namespace MgLru.Engine.Simulation;

/// <summary>A progress snapshot a long run reports to its caller.</summary>
public readonly struct SimulationProgress
{
    public SimulationProgress(long accessesDone, long accessesTotal, double simulatedMs, long refaults)
    {
        AccessesDone = accessesDone;
        AccessesTotal = accessesTotal;
        SimulatedMs = simulatedMs;
        Refaults = refaults;
    }

    public long AccessesDone { get; }
    public long AccessesTotal { get; }
    public double SimulatedMs { get; }
    public long Refaults { get; }
    public int Percent => AccessesTotal == 0 ? 100 : (int)(AccessesDone * 100 / AccessesTotal);
}
