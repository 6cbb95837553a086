using MgLru.Engine.Scenario;

namespace MgLru.Engine.Tests;

/// <summary>Small scenario builders shared by the engine tests.</summary>
internal static class Scenarios
{
    public const long Page = Units.PageSize;

    public static Engine.Simulation.Simulation Single(long limitPages, long rssPages, WorkloadSpec workload, long accesses,
        KernelRules rules = KernelRules.V6_14, int enabled = 1, long swapPages = 1 << 16, int swappiness = 60, bool check = true, ulong seed = 1)
    {
        var task = new TaskSpec("t", workload, rssPages * Page, accesses);
        var cg = new MemCgroupSpec("t", limitPages * Page, tasks: new[] { task });
        var options = new RunOptions
        {
            Rules = rules,
            LruGenEnabled = enabled,
            SwapBytes = swapPages * Page,
            Swappiness = swappiness,
            CheckInvariants = check,
            Seed = seed,
        };
        return Engine.Simulation.Simulation.Create(new ScenarioSpec(new[] { cg }, options));
    }
}
