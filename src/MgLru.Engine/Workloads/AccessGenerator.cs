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
    /// <summary>Rank → page: popular ranks scattered over the mapping, as a hash table's hot keys are.</summary>
    private readonly int[]? _rankToPage;
    private readonly uint _writeThreshold;
    private readonly int _hotPages;
    private readonly AccessGenerator[]? _phases;
    private int _phase;
    private long _phaseLeft;
    private double _spareNormal = double.NaN;
    private Xoshiro256StarStar _rng;
    private long _issued;

    public AccessGenerator(WorkloadSpec spec, int pages, long accesses, ulong seed, AccessGenerator? rankingOf = null)
    {
        _spec = spec;
        _pages = pages;
        _populate = spec.Populate ? pages : 0;
        long sampled = spec.Kind switch
        {
            WorkloadKind.Trace => spec.TracePages!.Length,
            WorkloadKind.Scan => Math.Min(accesses, pages), // each page once
            _ => accesses,
        };
        _total = (spec.Kind == WorkloadKind.Trace ? 0 : _populate) + sampled;
        _rng = new Xoshiro256StarStar(seed);
        _writeThreshold = spec.WriteFraction >= 1.0 ? uint.MaxValue : (uint)(spec.WriteFraction * uint.MaxValue);
        if (rankingOf != null)
        {
            if (rankingOf._rankToPage == null || rankingOf._pages != pages || rankingOf._spec.Kind != spec.Kind)
                throw new ArgumentException($"A {spec.Kind} workload cannot share the ranking of a {rankingOf._spec.Kind} workload over {rankingOf._pages} pages.", nameof(rankingOf));
            _rankToPage = rankingOf._rankToPage; // read-only after construction
        }
        else if (spec.Kind is WorkloadKind.Zipf or WorkloadKind.Gaussian or WorkloadKind.HotCold)
        {
            // The permutation comes first in the stream, as in the kernel lab's memwl.
            _rankToPage = new int[pages];
            for (int i = 0; i < pages; i++) _rankToPage[i] = i;
            for (int i = pages - 1; i > 0; i--)
            {
                int j = (int)_rng.NextUInt32((uint)(i + 1));
                (_rankToPage[i], _rankToPage[j]) = (_rankToPage[j], _rankToPage[i]);
            }
        }
        if (spec.Kind == WorkloadKind.Zipf) _zipf = new ZipfSampler(pages, spec.Alpha);
        if (spec.Kind == WorkloadKind.HotCold) _hotPages = Math.Max(1, Math.Min(pages - 1, (int)(spec.HotFraction * pages)));
        if (spec.Kind == WorkloadKind.Phases)
        {
            // Each phase draws its own permutation: its hot set lands on other pages.
            var list = spec.PhaseList!;
            _phases = new AccessGenerator[list.Count];
            for (int p = 0; p < list.Count; p++)
                _phases[p] = new AccessGenerator(list[p], pages, long.MaxValue / 2, _rng.NextUInt64(), noPopulate: true);
            _phaseLeft = spec.PhaseAccesses![0];
        }
    }

    private AccessGenerator(WorkloadSpec spec, int pages, long accesses, ulong seed, bool noPopulate)
        : this(new WorkloadSpec(spec), pages, accesses, seed)
    {
    }

    public long Total => _total;

    /// <summary>Accesses of the populate pass (the first ones issued).</summary>
    public long PopulateAccesses => _spec.Kind == WorkloadKind.Trace ? 0 : _populate;
    public long Issued => _issued;
    public bool Done => _issued >= _total;

    /// <summary>Next page index in [0, pages); <paramref name="write"/> tells whether it stores.</summary>
    public int Next(out bool write)
    {
        long i = _issued++;
        if (i < _populate && _spec.Kind != WorkloadKind.Trace)
        {
            // The populate pass initialises anonymous memory with stores and reads files in.
            write = _spec.Backend == MemoryBackend.Anon || _spec.WriteFraction >= 1.0;
            return (int)i;
        }
        if (_phases != null) return NextPhase(out write);
        write = _writeThreshold == uint.MaxValue || (_writeThreshold != 0 && (uint)(_rng.NextUInt64() >> 32) < _writeThreshold);
        long k = _spec.Kind == WorkloadKind.Trace ? i : i - _populate;
        switch (_spec.Kind)
        {
            case WorkloadKind.Sequential:
            case WorkloadKind.Scan:
                return (int)(k % _pages);
            case WorkloadKind.Uniform:
                return (int)_rng.NextUInt32((uint)_pages);
            case WorkloadKind.Zipf:
                return _rankToPage![_zipf!.Sample(ref _rng) - 1];
            case WorkloadKind.Gaussian:
                return _rankToPage![GaussianRank()];
            case WorkloadKind.HotCold:
                // memwl's hotcold: with HotProbability a uniform hot rank, else a uniform cold one.
                return _rankToPage![_rng.NextDouble() < _spec.HotProbability
                    ? (int)_rng.NextUInt32((uint)_hotPages)
                    : _hotPages + (int)_rng.NextUInt32((uint)(_pages - _hotPages))];
            case WorkloadKind.Trace:
                return (int)(_spec.TracePages![k] % (uint)_pages);
            default:
                throw new InvalidOperationException("Unknown workload kind " + _spec.Kind);
        }
    }

    private int NextPhase(out bool write)
    {
        if (_phaseLeft == 0)
        {
            _phase = (_phase + 1) % _phases!.Length;
            _phaseLeft = _spec.PhaseAccesses![_phase];
        }
        _phaseLeft--;
        return _phases![_phase].Next(out write);
    }

    /// <summary>A rank from N(mean, sd) (Box–Muller, both values used), redrawn until it falls on a page.</summary>
    private int GaussianRank()
    {
        double mean = _spec.Mean * _pages, sd = _spec.StdDev * _pages;
        while (true)
        {
            double z;
            if (!double.IsNaN(_spareNormal))
            {
                z = _spareNormal;
                _spareNormal = double.NaN;
            }
            else
            {
                double u1 = 1.0 - _rng.NextDouble(), u2 = _rng.NextDouble();
                double r = Math.Sqrt(-2.0 * Math.Log(u1));
                z = r * Math.Cos(2 * Math.PI * u2);
                _spareNormal = r * Math.Sin(2 * Math.PI * u2);
            }
            double x = Math.Floor(mean + z * sd);
            if (x >= 0 && x < _pages) return (int)x;
        }
    }
}
