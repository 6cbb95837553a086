using System;
using MgLru.Engine.Scenario;

namespace MgLru.Engine.Workloads;

/// <summary>
/// Produces a task's page accesses: an optional in-order populate pass, then samples of the
/// workload's distribution. Deterministic for a given seed.
/// </summary>
internal sealed class AccessGenerator
{
    private readonly WorkloadSpec _spec;
    private readonly int _pages;
    private readonly long _populate;
    private readonly long _total;
    private readonly ZipfSampler? _zipf;
    private readonly int[]? _rankToPage;
    private readonly uint _writeThreshold;
    private Xoshiro256StarStar _rng;
    private long _issued;

    public AccessGenerator(WorkloadSpec spec, int pages, long accesses, ulong seed)
    {
        _spec = spec;
        _pages = pages;
        _populate = spec.Populate ? pages : 0;
        _total = spec.Kind == WorkloadKind.Trace ? spec.TracePages!.Length : _populate + accesses;
        _rng = new Xoshiro256StarStar(seed);
        _writeThreshold = spec.WriteFraction >= 1.0 ? uint.MaxValue : (uint)(spec.WriteFraction * uint.MaxValue);
        if (spec.Kind == WorkloadKind.Zipf)
        {
            _zipf = new ZipfSampler(pages, spec.Alpha);
            // Popular ranks are scattered over the mapping, as a hash table's hot keys are.
            _rankToPage = new int[pages];
            for (int i = 0; i < pages; i++) _rankToPage[i] = i;
            for (int i = pages - 1; i > 0; i--)
            {
                int j = (int)_rng.NextUInt32((uint)(i + 1));
                (_rankToPage[i], _rankToPage[j]) = (_rankToPage[j], _rankToPage[i]);
            }
        }
    }

    public long Total => _total;
    public long Issued => _issued;
    public bool Done => _issued >= _total;

    /// <summary>Next page index in [0, pages); <paramref name="write"/> tells whether it stores.</summary>
    public int Next(out bool write)
    {
        long i = _issued++;
        if (i < _populate)
        {
            // The populate pass initialises anonymous memory with stores and reads files in.
            write = _spec.Backend == MemoryBackend.Anon || _spec.WriteFraction >= 1.0;
            return (int)i;
        }
        write = _writeThreshold == uint.MaxValue || (_writeThreshold != 0 && (uint)(_rng.NextUInt64() >> 32) < _writeThreshold);
        switch (_spec.Kind)
        {
            case WorkloadKind.Sequential:
                return (int)((i - _populate) % _pages);
            case WorkloadKind.Uniform:
                return (int)_rng.NextUInt32((uint)_pages);
            case WorkloadKind.Zipf:
                return _rankToPage![_zipf!.Sample(ref _rng) - 1];
            case WorkloadKind.Trace:
                return (int)(_spec.TracePages![i] % (uint)_pages);
            default:
                throw new InvalidOperationException("Unknown workload kind " + _spec.Kind);
        }
    }
}
