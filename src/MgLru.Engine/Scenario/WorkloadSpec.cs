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

    /// <summary>Zipf exponent; ignored by the other kinds.</summary>
    public double Alpha { get; }

    /// <summary>Touch every page once, in order, before the sampled accesses (as a program initialising its heap does).</summary>
    public bool Populate { get; }

    /// <summary>Share of accesses that write (dirty the page): stores, or write() for FileRead.</summary>
    public double WriteFraction { get; }

    public override string ToString() => Kind == WorkloadKind.Zipf ? $"Zipf({Alpha:0.###})" : Kind.ToString();
}
