using System;
using System.Collections;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Management.Automation;
using System.Reflection;
using MgLru.Engine.Scenario;
using MgLru.PowerShell.Model;

namespace MgLru.PowerShell.Infrastructure;

/// <summary>
/// The parameters shared by Invoke-Reclaim and Start-ReclaimSimulation: the memcgs from the pipeline
/// and the run options, turned into the engine's immutable scenario.
/// </summary>
public abstract class ScenarioCommandBase : PSCmdlet
{
    private readonly List<MemCgroup> _cgroups = new();

    /// <summary>The memcgs to simulate together.</summary>
    [Parameter(Mandatory = true, ValueFromPipeline = true, ParameterSetName = "MemCgroups")]
    [ValidateNotNull]
    public MemCgroup[] InputObject { get; set; } = Array.Empty<MemCgroup>();

    /// <summary>A whole scenario from Import-ReclaimScenario: its memcgs and its run options, run exactly as exported.</summary>
    [Parameter(Mandatory = true, ValueFromPipeline = true, ParameterSetName = "Scenario")]
    [ValidateNotNull]
    public ReclaimScenario? Scenario { get; set; }

    /// <summary>The reclaim policy; several values sweep (one run each, Invoke-Reclaim only).</summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    public ReclaimPolicy[] Policy { get; set; } = { ReclaimPolicy.Mglru };

    /// <summary>Kernel rule set where versions differ: V6_1 (6.1.y from 6.1.69), V6_12 (6.12.y, to 6.13) or V6_14 (6.14+); several values sweep.</summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    public KernelRules[] KernelRules { get; set; } = { Engine.Scenario.KernelRules.V6_14 };

    /// <summary>Age by page-table walks (lru_gen enabled 0x0007) instead of rmap only (0x0001).</summary>
    [Parameter]
    public SwitchParameter PageTableWalk { get; set; }

    /// <summary>/sys/kernel/mm/lru_gen/enabled bits directly (0x1 core, 0x2 walks, 0x4 non-leaf young); overrides -PageTableWalk. 0 selects the classic LRU.</summary>
    [Parameter]
    [ValidateRange(0, 7)]
    public int LruGenEnabled { get; set; }

    /// <summary>Reclaimers aging a lruvec together (interleaved mm by mm); results do not depend on it.</summary>
    [Parameter]
    [ValidateRange(1, 64)]
    public int Walkers { get; set; } = 1;

    /// <summary>Walks ignore the mm bitmap, Bloom filters and non-leaf PMD bits (to measure what they save).</summary>
    [Parameter]
    public SwitchParameter WalkForceScan { get; set; }

    /// <summary>Look-around on the eviction path; -LookAround:$false turns it off.</summary>
    [Parameter]
    public SwitchParameter LookAround { get; set; } = true;

    /// <summary>The node's memory in bytes (1GB style works); below what the memcgs use, kswapd and global reclaim run. Default: enough for every memcg up to its limit.</summary>
    [Parameter]
    [ValidateRange(1L << 20, 1L << 42)]
    public long Memory { get; set; }

    /// <summary>Swap size in bytes (1GB style works). Default: no swap, as on a machine without swap.</summary>
    [Parameter]
    [ValidateRange(0L, 1L << 40)]
    public long Swap { get; set; }

    /// <summary>The swap device: Zram (compression, cheap reads) or Ssd.</summary>
    [Parameter]
    public SwapDeviceKind SwapDevice { get; set; } = SwapDeviceKind.Zram;

    /// <summary>vm.swappiness, 0..200; several values sweep.</summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    [ValidateRange(0, 200)]
    public int[] Swappiness { get; set; } = { 60 };

    /// <summary>/sys/kernel/mm/lru_gen/min_ttl_ms.</summary>
    [Parameter]
    [ValidateRange(0, int.MaxValue)]
    public int MinTtl { get; set; }

    /// <summary>The cost model from New-ReclaimCostModel; default: its documented defaults.</summary>
    [Parameter]
    [ValidateNotNull]
    public CostModel CostModel { get; set; } = CostModel.Default;

    /// <summary>The NUMA nodes from New-NumaNode, ids 0, 1, ... in order; default: one DRAM node (see -Memory).</summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    public NodeSpec[]? Node { get; set; }

    /// <summary>node_distance by node id (the SLIT): one row per node; default 10 to itself, 20 to any other.</summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    public int[][]? NodeDistance { get; set; }

    /// <summary>/sys/kernel/mm/numa/demotion_enabled: reclaim migrates folios to the next lower tier before swapping them.</summary>
    [Parameter]
    public SwitchParameter Demotion { get; set; }

    /// <summary>Current (anon and file are demoted) or Rfc2018 (only DRAM anon; lazy-free pages are freed, PMEM swaps).</summary>
    [Parameter]
    public DemotionMode DemotionMode { get; set; } = DemotionMode.Current;

    /// <summary>None, NumaBalancing (kernel.numa_balancing = 2) or Daemon (the 2018 RFC's user-space promoter).</summary>
    [Parameter]
    public PromotionMode Promotion { get; set; } = PromotionMode.None;

    /// <summary>kernel.numa_balancing_hot_threshold_ms.</summary>
    [Parameter]
    [ValidateRange(1, int.MaxValue)]
    public int HotThresholdMs { get; set; } = 1000;

    /// <summary>kernel.numa_balancing_promote_rate_limit_MBps, or the daemon's rate.</summary>
    [Parameter]
    [ValidateRange(1, int.MaxValue)]
    public int PromoteRateLimitMBps { get; set; } = 65536;

    /// <summary>How often each mm's NUMA scan runs (NumaBalancing) or the daemon runs, in simulated ms.</summary>
    [Parameter]
    [ValidateRange(1, int.MaxValue)]
    public int PromotionScanPeriodMs { get; set; } = 1000;

    /// <summary>Record a per-node timeline row every this many simulated ms (Get-ReclaimTimeline); 0: none.</summary>
    [Parameter]
    [ValidateRange(0, int.MaxValue)]
    public int TimelineIntervalMs { get; set; }

    /// <summary>Seed of every random choice; the same seed gives identical results; several values sweep.</summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    [ValidateRange(0L, long.MaxValue)]
    public long[] Seed { get; set; } = { 1 };

    /// <summary>
    /// A table of runs: one hashtable per run, keyed by this command's run options (Policy, KernelRules,
    /// PageTableWalk, LruGenEnabled, Swappiness, Seed, MinTtl, CostModel, ...), one value each; what a row
    /// leaves out comes from the command's own parameters. For combinations a product cannot express,
    /// such as rmap-only against walks against the classic LRU.
    /// </summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    public Hashtable[]? Run { get; set; }

    protected IReadOnlyList<MemCgroup> Cgroups => _cgroups;

    protected override void ProcessRecord()
    {
        foreach (var cg in InputObject)
            if (!_cgroups.Contains(cg)) _cgroups.Add(cg);
    }

    /// <summary>
    /// One scenario per combination of -Policy, -KernelRules, -Swappiness and -Seed, in that nesting order
    /// (policy outermost), without repeats; with -Run, one per row of the table, in order. Or a terminating
    /// InvalidScenario error naming what is wrong.
    /// </summary>
    protected IReadOnlyList<ScenarioSpec> BuildScenarios()
    {
        if (Scenario != null) return new[] { ScenarioFromFile(Scenario) };
        try
        {
            var specs = new List<MemCgroupSpec>();
            foreach (var cg in _cgroups)
            {
                if (cg.Tasks.Count == 0)
                    WriteWarning($"Memory cgroup '{cg.Name}' has no tasks; pipe it through Add-Task to give it some.");
                specs.Add(cg.ToSpec());
            }
            // Typically an earlier stage failed (its error is above) and passed nothing on.
            if (specs.Count == 0)
                throw new ArgumentException("No memory cgroup came down the pipeline: pipe New-MemCgroup | Add-Task into this command, or give -Scenario.", "InputObject");
            if (Run == null) return Combinations(specs, NoRowKeys);
            foreach (string sweep in SweepOptions)
                if (((Array)RunOption(sweep).GetValue(this)!).Length > 1)
                    throw new ArgumentException($"-Run gives each run its own options; -{sweep} with several values would sweep every row as well. Put the values in the rows instead.", sweep);
            // Each row is applied to this command's options and undone afterwards, so a row only changes what it names.
            var saved = RunOptionNames.ToDictionary(n => n, n => RunOption(n).GetValue(this), StringComparer.OrdinalIgnoreCase);
            var scenarios = new List<ScenarioSpec>();
            try
            {
                for (int i = 0; i < Run.Length; i++)
                {
                    foreach (var kv in saved) RunOption(kv.Key).SetValue(this, kv.Value);
                    scenarios.AddRange(Combinations(specs, ApplyRow(Run[i], i + 1)));
                }
            }
            finally
            {
                foreach (var kv in saved) RunOption(kv.Key).SetValue(this, kv.Value);
            }
            return scenarios;
        }
        catch (ArgumentException e)
        {
            ThrowTerminatingError(new ErrorRecord(e, "InvalidScenario", ErrorCategory.InvalidArgument, _cgroups));
            throw; // not reached: ThrowTerminatingError always throws
        }
    }

    private static readonly HashSet<string> NoRowKeys = new(StringComparer.OrdinalIgnoreCase);

    /// <summary>The options whose several values sweep.</summary>
    private static readonly string[] SweepOptions = { nameof(Policy), nameof(KernelRules), nameof(Swappiness), nameof(Seed) };

    /// <summary>The options a -Run row may set: every run option a scenario file fixes.</summary>
    private static IEnumerable<string> RunOptionNames => ScenarioFileKeeps.Where(n => n != nameof(Run));

    private PropertyInfo RunOption(string name) => typeof(ScenarioCommandBase).GetProperty(name, BindingFlags.Public | BindingFlags.Instance | BindingFlags.IgnoreCase)!;

    /// <summary>Sets this command's options from one -Run row (row numbers from 1); returns the keys it set.</summary>
    private HashSet<string> ApplyRow(Hashtable row, int number)
    {
        if (row == null) throw new ArgumentException($"-Run row {number} is empty.", nameof(Run));
        var keys = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        foreach (DictionaryEntry entry in row)
        {
            string key = Convert.ToString(entry.Key, CultureInfo.InvariantCulture) ?? "";
            if (!RunOptionNames.Contains(key, StringComparer.OrdinalIgnoreCase))
                throw new ArgumentException($"-Run row {number}: '{key}' is not a run option; a row may set {string.Join(", ", RunOptionNames)}.", nameof(Run));
            var property = RunOption(key);
            object? value = entry.Value is PSObject pso ? pso.BaseObject : entry.Value;
            object converted;
            try
            {
                converted = property.PropertyType == typeof(SwitchParameter)
                    ? new SwitchParameter(LanguagePrimitives.ConvertTo<bool>(value))
                    : LanguagePrimitives.ConvertTo(value, property.PropertyType, CultureInfo.InvariantCulture);
            }
            catch (PSInvalidCastException)
            {
                throw new ArgumentException($"-Run row {number}: {property.Name} = '{value}' is not a {Describe(property.PropertyType)}.", nameof(Run));
            }
            if (converted is Array array && array.Length != 1 && SweepOptions.Contains(property.Name))
                throw new ArgumentException($"-Run row {number}: {property.Name} takes one value in a row ({array.Length} given); give each value its own row.", nameof(Run));
            if (converted == null && property.GetCustomAttribute<ValidateNotNullAttribute>() != null)
                throw new ArgumentException($"-Run row {number}: {property.Name} cannot be empty.", nameof(Run));
            var range = property.GetCustomAttribute<ValidateRangeAttribute>();
            if (range != null)
                foreach (object item in converted is Array items ? items : new[] { converted })
                {
                    var comparable = (IComparable)item;
                    if (comparable.CompareTo(Convert.ChangeType(range.MinRange, item.GetType(), CultureInfo.InvariantCulture)) < 0
                        || comparable.CompareTo(Convert.ChangeType(range.MaxRange, item.GetType(), CultureInfo.InvariantCulture)) > 0)
                        throw new ArgumentException($"-Run row {number}: {property.Name} = {item} is outside {range.MinRange}..{range.MaxRange}.", nameof(Run));
                }
            property.SetValue(this, converted);
            keys.Add(property.Name);
        }
        return keys;
    }

    private static string Describe(Type type) =>
        type.IsArray ? Describe(type.GetElementType()!) : type.IsEnum ? $"{type.Name} ({string.Join(", ", Enum.GetNames(type))})" : type == typeof(SwitchParameter) ? "Boolean" : type.Name;

    /// <summary>The scenarios of the current option values; <paramref name="rowKeys"/>: the options a -Run row set, which count as given.</summary>
    private List<ScenarioSpec> Combinations(List<MemCgroupSpec> specs, HashSet<string> rowKeys)
    {
        // A row's own -PageTableWalk wins over the command's -LruGenEnabled; its own -LruGenEnabled over both.
        bool enabledGiven = rowKeys.Contains(nameof(LruGenEnabled))
            || (MyInvocation.BoundParameters.ContainsKey(nameof(LruGenEnabled)) && !rowKeys.Contains(nameof(PageTableWalk)));
        bool policyGiven = rowKeys.Contains(nameof(Policy)) || MyInvocation.BoundParameters.ContainsKey(nameof(Policy));
        int enabled = enabledGiven
            ? LruGenEnabled
            : PageTableWalk ? RunOptions.LruGenCore | RunOptions.LruGenMmWalk | RunOptions.LruGenNonleafYoung : RunOptions.LruGenCore;
        var policies = new List<ReclaimPolicy>();
        foreach (var requested in Policy)
        {
            var policy = requested;
            if (enabledGiven && LruGenEnabled == 0)
            {
                if (policyGiven && requested == ReclaimPolicy.Mglru)
                    throw new ArgumentException("-LruGenEnabled 0 turns the Multi-Gen LRU off; it contradicts -Policy Mglru.", nameof(LruGenEnabled));
                policy = ReclaimPolicy.Classic;
            }
            if (!policies.Contains(policy)) policies.Add(policy);
        }
        var scenarios = new List<ScenarioSpec>();
        foreach (var policy in policies)
            foreach (var rules in Distinct(KernelRules))
                foreach (var swappiness in Distinct(Swappiness))
                    foreach (var seed in Distinct(Seed))
                    {
                        var options = new RunOptions
                        {
                            Policy = policy,
                            Rules = rules,
                            LruGenEnabled = enabled,
                            LookAround = LookAround,
                            WalkForceScan = WalkForceScan,
                            Walkers = Walkers,
                            Swappiness = swappiness,
                            SwapBytes = Swap,
                            MemoryBytes = Memory,
                            Costs = CostModel,
                            SwapDevice = SwapDevice,
                            MinTtlMs = MinTtl,
                            Seed = (ulong)seed,
                            Nodes = Node,
                            NodeDistances = NodeDistance,
                            Demotion = Demotion,
                            DemotionMode = DemotionMode,
                            Promotion = Promotion,
                            HotThresholdMs = HotThresholdMs,
                            PromoteRateLimitMBps = PromoteRateLimitMBps,
                            PromotionScanPeriodMs = PromotionScanPeriodMs,
                            TimelineIntervalMs = TimelineIntervalMs,
                        };
                        scenarios.Add(new ScenarioSpec(specs, options));
                    }
        return scenarios;
    }

    /// <summary>
    /// A session variable (<c>$MgLruMemoryLimit = 8GB</c>) or environment variable (MGLRU_MEMORY_LIMIT_BYTES)
    /// that caps the memory MgLru may plan to use; default: the machine's.
    /// </summary>
    public const string MemoryLimitVariable = "MgLruMemoryLimit", MemoryLimitEnvironment = "MGLRU_MEMORY_LIMIT_BYTES";

    /// <summary>
    /// Refuses up front what would not fit: the scenarios' estimated allocation, <paramref name="concurrent"/>
    /// at a time, against three quarters of the machine's memory (or MGLRU_MEMORY_LIMIT_BYTES).
    /// </summary>
    protected void CheckMemory(IReadOnlyList<ScenarioSpec> scenarios, int concurrent)
    {
        long available = MemoryLimit();
        if (available <= 0) return;
        var estimates = new List<long>();
        foreach (var s in scenarios) estimates.Add(Engine.Simulation.Simulation.EstimatedBytes(s));
        estimates.Sort((a, b) => b.CompareTo(a));
        long need = 0;
        for (int i = 0; i < Math.Min(concurrent, estimates.Count); i++) need += estimates[i];
        if (need <= available / 4 * 3) return;
        string Gib(long b) => (b / (double)(1L << 30)).ToString("0.0", System.Globalization.CultureInfo.InvariantCulture);
        var e = new InsufficientMemoryException(
            $"Simulating this needs about {Gib(need)} GiB ({(concurrent > 1 ? concurrent.ToString(System.Globalization.CultureInfo.InvariantCulture) + " simulations at a time; " : "")}16 B per simulated frame, 4 B per virtual page and per page of a popularity ranking, 12 B per swap or page-cache slot), " +
            $"more than three quarters of the {Gib(available)} GiB available here. Shrink -Memory, -Rss or -Swap, or run fewer at once (-ThrottleLimit).");
        ThrowTerminatingError(new ErrorRecord(e, "ScenarioTooLarge", ErrorCategory.ResourceUnavailable, scenarios.Count == 1 ? (object)scenarios[0] : scenarios));
    }

    /// <summary>$MgLruMemoryLimit, MGLRU_MEMORY_LIMIT_BYTES, or the runtime's total available memory (GCMemoryInfo, .NET Core 3+); 0 when unknown.</summary>
    private long MemoryLimit()
    {
        object? session = SessionState.PSVariable.GetValue(MemoryLimitVariable);
        if (session is PSObject pso) session = pso.BaseObject;
        if (session is int or long or double) return Convert.ToInt64(session, System.Globalization.CultureInfo.InvariantCulture);
        string? limit = Environment.GetEnvironmentVariable(MemoryLimitEnvironment);
        if (!string.IsNullOrEmpty(limit) && long.TryParse(limit, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out long bytes)) return bytes;
        // Windows PowerShell 5.1 (.NET Framework) has no GCMemoryInfo: then nothing is refused.
        var info = typeof(GC).GetMethod("GetGCMemoryInfo", Type.EmptyTypes)?.Invoke(null, null);
        return info?.GetType().GetProperty("TotalAvailableMemoryBytes")?.GetValue(info) is long total ? total : 0;
    }

    /// <summary>Parameters a scenario file fixes itself: giving one with -Scenario is a contradiction.</summary>
    private static readonly HashSet<string> ScenarioFileKeeps = new(StringComparer.OrdinalIgnoreCase)
    {
        nameof(Policy), nameof(KernelRules), nameof(PageTableWalk), nameof(LruGenEnabled), nameof(Walkers), nameof(WalkForceScan), nameof(LookAround),
        nameof(Memory), nameof(Swap), nameof(SwapDevice), nameof(Swappiness), nameof(MinTtl), nameof(CostModel), nameof(Node), nameof(NodeDistance),
        nameof(Demotion), nameof(DemotionMode), nameof(Promotion), nameof(HotThresholdMs), nameof(PromoteRateLimitMBps), nameof(PromotionScanPeriodMs),
        nameof(TimelineIntervalMs), nameof(Seed), nameof(Run),
    };

    private ScenarioSpec ScenarioFromFile(ReclaimScenario scenario)
    {
        foreach (var name in MyInvocation.BoundParameters.Keys)
            if (ScenarioFileKeeps.Contains(name))
            {
                var e = new ArgumentException($"The scenario file '{scenario.Path}' fixes every run option; -{name} cannot be combined with -Scenario. Export the scenario again with the option changed.", name);
                ThrowTerminatingError(new ErrorRecord(e, "ScenarioFixesOptions", ErrorCategory.InvalidArgument, scenario));
            }
        return scenario.Spec;
    }

    /// <summary>The single scenario of a command that runs one configuration (one value per sweep parameter).</summary>
    protected ScenarioSpec BuildScenario()
    {
        var scenarios = BuildScenarios();
        if (scenarios.Count != 1)
        {
            var e = new ArgumentException($"{MyInvocation.MyCommand.Name} runs one configuration, but -Policy, -KernelRules, -Swappiness, -Seed and -Run give {scenarios.Count}; give each one value, or sweep with Invoke-Reclaim.");
            ThrowTerminatingError(new ErrorRecord(e, "OneConfigurationOnly", ErrorCategory.InvalidArgument, null));
        }
        return scenarios[0];
    }

    private static List<T> Distinct<T>(T[] values)
    {
        var list = new List<T>();
        foreach (var v in values)
            if (!list.Contains(v)) list.Add(v);
        return list;
    }
}
