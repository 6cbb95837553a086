using System;

namespace MgLru.Engine.Scenario;

/// <summary>
/// One more mapping (VMA) of a task's address space, after the one its workload's backend describes:
/// a task can hold anonymous memory, shared and private file mappings and a file it reads through a
/// descriptor side by side. Its accesses come from the task's workload, which spans every mapping in
/// order. Immutable.
/// </summary>
public sealed class VmaSpec
{
    public VmaSpec(MemoryBackend backend, long bytes, string? file = null, VmaFlags flags = VmaFlags.None, double? writeFraction = null)
    {
        if (bytes < Units.PageSize) throw new ArgumentOutOfRangeException(nameof(bytes), bytes, "A mapping needs at least one page (4096 bytes).");
        if (file != null && string.IsNullOrWhiteSpace(file)) throw new ArgumentException("A file needs a name.", nameof(file));
        if (file != null && backend == MemoryBackend.Anon) throw new ArgumentException("An anonymous mapping has no file.", nameof(file));
        if ((flags & VmaFlags.LazyFree) != 0 && backend != MemoryBackend.Anon) throw new ArgumentException("MADV_FREE (LazyFree) applies to anonymous memory only.", nameof(flags));
        if (writeFraction is double w && !(w >= 0 && w <= 1))
            throw new ArgumentOutOfRangeException(nameof(writeFraction), writeFraction, "Write fraction must be in [0, 1].");
        Backend = backend;
        Bytes = bytes;
        File = file;
        Flags = flags;
        WriteFraction = writeFraction ?? (backend == MemoryBackend.Anon ? 1.0 : 0.0);
    }

    public MemoryBackend Backend { get; }

    /// <summary>Size in bytes (rounded up to pages).</summary>
    public long Bytes { get; }

    public int Pages => (int)((Bytes + Units.PageSize - 1) / Units.PageSize);

    /// <summary>The file mapped or read; tasks naming one file share its page cache. Null: a file of its own.</summary>
    public string? File { get; }

    public VmaFlags Flags { get; }

    /// <summary>Share of this mapping's accesses that store (anonymous: all by default; files: none).</summary>
    public double WriteFraction { get; }
}
