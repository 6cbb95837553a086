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
    /// <summary>Accesses consumed by the simulation.</summary>
    private long _issued;
    /// <summary>Accesses drawn into blocks (at most a block ahead of <see cref="_issued"/>).</summary>
    private long _produced;
    /// <summary>The trace's page indexes all fall inside the mapping: no reduction modulo the size.</summary>
    private readonly bool _traceInRange;
    private readonly uint[] _block = new uint[BlockSize];
    private int _blockPos, _blockLen;

    /// <summary>
    /// Accesses are drawn a block at a time, in the same order and from the same stream as one by one,
    /// so the access loop reads a flat array instead of calling into the generator per access.
    /// </summary>
    public const int BlockSize = 1024;
    /// <summary>Marks a store in a block entry; the low bits are the page index.</summary>
    public const uint WriteBit = 1u << 31;

    public AccessGenerator(WorkloadSpec spec, int pages, long accesses, ulong seed, AccessGenerator? rankingOf = null,
        System.Threading.CancellationToken cancellationToken = default)
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
                // Millions of pages take seconds (a cache miss a swap): let Ctrl+C through.
                if ((i & 0xFFFFF) == 0) cancellationToken.ThrowIfCancellationRequested();
                int j = (int)_rng.NextUInt32((uint)(i + 1));
                (_rankToPage[i], _rankToPage[j]) = (_rankToPage[j], _rankToPage[i]);
            }
        }
        if (spec.Kind == WorkloadKind.Trace)
        {
            uint max = 0;
            foreach (uint page in spec.TracePages!) if (page > max) max = page;
            _traceInRange = max < (uint)pages;
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
        if (_blockPos == _blockLen && FillBlock() == 0) throw new InvalidOperationException("The workload has no accesses left.");
        uint entry = _block[_blockPos++];
        _issued++;
        write = (entry & WriteBit) != 0;
        return (int)(entry & ~WriteBit);
    }

    /// <summary>The current block: entries <see cref="BlockPosition"/> to <see cref="BlockLength"/> are not consumed yet.</summary>
    public uint[] Block => _block;
    public int BlockPosition => _blockPos;
    public int BlockLength => _blockLen;

    /// <summary>The access loop consumed the block up to <paramref name="position"/>.</summary>
    public void Consume(int position)
    {
        _issued += position - _blockPos;
        _blockPos = position;
    }

    /// <summary>Draws the next block (the current one must be consumed); its length, 0 when the workload is done.</summary>
    public int FillBlock()
    {
        if (_blockPos != _blockLen) throw new InvalidOperationException("The current block is not consumed yet.");
        int count = (int)Math.Min(BlockSize, _total - _produced);
        var block = _block;
        int i = 0;
        // The populate pass initialises anonymous memory with stores and reads files in.
        if (_produced < _populate && _spec.Kind != WorkloadKind.Trace)
        {
            uint writeBit = _spec.Backend == MemoryBackend.Anon || _spec.WriteFraction >= 1.0 ? WriteBit : 0;
            for (; i < count && _produced < _populate; i++, _produced++) block[i] = (uint)_produced | writeBit;
        }
        if (i < count && _spec.Kind == WorkloadKind.Trace && _writeThreshold == 0)
        {
            // A trace without stores: a copy (or a reduction when it names pages beyond the mapping).
            var trace = _spec.TracePages!;
            long k = _produced;
            if (_traceInRange) Array.Copy(trace, k, block, i, count - i);
            else for (int j = i; j < count; j++) block[j] = trace[k + j - i] % (uint)_pages;
            _produced += count - i;
            i = count;
        }
        if (_phases == null && _rankToPage != null)
        {
            // Ranked workloads in two passes: every access's store draw and rank first (the stream in the
            // same order as one by one), then the ranks mapped to pages. The lookups are independent loads,
            // so their cache misses overlap (a million pages' ranking is 4 MiB, 16 million's 64 MiB).
            int first = i;
            for (; i < count; i++, _produced++)
            {
                uint write = DrawWrite() ? WriteBit : 0;
                block[i] = (uint)SampleRank() | write;
            }
            var rankToPage = _rankToPage;
            for (int j = first; j < count; j++)
            {
                uint entry = block[j];
                block[j] = (uint)rankToPage[(int)(entry & ~WriteBit)] | (entry & WriteBit);
            }
        }
        for (; i < count; i++, _produced++) block[i] = Draw(_produced);
        _blockPos = 0;
        _blockLen = count;
        return count;
    }

    /// <summary>One access after the populate pass: the store draw first, then the page.</summary>
    private uint Draw(long i)
    {
        bool write;
        int page;
        if (_phases != null) page = NextPhase(out write);
        else
        {
            write = DrawWrite();
            page = Sample(_spec.Kind == WorkloadKind.Trace ? i : i - _populate);
        }
        return (uint)page | (write ? WriteBit : 0);
    }

    /// <summary>Whether the next access stores (drawn before its page, when only some accesses do).</summary>
    private bool DrawWrite() => _writeThreshold == uint.MaxValue || (_writeThreshold != 0 && (uint)(_rng.NextUInt64() >> 32) < _writeThreshold);

    /// <summary>The rank of the next access of a ranked workload (Zipf, Gaussian, HotCold), 0 the hottest.</summary>
    private int SampleRank()
    {
        switch (_spec.Kind)
        {
            case WorkloadKind.Zipf:
                return (int)(_zipf!.Sample(ref _rng) - 1);
            case WorkloadKind.Gaussian:
                return GaussianRank();
            case WorkloadKind.HotCold:
                // memwl's hotcold: with HotProbability a uniform hot rank, else a uniform cold one (a
                // one-page footprint has no cold page).
                return _hotPages == _pages || _rng.NextDouble() < _spec.HotProbability
                    ? (int)_rng.NextUInt32((uint)_hotPages)
                    : _hotPages + (int)_rng.NextUInt32((uint)(_pages - _hotPages));
            default:
                throw new InvalidOperationException(_spec.Kind + " workloads have no ranking.");
        }
    }

    private int Sample(long k)
    {
        switch (_spec.Kind)
        {
            case WorkloadKind.Sequential:
            case WorkloadKind.Scan:
                return (int)(k % _pages);
            case WorkloadKind.Uniform:
                return (int)_rng.NextUInt32((uint)_pages);
            case WorkloadKind.Zipf:
            case WorkloadKind.Gaussian:
            case WorkloadKind.HotCold:
                return _rankToPage![SampleRank()];
            case WorkloadKind.Trace:
                return (int)(_traceInRange ? _spec.TracePages![k] : _spec.TracePages![k] % (uint)_pages);
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
        // A phase's generator is drawn directly (never through its own block): only this one is consumed.
        var phase = _phases![_phase];
        uint entry = phase.Draw(phase._produced++);
        write = (entry & WriteBit) != 0;
        return (int)(entry & ~WriteBit);
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
