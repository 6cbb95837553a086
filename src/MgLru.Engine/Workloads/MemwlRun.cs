using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using MgLru.Engine.Scenario;

namespace MgLru.Engine.Workloads;

/// <summary>
/// A kernel-lab run as its memwl program described it (MEMWL_CONFIG in the .txt stored beside the trace):
/// how each access was made, the advice given, and where memory.stat was read (memwl --stat: before the
/// first access, after the populate pass of one access per page, and after each of its equal phases).
/// </summary>
public sealed class MemwlRun
{
    private MemwlRun(MemoryBackend backend, string pattern, long pages, VmaFlags advice, long[] statReads)
    {
        Backend = backend;
        Pattern = pattern;
        Pages = pages;
        Advice = advice;
        StatReads = statReads;
    }

    public MemoryBackend Backend { get; }
    /// <summary>seq, zipf or hotcold.</summary>
    public string Pattern { get; }
    /// <summary>The data's pages (npages): the populate pass touches each once.</summary>
    public long Pages { get; }
    public VmaFlags Advice { get; }
    public IReadOnlyList<long> StatReads { get; }

    /// <summary>
    /// What else the run charges to its memcg, in pages (the kernel lab README's breakdown of 370 pages
    /// for anon-zipf): the program and a little tmpfs (about 42), the permutation (4 B a page), the Zipf
    /// CDF (8 B a page, zipf only) and the page tables of a mapped data set (about 136 for 256 MiB).
    /// </summary>
    public long OverheadPages
    {
        get
        {
            long pages = 42 + Pages * 4 / Units.PageSize;
            if (Pattern == "zipf") pages += Pages * 8 / Units.PageSize;
            if (Backend != MemoryBackend.FileRead) pages += 136 * Pages / 65536;
            return pages;
        }
    }

    /// <summary>
    /// How much slower the lab's VM (qemu, one vCPU) ran than the default cost model: its 6.12 0x7 anon-zipf
    /// run took 10.15 s (the result channel's MEMWL_PHASE total), which the default costs simulate in
    /// 1.17 s. Time-driven mechanisms, such as the memcg stats flusher's 2 s period against how far a run
    /// has got, only act as in the lab on the lab's clock.
    /// </summary>
    public const double LabVmPace = 8.7;

    /// <summary>The cost model of a replay on the lab's clock: the defaults, <see cref="LabVmPace"/> times slower.</summary>
    public CostModel CostModel { get; } = CostModel.Default.Scaled(LabVmPace);

    /// <summary>
    /// Reads the description beside <paramref name="tracePath"/> (x.u32 or x.u32.zst → x.txt); false when
    /// there is none, it is not memwl's, or it does not describe a trace of <paramref name="requests"/> accesses.
    /// </summary>
    public static bool TryRead(string tracePath, long requests, out MemwlRun run)
    {
        run = null!;
        string stem = tracePath.EndsWith(".zst", StringComparison.OrdinalIgnoreCase) ? tracePath.Substring(0, tracePath.Length - 4) : tracePath;
        string txt = Path.ChangeExtension(stem, ".txt");
        if (!File.Exists(txt)) return false;
        Dictionary<string, string>? config = null;
        foreach (string line in File.ReadLines(txt))
        {
            if (!line.StartsWith("MEMWL_CONFIG ", StringComparison.Ordinal)) continue;
            config = new Dictionary<string, string>(StringComparer.Ordinal);
            foreach (string pair in line.Substring(13).Split(new[] { ' ' }, StringSplitOptions.RemoveEmptyEntries))
            {
                int eq = pair.IndexOf('=');
                if (eq > 0) config[pair.Substring(0, eq)] = pair.Substring(eq + 1);
            }
            break;
        }
        if (config == null) return false;
        MemoryBackend backend;
        switch (Get(config, "backend"))
        {
            case "anon": backend = MemoryBackend.Anon; break;
            case "file-read": backend = MemoryBackend.FileRead; break;
            case "file-mmap": backend = MemoryBackend.FileMmap; break;
            default: return false;
        }
        string pattern = Get(config, "pattern") ?? "";
        bool sequential = pattern == "seq";
        if (!long.TryParse(Get(config, "npages"), NumberStyles.None, CultureInfo.InvariantCulture, out long pages)
            || !long.TryParse(Get(config, "phases"), NumberStyles.None, CultureInfo.InvariantCulture, out long phases) || phases < 1
            || !long.TryParse(Get(config, sequential ? "passes" : "accesses"), NumberStyles.None, CultureInfo.InvariantCulture, out long count))
            return false;
        long sampled = sequential ? count * pages : count;
        if (pages + sampled != requests || phases > sampled) return false;
        // madvise(MADV_SEQUENTIAL / MADV_RANDOM) and posix_fadvise on files; anonymous memory only gets MADV_NOHUGEPAGE.
        var advice = backend == MemoryBackend.Anon || Get(config, "advice") != "1" ? VmaFlags.None
            : sequential ? VmaFlags.SeqRead : VmaFlags.RandRead;
        var reads = new long[phases + 2];
        reads[1] = pages;
        // memwl's phase bounds: total * ph / phases (a trace is shorter than 2^31, so no overflow).
        for (long k = 1; k <= phases; k++) reads[k + 1] = pages + sampled * k / phases;
        run = new MemwlRun(backend, pattern, pages, advice, reads);
        return true;
    }

    private static string? Get(Dictionary<string, string> config, string key) => config.TryGetValue(key, out var v) ? v : null;
}
