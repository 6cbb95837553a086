using System;

namespace MgLru.Engine.Scenario;

/// <summary>How a task touches its pages. Immutable.</summary>
public sealed class WorkloadSpec
{
    /// <summary>A workload; writeFraction defaults to every anonymous access storing and no file access writing.</summary>
    public WorkloadSpec(WorkloadKind kind, double alpha = 0.9, bool populate = true, double? writeFraction = null, MemoryBackend backend = MemoryBackend.Anon)
    {
        if (kind == WorkloadKind.Zipf && !(alpha > 0 && alpha <= 3))
            throw new ArgumentOutOfRangeException(nameof(alpha), alpha, "Zipf alpha must be in (0, 3].");
        if (writeFraction is double w && !(w >= 0 && w <= 1))
            throw new ArgumentOutOfRangeException(nameof(writeFraction), writeFraction, "Write fraction must be in [0, 1].");
        Kind = kind;
        Alpha = alpha;
        Populate = populate;
        // Anon accesses store by default; file accesses read (read() or loads) unless asked to write.
        WriteFraction = writeFraction ?? (backend == MemoryBackend.Anon ? 1.0 : 0.0);
        Backend = backend;
    }

    /// <summary>The same workload without a populate pass of its own (a phase of a Phases workload).</summary>
    internal WorkloadSpec(WorkloadSpec other)
    {
        Kind = other.Kind;
        Alpha = other.Alpha;
        Populate = false;
        WriteFraction = other.WriteFraction;
        Backend = other.Backend;
        Mean = other.Mean;
        StdDev = other.StdDev;
        HotFraction = other.HotFraction;
        HotProbability = other.HotProbability;
    }

    /// <summary>Normally distributed ranks: mean and standard deviation are fractions of the footprint.</summary>
    public static WorkloadSpec Gaussian(double mean = 0.5, double stdDev = 0.125, bool populate = true, double? writeFraction = null, MemoryBackend backend = MemoryBackend.Anon)
    {
        if (!(mean >= 0 && mean <= 1)) throw new ArgumentOutOfRangeException(nameof(mean), mean, "The mean is a fraction of the footprint, in [0, 1].");
        if (!(stdDev > 0 && stdDev <= 10)) throw new ArgumentOutOfRangeException(nameof(stdDev), stdDev, "The standard deviation is a positive fraction of the footprint.");
        return new WorkloadSpec(WorkloadKind.Gaussian, 0.9, populate, writeFraction, backend) { Mean = mean, StdDev = stdDev };
    }

    /// <summary>A hot set of <paramref name="hotFraction"/> of the pages taking <paramref name="hotProbability"/> of the accesses.</summary>
    public static WorkloadSpec HotCold(double hotFraction = 0.1, double hotProbability = 0.9, bool populate = true, double? writeFraction = null, MemoryBackend backend = MemoryBackend.Anon)
    {
        if (!(hotFraction > 0 && hotFraction < 1)) throw new ArgumentOutOfRangeException(nameof(hotFraction), hotFraction, "The hot fraction is in (0, 1).");
        if (!(hotProbability >= 0 && hotProbability <= 1)) throw new ArgumentOutOfRangeException(nameof(hotProbability), hotProbability, "The hot probability is in [0, 1].");
        return new WorkloadSpec(WorkloadKind.HotCold, 0.9, populate, writeFraction, backend) { HotFraction = hotFraction, HotProbability = hotProbability };
    }

    /// <summary>Workloads run in turn for the given numbers of accesses each (and round again).</summary>
    public static WorkloadSpec Phases(System.Collections.Generic.IReadOnlyList<WorkloadSpec> phases, System.Collections.Generic.IReadOnlyList<long> accesses, bool populate = true, MemoryBackend backend = MemoryBackend.Anon)
    {
        if (phases == null || phases.Count == 0) throw new ArgumentException("Phases needs at least one workload.", nameof(phases));
        if (accesses == null || accesses.Count != phases.Count) throw new ArgumentException("Give one number of accesses per phase.", nameof(accesses));
        foreach (var p in phases)
            if (p.Kind is WorkloadKind.Phases or WorkloadKind.Trace) throw new ArgumentException("A phase is a generated workload (not Phases or a trace).", nameof(phases));
        foreach (long a in accesses)
            if (a < 1) throw new ArgumentOutOfRangeException(nameof(accesses), a, "Each phase lasts at least one access.");
        return new WorkloadSpec(WorkloadKind.Phases, 0.9, populate, phases[0].WriteFraction, backend)
        {
            PhaseList = phases,
            PhaseAccesses = accesses,
        };
    }

    /// <summary>A workload that replays recorded page indexes in order (no populate pass of its own).</summary>
    public static WorkloadSpec FromTrace(uint[] pages, double? writeFraction = null, MemoryBackend backend = MemoryBackend.Anon)
    {
        if (pages == null) throw new ArgumentNullException(nameof(pages));
        return new WorkloadSpec(WorkloadKind.Trace, 1.0, populate: false, writeFraction, backend) { TracePages = (uint[])pages.Clone() };
    }

    /// <summary>Anonymous memory, a file read through a descriptor, or a shared file mapping.</summary>
    public MemoryBackend Backend { get; }

    public WorkloadKind Kind { get; }

    /// <summary>The page indexes of a Trace workload.</summary>
    public uint[]? TracePages { get; private init; }

    /// <summary>Gaussian: mean and standard deviation as fractions of the footprint.</summary>
    public double Mean { get; private init; } = 0.5;
    public double StdDev { get; private init; } = 0.125;

    /// <summary>HotCold: the share of pages that is hot, and the share of accesses that goes to them.</summary>
    public double HotFraction { get; private init; } = 0.1;
    public double HotProbability { get; private init; } = 0.9;

    /// <summary>Phases: the workloads, and how many accesses each lasts.</summary>
    public System.Collections.Generic.IReadOnlyList<WorkloadSpec>? PhaseList { get; private init; }
    public System.Collections.Generic.IReadOnlyList<long>? PhaseAccesses { get; private init; }

    /// <summary>Zipf exponent; ignored by the other kinds.</summary>
    public double Alpha { get; }

    /// <summary>Touch every page once, in order, before the sampled accesses (as a program initialising its heap does).</summary>
    public bool Populate { get; }

    /// <summary>Share of accesses that write (dirty the page): stores, or write() for FileRead.</summary>
    public double WriteFraction { get; }

    public override string ToString() => Kind switch
    {
        WorkloadKind.Zipf => FormattableString.Invariant($"Zipf({Alpha:0.###})"),
        WorkloadKind.Gaussian => FormattableString.Invariant($"Gaussian({Mean:0.###}, {StdDev:0.###})"),
        WorkloadKind.HotCold => FormattableString.Invariant($"HotCold({HotFraction:0.###}, {HotProbability:0.###})"),
        WorkloadKind.Phases => "Phases(" + string.Join(", ", PhaseList!) + ")",
        _ => Kind.ToString(),
    };
}
