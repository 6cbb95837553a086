using System;

namespace MgLru.Engine.Scenario;

/// <summary>The kind of memory a NUMA node holds; it sets the node's default abstract distance, CPUs and latencies.</summary>
public enum MemoryKind
{
    /// <summary>DRAM with CPUs: MEMTIER_ADISTANCE_DRAM (576, memory_tier4).</summary>
    Dram,
    /// <summary>Persistent memory (Optane DCPMM) onlined by dax/kmem: CPU-less, MEMTIER_DEFAULT_DAX_ADISTANCE (2880, memory_tier22).</summary>
    Pmem,
    /// <summary>A CXL memory expander onlined by dax/kmem: CPU-less, 2880 unless firmware (CDAT) says otherwise.</summary>
    Cxl,
}

/// <summary>One NUMA node of the simulated machine (pglist_data). Immutable.</summary>
public sealed class NodeSpec
{
    /// <summary>MEMTIER_ADISTANCE_DRAM = 4 × 128 + 64.</summary>
    public const int DramAbstractDistance = 4 * MemtierChunkSize + MemtierChunkSize / 2;
    /// <summary>MEMTIER_DEFAULT_DAX_ADISTANCE = 5 × MEMTIER_ADISTANCE_DRAM.</summary>
    public const int DaxAbstractDistance = 5 * DramAbstractDistance;
    /// <summary>MEMTIER_CHUNK_SIZE: one memory tier per 128 of abstract distance.</summary>
    public const int MemtierChunkSize = 1 << 7;
    /// <summary>Node ids 0..7 (the simulator's MAX_NUMNODES).</summary>
    public const int MaxNodes = 8;

    public NodeSpec(int id, MemoryKind kind, long capacityBytes, int? abstractDistance = null, bool? memoryOnly = null, int? readLatencyNs = null, int? writeLatencyNs = null)
    {
        if (id < 0 || id >= MaxNodes) throw new ArgumentOutOfRangeException(nameof(id), id, $"Node ids are 0 to {MaxNodes - 1}.");
        if (capacityBytes < 1L << 20) throw new ArgumentOutOfRangeException(nameof(capacityBytes), capacityBytes, "A node needs at least 1 MiB of memory.");
        if (abstractDistance is int a && (a < 0 || a >= 1 << 16)) throw new ArgumentOutOfRangeException(nameof(abstractDistance), a, "The abstract distance is 0 to 65535.");
        if (readLatencyNs is int r && r < 0) throw new ArgumentOutOfRangeException(nameof(readLatencyNs), r, "Latency cannot be negative.");
        if (writeLatencyNs is int w && w < 0) throw new ArgumentOutOfRangeException(nameof(writeLatencyNs), w, "Latency cannot be negative.");
        Id = id;
        Kind = kind;
        CapacityBytes = capacityBytes;
        AbstractDistance = abstractDistance ?? (kind == MemoryKind.Dram ? DramAbstractDistance : DaxAbstractDistance);
        MemoryOnly = memoryOnly ?? kind != MemoryKind.Dram;
        // Load-to-use latencies: DRAM ~80 ns; Optane DCPMM ~300 ns reads, ~100 ns writes (to the ADR
        // domain); a CXL expander ~200 ns either way (one link hop on top of its DRAM).
        ReadLatencyNs = readLatencyNs ?? kind switch { MemoryKind.Dram => 80, MemoryKind.Pmem => 300, _ => 200 };
        WriteLatencyNs = writeLatencyNs ?? kind switch { MemoryKind.Dram => 80, MemoryKind.Pmem => 100, _ => 200 };
    }

    public int Id { get; }
    public MemoryKind Kind { get; }
    public long CapacityBytes { get; }
    /// <summary>The node's abstract distance (adistance): larger is slower.</summary>
    public int AbstractDistance { get; }
    /// <summary>memory_tier id: adistance >> MEMTIER_CHUNK_BITS.</summary>
    public int TierId => AbstractDistance / MemtierChunkSize;
    /// <summary>No CPUs (N_CPU clear): tasks do not run here; a CPU-less slow tier is not top tier.</summary>
    public bool MemoryOnly { get; }
    public int ReadLatencyNs { get; }
    public int WriteLatencyNs { get; }
}
