using System;
using System.Collections.Generic;
using System.Globalization;
using System.Text;
using System.Threading;
using MgLru.Engine.Cgroup;
using MgLru.Engine.Debugfs;
using MgLru.Engine.Memory;
using MgLru.Engine.Mm;
using MgLru.Engine.Reclaim;
using MgLru.Engine.Reclaim.Classic;
using MgLru.Engine.Reclaim.Lru;
using MgLru.Engine.Reclaim.Mglru;
using MgLru.Engine.Scenario;
using MgLru.Engine.Stats;
using MgLru.Engine.Workloads;

namespace MgLru.Engine.Simulation;

/// <summary>
/// A simulation of one scenario: tasks in memcgs touching pages, faults charging the memcg, limit
/// reclaim by the MGLRU. Deterministic: the same scenario and seed give bit-identical results.
/// Run it to completion with <see cref="Run"/>, or drive it with <see cref="Step"/>.
/// </summary>
public sealed partial class Simulation
{
    private readonly ScenarioSpec _scenario;
    private readonly Machine _m;
    private readonly LruPolicy _policy;
    /// <summary>The MGLRU policy when it is the one in use (debugfs lru_gen needs it), else null.</summary>
    private readonly MglruPolicy? _mglru;
    /// <summary>The exact LRU when it is the policy: hits move pages, so the access loop differs.</summary>
    private readonly ExactLruPolicy? _exactLru;
    private readonly MemcgReclaim _reclaim;
    private readonly NodeReclaim _node;
    private readonly LruGenCommandRunner? _debugfs;
    private readonly List<TaskRuntime> _tasks = new();
    private readonly long _totalAccesses;
    /// <summary>Several nodes: accesses cost their node's latency and are counted per node.</summary>
    private readonly bool _tiered;
    /// <summary>Latency of a load / store on each node above the fastest node's (which AccessNs covers).</summary>
    private readonly long[] _extraReadNs = { 0 }, _extraWriteNs = { 0 };
    private readonly Tiering.Promotion? _promotion;
    /// <summary>NUMA balancing arms hint faults: a hit must look at its frame's flags.</summary>
    private readonly bool _hinting;
    /// <summary>The mm whose slice is running (the hint fault's faulting task).</summary>
    private MmStruct? _runningMm;
    private readonly List<TimelineRow> _timeline = new();
    private long _nextSampleNs;
    /// <summary>Each node's counters at the last timeline sample: accesses, demotions, promotions, hint faults, swap-outs.</summary>
    private long[][]? _sampled;
    private long _accessesDone;
    private int _nextTask;

    private sealed class TaskRuntime
    {
        public TaskRuntime(string name, MmStruct mm, AccessGenerator generator, MemCgroup memcg, MemCgroup? moveTo, long moveAtAccess, double runFraction = 1.0)
        {
            RunFraction = runFraction;
            Name = name;
            Mm = mm;
            Generator = generator;
            Memcg = memcg;
            MoveTo = moveTo;
            MoveAtAccess = moveAtAccess;
        }

        public string Name { get; }
        public MmStruct Mm { get; }
        public AccessGenerator Generator { get; }
        /// <summary>The memcg new pages are charged to.</summary>
        public MemCgroup Memcg { get; set; }
        /// <summary>A scheduled move to another memcg, and the access count at which it happens.</summary>
        public MemCgroup? MoveTo { get; set; }
        public long MoveAtAccess { get; }
        /// <summary>Share of scheduler turns taken; the others are slept through.</summary>
        public double RunFraction { get; }
        /// <summary>Access count at which MADV_FREE is applied to the mm's LazyFree VMAs (end of the populate pass), or -1.</summary>
        public long LazyFreeAt = -1;
        /// <summary>Killed, and its remaining accesses counted as done (they will never run).</summary>
        public bool Retired;
        /// <summary>Access counts after which the task reads its memcg's memory.stat (sorted), and the next one due.</summary>
        public System.Collections.Generic.IReadOnlyList<long> StatReads = Array.Empty<long>();
        public int NextStatRead;
        /// <summary>Draws whether an access to a further VMA stores (each VMA has its own write fraction).</summary>
        public Xoshiro256StarStar WriteRandom;
        /// <summary>Scheduler turns offered so far (for the deterministic duty cycle).</summary>
        public long Turns;

        /// <summary>Whether the task takes this turn: Bresenham spreads RunFraction evenly over the turns.</summary>
        public bool WantsTurn()
        {
            long t = Turns++;
            return (long)Math.Floor((t + 1) * RunFraction) > (long)Math.Floor(t * RunFraction);
        }
    }

    private Simulation(ScenarioSpec scenario, CancellationToken cancellationToken)
    {
        _scenario = scenario;
        var options = scenario.Options;

        var (virtualPages, capacity) = Layout(scenario);
        var nodeSpecs = options.Nodes ?? new[] { new NodeSpec(0, MemoryKind.Dram, capacity * Units.PageSize) };
        var nodeFrames = new int[nodeSpecs.Count];
        long totalFrames = 0;
        for (int n = 0; n < nodeFrames.Length; n++)
        {
            long pages = Units.BytesToPages(nodeSpecs[n].CapacityBytes);
            totalFrames += pages;
            if (totalFrames > Pte.FrameMask) throw new ArgumentException("The scenario needs more than 1 TiB of simulated memory.");
            nodeFrames[n] = (int)pages;
        }
        int nrMemcgs = scenario.Cgroups.Count + 1;
        int nrNodes = nodeFrames.Length;
        int nrLruvecs = nrMemcgs * nrNodes;
        var frames = new FrameTable(nodeFrames, options.Policy switch
        {
            ReclaimPolicy.Mglru => MglruPolicy.ListCount(nrLruvecs),
            ReclaimPolicy.Classic => ClassicPolicy.ListCount(nrLruvecs),
            _ => ExactLruPolicy.ListCount(nrLruvecs),
        });
        var nodes = new NumaNode[nrNodes];
        for (int n = 0; n < nrNodes; n++) nodes[n] = new NumaNode(nodeSpecs[n], nodeFrames[n]);
        var pageTables = new PageTables(virtualPages);
        long fileSlots = FileSlots(scenario, out var fileSizes);
        var pageCache = new PageCache(fileSlots, nrMemcgs);
        var swap = options.SwapBytes > 0 ? new SwapDevice(options.SwapDevice, options.SwapBytes) : null;
        _m = new Machine(options, frames, pageTables, pageCache, swap, nodes);
        _tiered = nrNodes > 1;
        _nextSampleNs = options.TimelineIntervalMs * 1_000_000L;
        if (_tiered)
        {
            int fastestRead = int.MaxValue, fastestWrite = int.MaxValue;
            foreach (var n in nodes)
            {
                fastestRead = Math.Min(fastestRead, n.Spec.ReadLatencyNs);
                fastestWrite = Math.Min(fastestWrite, n.Spec.WriteLatencyNs);
            }
            _extraReadNs = new long[nrNodes];
            _extraWriteNs = new long[nrNodes];
            for (int n = 0; n < nrNodes; n++)
            {
                _extraReadNs[n] = nodes[n].Spec.ReadLatencyNs - fastestRead;
                _extraWriteNs[n] = nodes[n].Spec.WriteLatencyNs - fastestWrite;
            }
        }
        int privateLists = options.Policy switch
        {
            ReclaimPolicy.Mglru => MglruPolicy.IsolatedListIndex(nrLruvecs),
            ReclaimPolicy.Classic => ClassicPolicy.PrivateListIndex(nrLruvecs),
            _ => ExactLruPolicy.PrivateListIndex(nrLruvecs),
        };
        _m.IsolatedList = frames.Sentinel(privateLists);
        _m.RetryList = frames.Sentinel(privateLists + 1);
        _m.KeepList = frames.Sentinel(privateLists + 2);
        _m.DemoteList = frames.Sentinel(privateLists + 3);
        switch (options.Policy)
        {
            case ReclaimPolicy.Mglru: _policy = _mglru = new MglruPolicy(_m); break;
            case ReclaimPolicy.Classic: _policy = new ClassicPolicy(_m, nrLruvecs); break;
            default: _policy = _exactLru = new ExactLruPolicy(_m, nrLruvecs); break;
        }
        _reclaim = new MemcgReclaim(_m, _policy);
        _node = new NodeReclaim(_m, _policy, _reclaim);
        _m.Flusher = new Flusher(_m, _policy);
        _debugfs = _mglru != null ? new LruGenCommandRunner(_m, _mglru) : null;
        if (_tiered && options.Promotion != PromotionMode.None)
        {
            _promotion = new Tiering.Promotion(_m, _policy, _node);
            _hinting = options.Promotion == PromotionMode.NumaBalancing;
        }

        _m.Memcgs.Add(new MemCgroup(0, 1, "/", long.MaxValue, null, Lruvecs(0, nrNodes)));
        _mglru?.OnlineMemcg(_m.Memcgs[0]);
        var rng = new Xoshiro256StarStar(options.Seed);
        int basePage = 0, fileBase = 0;
        var files = new Dictionary<string, SharedFile>(StringComparer.Ordinal);
        foreach (var cg in scenario.Cgroups)
        {
            int index = _m.Memcgs.Count;
            long maxPages = cg.MaxBytes == long.MaxValue ? long.MaxValue : Units.BytesToPages(cg.MaxBytes);
            var memcg = new MemCgroup(index, index + 1, "/" + cg.Name, maxPages, cg.Swappiness, Lruvecs(index, nrNodes),
                Units.BytesToPages(cg.MinBytes), Units.BytesToPages(cg.LowBytes));
            _m.Memcgs.Add(memcg);
            _mglru?.OnlineMemcg(memcg);
            ChargeOverhead(memcg, Units.BytesToPages(cg.OverheadBytes));
            foreach (var t in cg.Tasks)
            {
                if (t.ShareMmWith != null)
                {
                    // A thread: the same mm, its own stream of accesses over the same pages.
                    var leader = _tasks.Find(x => x.Memcg == memcg && x.Name == t.ShareMmWith)!;
                    ulong threadSeed = rng.NextUInt64();
                    var threadGen = new AccessGenerator(t.Workload, leader.Mm.Pages, t.Accesses, threadSeed, t.SharedRanking ? leader.Generator : null, cancellationToken);
                    _tasks.Add(new TaskRuntime(t.Name, leader.Mm, threadGen, memcg, null, (long)Math.Round(t.MoveAt * threadGen.Total), t.RunFraction)
                        { WriteRandom = new Xoshiro256StarStar(threadSeed ^ WriteSeedSalt) });
                    _totalAccesses += threadGen.Total;
                    continue;
                }
                var mm = new MmStruct(_m.Mms.Count, basePage, t.Pages, index) { TaskName = t.Name, HomeNode = t.Node ?? FirstCpuNode(nodes) };
                int vmaStart = basePage, unnamed = 0;
                foreach (var spec in t.Vmas)
                {
                    var vma = new Vma(mm, vmaStart, spec.Pages, spec.Backend, spec.Flags, spec.WriteFraction);
                    vmaStart += spec.Pages;
                    mm.AddVma(vma);
                    if (vma.IsAnon) continue;
                    SharedFile? file = null;
                    if (spec.File != null) files.TryGetValue(spec.File, out file);
                    if (file == null)
                    {
                        int size = spec.File != null ? fileSizes[spec.File] : spec.Pages;
                        string name = spec.File ?? "(" + t.Name + (unnamed++ == 0 ? "" : "#" + unnamed) + ")";
                        file = pageCache.Add(name, fileBase, size);
                        fileBase += PageTables.AlignUp(size);
                        if (spec.File != null) files[spec.File] = file;
                    }
                    vma.File = file;
                    if (vma.MapsFile) file.Mappers.Add(vma); // vma_interval_tree_insert
                }
                for (int table = basePage / Units.PtesPerTable, end = (basePage + PageTables.AlignUp(t.Pages)) / Units.PtesPerTable; table < end; table++)
                    pageTables.TableOwner[table] = mm.Id;
                _m.Mms.Add(mm);
                memcg.MmList.Add(mm); // lru_gen_add_mm
                ulong seed = rng.NextUInt64();
                var generator = new AccessGenerator(t.Workload, t.Pages, t.Accesses, seed, cancellationToken: cancellationToken);
                bool lazyFree = false;
                foreach (var vma in mm.Vmas) lazyFree |= (vma.Flags & VmaFlags.LazyFree) != 0;
                _tasks.Add(new TaskRuntime(t.Name, mm, generator, memcg, null, (long)Math.Round(t.MoveAt * generator.Total), t.RunFraction)
                    { WriteRandom = new Xoshiro256StarStar(seed ^ WriteSeedSalt), LazyFreeAt = lazyFree ? generator.PopulateAccesses : -1, StatReads = t.MemoryStatReads });
                _totalAccesses += generator.Total;
                basePage += PageTables.AlignUp(t.Pages);
            }
        }
    }

    /// <summary>
    /// The virtual layout (each task's mm starts on a PTE-table boundary) and the default node's size:
    /// large enough for every memcg up to its limit, so that limits, not the node, create pressure.
    /// </summary>
    private static (long VirtualPages, long DefaultNodePages) Layout(ScenarioSpec scenario)
    {
        long virtualPages = 0, nodePages = 0;
        foreach (var cg in scenario.Cgroups)
        {
            long cgPages = 0;
            foreach (var t in cg.Tasks)
            {
                if (t.ShareMmWith != null) continue; // a thread: no address space of its own
                virtualPages += PageTables.AlignUp(t.Pages);
                cgPages += t.Pages;
                // A private file mapping can hold a page-cache page and its anonymous copy.
                foreach (var vma in t.Vmas)
                    if (vma.Backend == MemoryBackend.FilePrivate) cgPages += vma.Pages;
            }
            long limit = cg.MaxBytes == long.MaxValue ? long.MaxValue : Units.BytesToPages(cg.MaxBytes);
            nodePages += Math.Min(cgPages + Units.BytesToPages(cg.OverheadBytes), limit);
        }
        long capacity = scenario.Options.MemoryBytes > 0 ? Units.BytesToPages(scenario.Options.MemoryBytes) : nodePages + new Memory.Watermarks(nodePages + 1024).Promo + 1024;
        return (virtualPages, capacity);
    }

    /// <summary>Page-cache slots: one file per name (the largest mapping sets its size), or a private one per unnamed file mapping.</summary>
    private static long FileSlots(ScenarioSpec scenario, out Dictionary<string, int> fileSizes)
    {
        fileSizes = new Dictionary<string, int>(StringComparer.Ordinal);
        long fileSlots = 0;
        foreach (var cg in scenario.Cgroups)
            foreach (var t in cg.Tasks)
            {
                if (t.ShareMmWith != null) continue;
                foreach (var vma in t.Vmas)
                {
                    if (vma.Backend == MemoryBackend.Anon) continue;
                    if (vma.File == null) fileSlots += PageTables.AlignUp(vma.Pages);
                    else fileSizes[vma.File] = Math.Max(vma.Pages, fileSizes.TryGetValue(vma.File, out int n) ? n : 0);
                }
            }
        foreach (var size in fileSizes.Values) fileSlots += PageTables.AlignUp(size);
        return fileSlots;
    }

    /// <summary>
    /// What Create will allocate for <paramref name="scenario"/>, in bytes, before allocating any of it: 16 B
    /// a frame (flags, rmap, list links), 4 B a virtual page (PTE), 12 B a page-cache slot and a swap slot,
    /// 14 B per 64 page-cache slots (the xa_node counts and shadow-node list links),
    /// 4 B a page of each generator's popularity ranking, 4 B a frame for NUMA hints (a trace's pages are
    /// already in memory, in its workload).
    /// </summary>
    public static long EstimatedBytes(ScenarioSpec scenario)
    {
        if (scenario == null) throw new ArgumentNullException(nameof(scenario));
        var options = scenario.Options;
        var (virtualPages, capacity) = Layout(scenario);
        long frames = 0;
        if (options.Nodes == null) frames = capacity;
        else foreach (var node in options.Nodes) frames += Units.BytesToPages(node.CapacityBytes);
        long fileSlots = FileSlots(scenario, out _);
        long xaNodes = (fileSlots + (1 << PageCache.XaChunkShift) - 1) >> PageCache.XaChunkShift;
        long bytes = 16 * frames + 4 * virtualPages + 12 * fileSlots + 14 * xaNodes + 12 * Units.BytesToPages(options.SwapBytes);
        if (options.Promotion == PromotionMode.NumaBalancing) bytes += 4 * frames;
        foreach (var cg in scenario.Cgroups)
            foreach (var t in cg.Tasks)
                bytes += WorkloadBytes(t.Workload, t.ShareMmWith == null || !t.SharedRanking ? t.Pages : 0);
        return bytes;
    }

    private static long WorkloadBytes(WorkloadSpec w, long pages) => w.Kind switch
    {
        WorkloadKind.Zipf or WorkloadKind.Gaussian or WorkloadKind.HotCold => 4 * pages,
        WorkloadKind.Phases => SumPhases(w, pages),
        _ => 0,
    };

    private static long SumPhases(WorkloadSpec w, long pages)
    {
        long sum = 0;
        foreach (var p in w.PhaseList!) sum += WorkloadBytes(p, pages);
        return sum;
    }

    /// <summary>A memcg's lruvecs, one per node; lruvec index memcg × nodes + node selects its lists.</summary>
    private static Lruvec[] Lruvecs(int memcg, int nodes)
    {
        var lruvecs = new Lruvec[nodes];
        for (int n = 0; n < nodes; n++) lruvecs[n] = new Lruvec(memcg * nodes + n, memcg, n, 0);
        return lruvecs;
    }

    private static int FirstCpuNode(NumaNode[] nodes)
    {
        foreach (var node in nodes)
            if (node.HasCpu) return node.Id;
        return 0;
    }

    /// <summary>
    /// The memcg's unreclaimable overhead: frames charged and never on an LRU, taken from the first node
    /// with CPUs and, when it is full, the next ones of its zonelist.
    /// </summary>
    private void ChargeOverhead(MemCgroup memcg, long pages)
    {
        var zonelist = _m.Nodes[FirstCpuNode(_m.Nodes)].Zonelist;
        int node = 0;
        for (long i = 0; i < pages; i++)
        {
            int f = -1;
            for (; node < zonelist.Length && (f = _m.Frames.Allocate(memcg.Index, zonelist[node])) < 0; node++) { }
            if (f < 0) throw new ArgumentException($"The machine's memory cannot hold the overhead of memcg {memcg.Path} ({pages} pages).");
            _m.Frames.Flags[f] |= PageFlags.Kernel;
            memcg.Usage++;
        }
        memcg.OverheadPages = pages;
    }

    /// <summary>Resolves the scheduled moves once every memcg exists.</summary>
    private void ScheduleMoves()
    {
        int i = 0;
        foreach (var cg in _scenario.Cgroups)
            foreach (var t in cg.Tasks)
            {
                if (t.MoveTo != null) _tasks[i].MoveTo = FindMemcg(t.MoveTo);
                i++;
            }
    }

    /// <summary>
    /// Builds the simulated machine for a scenario (validates it first). A task of millions of pages takes
    /// seconds to set up (its popularity ranking is a shuffle): <paramref name="cancellationToken"/> stops it.
    /// </summary>
    public static Simulation Create(ScenarioSpec scenario, CancellationToken cancellationToken = default)
    {
        if (scenario == null) throw new ArgumentNullException(nameof(scenario));
        var sim = new Simulation(scenario, cancellationToken);
        sim.ScheduleMoves();
        return sim;
    }

    public ScenarioSpec Scenario => _scenario;

    internal Machine Machine => _m;
    internal MglruPolicy Policy => _mglru ?? throw new InvalidOperationException("The simulation does not use the MGLRU.");
    internal LruPolicy LruPolicy => _policy;
    public long AccessesTotal => _totalAccesses;
    public long AccessesDone => _accessesDone;
    public bool Finished => _accessesDone >= _totalAccesses || AllTasksDone();

    /// <summary>Simulated time in milliseconds.</summary>
    public double NowMs => _m.NowNs / 1e6;

    /// <summary>Runs every task to the end of its workload.</summary>
    public void Run(IProgress<SimulationProgress>? progress = null, CancellationToken cancellationToken = default)
        => Step(long.MaxValue, progress, cancellationToken);

    /// <summary>Runs up to <paramref name="accesses"/> more accesses (round-robin time slices over the tasks).</summary>
    public long Step(long accesses, IProgress<SimulationProgress>? progress = null, CancellationToken cancellationToken = default)
    {
        if (accesses < 0) throw new ArgumentOutOfRangeException(nameof(accesses));
        long done = 0;
        int lastPercent = -1;
        while (done < accesses && !AllTasksDone())
        {
            cancellationToken.ThrowIfCancellationRequested();
            // Slices are the scheduler's, not the caller's: a Step that ends mid-slice leaves the rest of
            // it for the next Step, so stepping in parts runs exactly what one Run would.
            if (_sliceLeft == 0 || _sliceTask == null || _sliceTask.Mm.Exited || _sliceTask.Generator.Done) StartSlice();
            var task = _sliceTask!;
            long budget = Math.Min(_sliceLeft, accesses - done);
            long ran = RunSlice(task, budget);
            done += ran;
            _sliceLeft = ran < budget ? 0 : _sliceLeft - ran;
            if (_sliceLeft > 0) continue;
            EndSlice(task);
            if (progress != null)
            {
                var p = Progress();
                if (p.Percent != lastPercent)
                {
                    lastPercent = p.Percent;
                    progress.Report(p);
                }
            }
        }
        return done;
    }

    /// <summary>The task whose time slice is running, and what is left of the slice.</summary>
    private TaskRuntime? _sliceTask;
    private long _sliceLeft;

    /// <summary>
    /// Another process (a shell writing to debugfs or memory.reclaim, moving a task) ran: the running
    /// slice ends here, as it would on a real CPU, and the next Step starts with a context switch.
    /// </summary>
    private void InterruptSlice()
    {
        if (_sliceLeft == 0 || _sliceTask == null) return;
        _sliceLeft = 0;
        EndSlice(_sliceTask);
    }

    /// <summary>The end of a slice: MADV_FREE if the populate pass just ended, then the flushers' turn.</summary>
    private void EndSlice(TaskRuntime task)
    {
        if (task.LazyFreeAt >= 0 && task.Generator.Issued >= task.LazyFreeAt && !task.Mm.Exited)
        {
            MadviseFree(task);
            task.LazyFreeAt = -1;
        }
        ReadMemoryStatsDue(task);
        _m.Flusher!.Tick();
    }

    /// <summary>
    /// A context switch: the next runnable task, its mm marked as used on every node, the timeline and
    /// promotion work due at this point, and the slice's length (cut where the task is to move to another
    /// memcg or where its populate pass ends).
    /// </summary>
    private void StartSlice()
    {
        var task = NextRunnableTask();
        // context_switch → lru_gen_use_mm: the mm may have touched memory on every node.
        task.Mm.NodeBitmap = ulong.MaxValue;
        _runningMm = task.Mm;
        if (_m.Options.TimelineIntervalMs > 0 && _m.NowNs >= _nextSampleNs) SampleTimeline();
        if (_promotion != null)
        {
            _promotion.OnTurn(task.Mm);
            if (_m.KswapdPending) _node.RunPendingKswapds();
        }
        long length = _m.Options.TimeSliceAccesses;
        if (task.MoveTo != null)
        {
            // Stop the slice exactly where the task is to be moved.
            long untilMove = task.MoveAtAccess - task.Generator.Issued;
            if (untilMove <= 0)
            {
                MigrateTask(task, task.MoveTo);
                task.MoveTo = null;
            }
            else length = Math.Min(length, untilMove);
        }
        // Stop the slice where the populate pass ends: the buffers are freed (MADV_FREE) right there.
        if (task.LazyFreeAt > task.Generator.Issued) length = Math.Min(length, task.LazyFreeAt - task.Generator.Issued);
        // The task reads memory.stat at set points: before the first access, and where a slice is cut.
        ReadMemoryStatsDue(task);
        if (task.NextStatRead < task.StatReads.Count) length = Math.Min(length, task.StatReads[task.NextStatRead] - task.Generator.Issued);
        _sliceTask = task;
        _sliceLeft = length;
    }

    /// <summary>memory_stat_show for each read the task has reached: it flushes the memcg's rstat.</summary>
    private void ReadMemoryStatsDue(TaskRuntime task)
    {
        bool read = false;
        while (task.NextStatRead < task.StatReads.Count && task.StatReads[task.NextStatRead] <= task.Generator.Issued)
        {
            task.NextStatRead++;
            read = true;
        }
        if (read && !task.Mm.Exited) _policy.FlushMemcgStats(task.Memcg);
    }

    private SimulationProgress Progress()
    {
        long refaults = 0;
        foreach (var memcg in _m.Memcgs)
            refaults += memcg.Events[(int)VmEvent.WorkingsetRefaultAnon] + memcg.Events[(int)VmEvent.WorkingsetRefaultFile];
        return new SimulationProgress(_accessesDone, _totalAccesses, NowMs, refaults);
    }

    private bool AllTasksDone()
    {
        foreach (var t in _tasks)
            if (!t.Mm.Exited && !t.Generator.Done) return false;
        return true;
    }

    /// <summary>
    /// Round-robin over the tasks with work left; a task with a run fraction below 1 sleeps through some of
    /// its turns. When every task with work left sleeps, the first of them runs (an idle CPU wakes it).
    /// </summary>
    private TaskRuntime NextRunnableTask()
    {
        TaskRuntime? fallback = null;
        int fallbackIndex = 0;
        for (int i = 0; i < _tasks.Count; i++)
        {
            int index = (_nextTask + i) % _tasks.Count;
            var t = _tasks[index];
            if (t.Mm.Exited || t.Generator.Done) continue;
            if (t.RunFraction >= 1.0 || t.WantsTurn())
            {
                _nextTask = (index + 1) % _tasks.Count;
                return t;
            }
            if (fallback == null) { fallback = t; fallbackIndex = index; }
        }
        if (fallback == null) throw new InvalidOperationException("No runnable task.");
        _nextTask = (fallbackIndex + 1) % _tasks.Count;
        return fallback;
    }

    /// <summary>
    /// madvise(MADV_FREE) over the task's LazyFree VMAs (madvise_free_pte_range, folio_mark_lazyfree): PTEs
    /// become clean and old, swapped-out pages are dropped with their swap entries, and each anon folio
    /// goes to the file LRU as lazy-free (lru_lazyfree: not active, not referenced).
    /// </summary>
    private void MadviseFree(TaskRuntime task)
    {
        var mm = task.Mm;
        var ptes = _m.PageTables.Ptes;
        foreach (var vma in mm.Vmas)
        {
            if ((vma.Flags & VmaFlags.LazyFree) == 0 || !vma.IsAnon) continue;
            for (int v = vma.Start; v < vma.End; v++)
            {
                uint pte = ptes[v];
                if (Pte.IsSwap(pte))
                {
                    _policy.FreeSwapSlot(Pte.Slot(pte));
                    ptes[v] = Pte.None;
                    mm.SwapEntries--;
                    continue;
                }
                if (!Pte.IsPresent(pte)) continue;
                ptes[v] = pte & ~(Pte.Young | Pte.Dirty);
                int f = Pte.Frame(pte);
                uint flags = _m.Frames.Flags[f];
                if ((flags & (PageFlags.SwapBacked | PageFlags.LazyFree | PageFlags.Unevictable | PageFlags.Lru)) != (PageFlags.SwapBacked | PageFlags.Lru)) continue;
                _policy.RemoveFolio(f);
                _m.Frames.Flags[f] = (_m.Frames.Flags[f] & ~(PageFlags.Active | PageFlags.Referenced | PageFlags.Dirty)) | PageFlags.LazyFree;
                _policy.AddNewFolio(f);
            }
        }
        if (_m.Options.CheckInvariants) InvariantChecker.Check(_m, _policy);
    }

    /// <summary>Salt that separates a task's store draws from its access stream (both come from one seed).</summary>
    private const ulong WriteSeedSalt = 0x5752495445UL;

    /// <summary>Every slice through the general access loop (tests cross-check the fast one against it).</summary>
    internal bool GeneralAccessLoop { get; set; }

    /// <summary>The access loop: a hit sets the PTE's accessed (and dirty) bit; a miss takes the fault path.</summary>
    private long RunSlice(TaskRuntime task, long budget)
    {
        var mm = task.Mm;
        // Killed at the context switch (a promotion woke a kswapd whose min_ttl check chose this task).
        if (mm.Exited) return EndSlice(task, 0);
        var primary = mm.Primary;
        if (!GeneralAccessLoop && mm.SingleVma && !_tiered && primary.Backend != MemoryBackend.FileRead && (primary.Flags & VmaFlags.PfnMap) == 0)
            return EndSlice(task, RunMappedSlice(task, budget));
        var gen = task.Generator;
        // Most mms have one VMA: what it is stays in locals; with several, each access finds its own.
        bool single = mm.SingleVma;
        var vma = primary;
        bool fileRead = vma.Backend == MemoryBackend.FileRead;
        bool pfnMap = (vma.Flags & VmaFlags.PfnMap) != 0;
        long n = 0;
        while (n < budget && !gen.Done)
        {
            int v = mm.Base + gen.Next(out bool write);
            n++;
            if (!single)
            {
                vma = mm.FindVma(v);
                fileRead = vma.Backend == MemoryBackend.FileRead;
                pfnMap = (vma.Flags & VmaFlags.PfnMap) != 0;
                if (vma != primary)
                {
                    // The generator's store draw is the first mapping's; the others have their own write fraction.
                    uint threshold = vma.WriteThreshold;
                    write = threshold == uint.MaxValue || (threshold != 0 && (uint)(task.WriteRandom.NextUInt64() >> 32) < threshold);
                }
            }
            if (pfnMap)
            {
                // Device memory: no struct page, no LRU, nothing to reclaim.
                _m.NowNs += _m.Costs.AccessNs;
                continue;
            }
            if (fileRead)
            {
                if (!AccessThroughFd(task, vma, vma.SlotOf(v), write)) break;
                continue;
            }
            uint pte = _m.PageTables.Ptes[v];
            // A hit, unless a store meets a read-only PTE (copy-on-write).
            if ((pte & Pte.Present) != 0 && (!write || (pte & Pte.ReadOnly) == 0))
            {
                Hit(v, pte, write);
                // A NUMA hint fault's promotion can wake a kswapd whose min_ttl OOM kill takes this task.
                if (_tiered && mm.Exited) break;
                continue;
            }
            if (!HandleFault(task, vma, v, write)) break; // the task was OOM-killed
        }
        return EndSlice(task, n);
    }

    /// <summary>Sink for the block's PTE loads in <see cref="RunMappedSlice"/>, so the JIT keeps them.</summary>
    private uint _blockPtesLoaded;

    /// <summary>
    /// The access loop of the common case, one mapped VMA on one node: it reads the generator's blocks
    /// directly and keeps the hits' time in a local until something can observe the clock (a fault, the
    /// end of the slice), so a hit is a PTE load and store, the PMD's accessed bit and, for the exact LRU,
    /// the list move. Same accesses, same order, same clock at every observation as the general loop.
    /// </summary>
    private long RunMappedSlice(TaskRuntime task, long budget)
    {
        var mm = task.Mm;
        var vma = mm.Primary;
        var gen = task.Generator;
        var ptes = _m.PageTables.Ptes;
        var pmdYoung = _m.PageTables.PmdYoung;
        var exactLru = _exactLru;
        long accessNs = _m.Costs.AccessNs;
        int mmBase = mm.Base;
        uint[] block = gen.Block;
        int pos = gen.BlockPosition, len = gen.BlockLength;
        long n = 0, hits = 0;
        bool alive = true;
        while (n < budget && alive)
        {
            if (pos == len)
            {
                gen.Consume(pos);
                len = gen.FillBlock();
                pos = 0;
                if (len == 0) break;
            }
            int end = (int)Math.Min(len, pos + (budget - n));
            int chunkStart = pos;
            if (pos == 0)
            {
                // A fresh block: load every PTE it names first, and the shadow of each swapped-out page, in a
                // loop of independent loads whose cache misses overlap (a software prefetch; netstandard2.0 has
                // none). At millions of pages these arrays are far bigger than the caches (the bench's 8 GiB
                // scale run: hits a quarter faster); at a million they mostly fit, and it gains little.
                uint loaded = 0;
                var swap = _m.Swap;
                for (int t = 0; t < len; t++)
                {
                    uint p = ptes[mmBase + (int)(block[t] & ~AccessGenerator.WriteBit)];
                    loaded += p;
                    if (swap != null && Pte.IsSwap(p)) loaded += (uint)swap.Shadow(Pte.Slot(p));
                }
                _blockPtesLoaded += loaded;
            }
            for (; pos < end; pos++)
            {
                uint entry = block[pos];
                int v = mmBase + (int)(entry & ~AccessGenerator.WriteBit);
                bool write = (entry & AccessGenerator.WriteBit) != 0;
                uint pte = ptes[v];
                // A hit, unless a store meets a read-only PTE (copy-on-write).
                if ((pte & Pte.Present) != 0 && (!write || (pte & Pte.ReadOnly) == 0))
                {
                    SetAccessed(ptes, pmdYoung, v, pte, write);
                    hits++;
                    // The exact LRU moves a page on every hit; the kernel policies only set the accessed bit.
                    exactLru?.Touch(Pte.Frame(pte));
                    continue;
                }
                _m.NowNs += hits * accessNs;
                hits = 0;
                gen.Consume(pos + 1);
                if (!HandleFault(task, vma, v, write))
                {
                    // The task was OOM-killed: this access was its last.
                    pos++;
                    alive = false;
                    break;
                }
            }
            n += pos - chunkStart;
        }
        _m.NowNs += hits * accessNs;
        gen.Consume(pos);
        return n;
    }

    /// <summary>The simulated MMU on a present PTE: accessed bit on the PTE and on the PMD that leads to it.</summary>
    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.AggressiveInlining)]
    private void Hit(int v, uint pte, bool write)
    {
        SetAccessed(_m.PageTables.Ptes, _m.PageTables.PmdYoung, v, pte, write);
        _m.NowNs += _m.Costs.AccessNs;
        // The exact LRU moves a page on every hit; the kernel policies only set the accessed bit.
        _exactLru?.Touch(Pte.Frame(pte));
        if (_tiered) TierAccess(Pte.Frame(pte), write, viaPte: true);
    }

    /// <summary>What the MMU writes on an access through a present PTE: its accessed (and dirty) bit and the PMD's accessed bit.</summary>
    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.AggressiveInlining)]
    private static void SetAccessed(uint[] ptes, bool[] pmdYoung, int v, uint pte, bool write)
    {
        ptes[v] = pte | Pte.Young | (write ? Pte.Dirty : 0);
        pmdYoung[v >> Units.PteTableShift] = true;
    }

    /// <summary>An access served by the node holding <paramref name="frame"/>: its extra latency, counted on the node.</summary>
    private void TierAccess(int frame, bool write, bool viaPte)
    {
        int node = _m.Frames.NodeOf(frame);
        _m.NowNs += write ? _extraWriteNs[node] : _extraReadNs[node];
        _m.Nodes[node].Events[(int)VmEvent.Accesses]++;
        if (viaPte && _hinting && (_m.Frames.Flags[frame] & PageFlags.NumaHint) != 0)
        {
            _promotion!.HintFault(_runningMm!, frame);
            if (_m.KswapdPending) _node.RunPendingKswapds();
        }
    }

    /// <summary>After a fault or a page-cache miss: the access is served from the new page's node; kswapds woken inside reclaim run now.</summary>
    private void AfterSlowPath(uint entry, bool write)
    {
        if (_tiered && (entry & Pte.Present) != 0) TierAccess(Pte.Frame(entry), write, viaPte: false);
        if (_m.KswapdPending) _node.RunPendingKswapds();
    }

    /// <summary>read()/write() of one page: a page-cache hit only marks the folio accessed (and dirty); a miss reads it in. False when the task was killed.</summary>
    private bool AccessThroughFd(TaskRuntime task, Vma vma, int slot, bool write)
    {
        uint entry = _m.PageCache.Entries[slot];
        if ((entry & Pte.Present) != 0)
        {
            _m.NowNs += _m.Costs.PageCacheHitNs;
            int f = Pte.Frame(entry);
            if (write) _m.Frames.Flags[f] |= PageFlags.Dirty;
            _policy.MarkAccessed(f);
            if (_tiered) TierAccess(f, write, viaPte: false);
            // Only filemap_read reads ahead; generic_perform_write leaves the readahead state alone.
            return write || ReadaheadOnHit(task, vma, slot, viaFault: false);
        }
        task.Memcg.Events[(int)VmEvent.PageCacheReadMisses]++;
        bool alive = ReadIntoPageCache(task, slot, write, null) >= 0;
        if (alive && !write) alive = ReadaheadOnMiss(task, vma, slot, viaFault: false);
        AfterSlowPath(_m.PageCache.Entries[slot], write);
        return alive && !task.Mm.Exited;
    }

    private long EndSlice(TaskRuntime task, long n)
    {
        task.Memcg.Events[(int)VmEvent.Accesses] += n;
        _accessesDone += n;
        // What a killed task would still have done no longer happens: this one, its threads (the mm is
        // shared), or a victim the slice's reclaim chose while it was not running.
        foreach (var t in _tasks)
        {
            if (!t.Mm.Exited || t.Retired) continue;
            _accessesDone += t.Generator.Total - t.Generator.Issued;
            t.Retired = true;
        }
        return n;
    }

    /// <summary>
    /// A page-cache miss (filemap_read, or filemap_fault for a mapping): charge, allocate, read from
    /// storage, add to the page cache and the LRU. Through a descriptor (<paramref name="faultVma"/> null)
    /// the folio is not active (single-use pages land in the oldest generation) and folio_mark_accessed
    /// follows the copy; in a fault the mapping's recency decides. Returns the frame, or -1 when the task
    /// was killed.
    /// </summary>
    private int ReadIntoPageCache(TaskRuntime task, int slot, bool write, Vma? faultVma)
    {
        bool inFault = faultVma != null;
        var memcg = task.Memcg;
        if (!_reclaim.TryCharge(memcg, task.Mm)) return -1;
        int f = AllocateFrame(task);
        if (f < 0) return -1;
        // A whole-page write() fills the new folio without reading it (write_begin reads only for a
        // partial page); a fault, even a store to a shared mapping, reads the page in filemap_fault.
        bool fromStorage = inFault || !write;
        _m.Spend((fromStorage ? _m.Costs.FileReadNs : 0) + (inFault ? _m.Costs.MajorFaultNs : _m.Costs.PageCacheHitNs));
        // lru_gen_in_fault: only a fault on a mapping with recency (lru_gen_enter_fault) counts as one.
        AddToPageCache(memcg, slot, f, inFault ? FaultFlags(faultVma!) : 0, inFault && faultVma!.HasRecency, write ? PageFlags.Dirty : 0, fromStorage);
        if (!inFault)
        {
            _policy.MarkAccessed(f);
            if (_m.Options.CheckInvariants) InvariantChecker.Check(_m, _policy);
        }
        return f;
    }

    /// <summary>
    /// filemap_add_folio of a new page (read from storage on demand or ahead, or about to be overwritten
    /// whole): pgpgin if it was read, the shadow consumed (refault accounting), then the page cache and the LRU.
    /// </summary>
    private void AddToPageCache(MemCgroup memcg, int slot, int f, uint faultFlags, bool inFault, uint extraFlags, bool fromStorage = true)
    {
        if (fromStorage) memcg.Count(VmEvent.PgPgIn, Units.PageSize / 1024);
        ulong shadow = _m.PageCache.Store(slot, f, memcg.Index);
        uint flags = shadow == 0 ? faultFlags : _policy.Refault(shadow, memcg, _m.Frames.NodeOf(f), faultFlags, inFault);
        _m.Frames.Flags[f] |= flags | extraFlags;
        _m.Frames.Rmap[f] = slot;
        _policy.AddNewFolio(f);
    }

    /// <summary>
    /// Flags a faulted folio starts with: PG_active from folio_add_lru only in a fault with recency
    /// (lru_gen_enter_fault / vma_has_recency); mlocked pages are unevictable.
    /// </summary>
    private uint FaultFlags(Vma vma)
    {
        uint flags = vma.HasRecency ? _policy.InFaultFlags : 0;
        if ((vma.Flags & VmaFlags.Locked) != 0) flags |= PageFlags.Unevictable;
        return flags;
    }

    /// <summary>The page allocator (watermarks, kswapd, direct reclaim, OOM); -1 when the task was killed.</summary>
    private int AllocateFrame(TaskRuntime task)
    {
        int f = _node.AllocatePage(task.Memcg, task.Mm, task.Mm.HomeNode);
        if (f < 0) return -1;
        task.Memcg.Usage++;
        return f;
    }

    /// <summary>
    /// handle_mm_fault: a store to a read-only PTE copies the page (do_wp_page); a swap entry is swapped in
    /// (do_swap_page); an anonymous VMA gets a new page (do_anonymous_page); a file VMA maps the page-cache
    /// page, reading it in first if needed (filemap_fault, with readahead as the advice says; a read fault
    /// first tries fault-around), and a store to a private one copies it (do_cow_fault). False when the
    /// task was killed.
    /// </summary>
    private bool HandleFault(TaskRuntime task, Vma vma, int v, bool write)
    {
        bool alive = HandleMmFault(task, vma, v, write);
        AfterSlowPath(_m.PageTables.Ptes[v], write);
        // A kswapd run after the fault can OOM-kill this very task (min_ttl): then this access was its last.
        return alive && !task.Mm.Exited;
    }

    private bool HandleMmFault(TaskRuntime task, Vma vma, int v, bool write)
    {
        var memcg = task.Memcg;
        var ptes = _m.PageTables.Ptes;
        memcg.Count(VmEvent.PgFault);
        uint pte = ptes[v];
        if (Pte.IsPresent(pte)) return CopyOnWrite(task, vma, v);
        if (vma.MapsFile && !Pte.IsSwap(pte))
        {
            // do_read_fault: fault-around first; if it mapped the page, that was all (a minor fault).
            if (!write && FaultAround(task, vma, v))
            {
                _m.Spend(_m.Costs.MinorFaultNs);
                return true;
            }
            // filemap_fault: a page already in the page cache is only mapped (a minor fault; it stays
            // charged to whoever read it in); otherwise it is read in (a major fault).
            bool shared = vma.Backend == MemoryBackend.FileMmap;
            int slot = vma.SlotOf(v);
            uint entry = _m.PageCache.Entries[slot];
            int frame;
            bool cached = (entry & Pte.Present) != 0;
            if (cached)
            {
                frame = Pte.Frame(entry);
                _m.Spend(_m.Costs.MinorFaultNs);
                if (write && shared) _m.Frames.Flags[frame] |= PageFlags.Dirty;
            }
            else
            {
                memcg.Count(VmEvent.PgMajFault);
                frame = ReadIntoPageCache(task, slot, write && shared, vma);
                if (frame < 0) return false;
            }
            if (write && !shared)
            {
                // do_cow_fault: filemap_fault reads ahead as any fault does; the copy is mapped first here.
                if (!CopyOnWrite(task, vma, v)) return false;
            }
            else
            {
                _m.PageTables.Map(v, Pte.MakePresent(frame) | Pte.Young | (shared ? 0 : Pte.ReadOnly));
                task.Mm.Rss++;
                if (_m.Options.CheckInvariants) InvariantChecker.Check(_m, _policy);
            }
            // The page is mapped first, so reading ahead cannot reclaim it from under the fault.
            return cached ? ReadaheadOnHit(task, vma, slot, viaFault: true) : ReadaheadOnMiss(task, vma, slot, viaFault: true);
        }
        if (!_reclaim.TryCharge(memcg, task.Mm)) return false;
        pte = ptes[v]; // reclaim cannot touch a non-present entry, but re-read for clarity
        int f = AllocateFrame(task);
        if (f < 0) return false;
        uint flags = PageFlags.SwapBacked | FaultFlags(vma);
        if (Pte.IsSwap(pte))
        {
            var swap = _m.Swap!;
            // zram (SWP_SYNCHRONOUS_IO, one user): swap-in skips the swap cache and frees the slot.
            ulong shadow = _policy.FreeSwapSlot(Pte.Slot(pte));
            task.Mm.SwapEntries--;
            memcg.Count(VmEvent.PgMajFault);
            memcg.Count(VmEvent.PswpIn);
            if (swap.Kind != SwapDeviceKind.Zram || _m.Rules.ZramSwapIsBlockIo) memcg.Count(VmEvent.PgPgIn, Units.PageSize / 1024);
            _m.Spend(_m.Costs.MajorFaultNs + (swap.Kind == SwapDeviceKind.Zram ? _m.Costs.ZramReadNs : _m.Costs.SsdReadNs));
            flags = _policy.Refault(shadow, memcg, _m.Frames.NodeOf(f), flags, inFault: vma.HasRecency);
        }
        else
        {
            _m.Spend(_m.Costs.MinorFaultNs);
        }
        MapNewAnon(task, v, f, flags, write);
        return true;
    }

    /// <summary>
    /// The copy of copy-on-write: a private anonymous page replaces the file page at <paramref name="v"/>
    /// (which may be mapped read-only, or not mapped at all in do_cow_fault). The page-cache page stays.
    /// </summary>
    private bool CopyOnWrite(TaskRuntime task, Vma vma, int v)
    {
        if (!_reclaim.TryCharge(task.Memcg, task.Mm)) return false;
        int f = AllocateFrame(task);
        if (f < 0) return false;
        _m.Spend(_m.Costs.MinorFaultNs);
        // Reclaim during the allocation may have unmapped the file page, or demoted it to another frame
        // (still mapped here); the copy replaces whatever is mapped.
        if (Pte.IsPresent(_m.PageTables.Ptes[v])) task.Mm.Rss--;
        MapNewAnon(task, v, f, PageFlags.SwapBacked | FaultFlags(vma), write: true);
        return true;
    }

    /// <summary>A new anonymous folio on the LRU, mapped writable at <paramref name="v"/>.</summary>
    private void MapNewAnon(TaskRuntime task, int v, int f, uint flags, bool write)
    {
        _m.Frames.Flags[f] |= flags;
        _m.Frames.Rmap[f] = v;
        _policy.AddNewFolio(f);
        _m.PageTables.Map(v, Pte.MakePresent(f) | Pte.Young | (write ? Pte.Dirty : 0));
        task.Mm.Rss++;
        if (_m.Options.CheckInvariants) InvariantChecker.Check(_m, _policy);
    }

    /// <summary>One flat row per memcg (the root excluded), in creation order.</summary>
    public IReadOnlyList<ReclaimResult> Results()
    {
        var o = _m.Options;
        var rows = new List<ReclaimResult>();
        var byCategory = _m.ReclaimNsByCategory;
        long reclaimTotal = 0;
        foreach (long ns in byCategory) reclaimTotal += ns;
        double Pct(CostCategory c) => reclaimTotal == 0 ? 0 : 100.0 * byCategory[(int)c] / reclaimTotal;
        double seconds = _m.NowNs / 1e9;
        for (int i = 1; i < _m.Memcgs.Count; i++)
        {
            var cg = _m.Memcgs[i];
            var e = cg.Events;
            long E(VmEvent ev) => e[(int)ev];
            long accesses = E(VmEvent.Accesses);
            var spec = _scenario.Cgroups[i - 1];
            rows.Add(new ReclaimResult
            {
                Memcg = spec.Name,
                MemcgId = cg.KernelId,
                Policy = o.Policy.ToString(),
                KernelRules = o.Rules.ToString(),
                LruGenEnabled = "0x" + o.EffectiveLruGenEnabled.ToString("x4", CultureInfo.InvariantCulture),
                Swappiness = cg.Swappiness ?? o.Swappiness,
                Seed = o.Seed,
                Nodes = o.NodeCount,
                Demotion = o.Demotion ? o.DemotionMode.ToString() : "off",
                Promotion = o.Promotion.ToString(),
                LimitBytes = spec.MaxBytes,
                Accesses = accesses,
                PgFault = E(VmEvent.PgFault),
                PgMajFault = E(VmEvent.PgMajFault),
                PswpIn = E(VmEvent.PswpIn),
                PswpOut = E(VmEvent.PswpOut),
                PgScan = VmEventSums.PgScan(e),
                PgScanDirect = E(VmEvent.PgScanDirect),
                PgScanKswapd = E(VmEvent.PgScanKswapd),
                PgSteal = VmEventSums.PgSteal(e),
                PgStealDirect = E(VmEvent.PgStealDirect),
                PgStealKswapd = E(VmEvent.PgStealKswapd),
                PgScanAnon = E(VmEvent.PgScanAnon),
                PgScanFile = E(VmEvent.PgScanFile),
                PgStealAnon = E(VmEvent.PgStealAnon),
                PgStealFile = E(VmEvent.PgStealFile),
                PgPgIn = E(VmEvent.PgPgIn),
                PgPgOut = E(VmEvent.PgPgOut),
                PgRotated = E(VmEvent.PgRotated),
                PgRefill = E(VmEvent.PgRefill),
                PgActivate = E(VmEvent.PgActivate),
                PgDeactivate = E(VmEvent.PgDeactivate),
                WorkingsetRefaultAnon = E(VmEvent.WorkingsetRefaultAnon),
                WorkingsetRefaultFile = E(VmEvent.WorkingsetRefaultFile),
                WorkingsetActivateAnon = E(VmEvent.WorkingsetActivateAnon),
                WorkingsetActivateFile = E(VmEvent.WorkingsetActivateFile),
                WorkingsetRestoreAnon = E(VmEvent.WorkingsetRestoreAnon),
                WorkingsetRestoreFile = E(VmEvent.WorkingsetRestoreFile),
                WorkingsetNodeReclaim = E(VmEvent.WorkingsetNodeReclaim),
                OomKill = E(VmEvent.OomKill),
                PgDemoteKswapd = E(VmEvent.PgDemoteKswapd),
                PgDemoteDirect = E(VmEvent.PgDemoteDirect),
                PgDemoteProactive = E(VmEvent.PgDemoteProactive),
                DemotedAnon = E(VmEvent.PgDemoteAnon),
                DemotedFile = E(VmEvent.PgDemoteFile),
                PgPromoteSuccess = E(VmEvent.PgPromoteSuccess),
                NumaHintFaults = E(VmEvent.NumaHintFaults),
                PgLazyFreed = E(VmEvent.PgLazyFreed),
                MissRatio = accesses == 0 ? 0 : (double)(E(VmEvent.PgFault) + E(VmEvent.PageCacheReadMisses)) / accesses,
                MajorFaultRatio = accesses == 0 ? 0 : (double)E(VmEvent.PgMajFault) / accesses,
                MaxSeq = cg.Lruvecs[0].MaxSeq,
                MinSeqAnon = cg.Lruvecs[0].MinSeq[Lruvec.Anon],
                MinSeqFile = cg.Lruvecs[0].MinSeq[Lruvec.File],
                AgingRuns = E(VmEvent.LruGenAging),
                EvictionRuns = E(VmEvent.LruGenEviction),
                ResidentPages = cg.Usage,
                SwapPages = cg.SwapUsage,
                SimulatedMs = NowMs,
                ReclaimCpuMs = _m.ReclaimNs / 1e6,
                KswapdCpuMs = _m.KswapdNs / 1e6,
                PromotionDaemonCpuMs = _m.DaemonNs / 1e6,
                MemoryLowEvents = cg.LowEvents,
                MemoryMaxEvents = cg.MaxEvents,
                OpsPerSecond = seconds > 0 ? accesses / seconds : 0,
                WalkMms = E(VmEvent.WalkMms),
                WalkMmsSkipped = E(VmEvent.WalkMmsSkipped),
                WalkPteTables = E(VmEvent.WalkPteTables),
                WalkPtes = E(VmEvent.WalkPtes),
                WalkYoungPtes = E(VmEvent.WalkYoungPtes),
                WalkPmdsSkippedNonleaf = E(VmEvent.WalkPmdsSkippedNonleaf),
                WalkPmdsSkippedBloom = E(VmEvent.WalkPmdsSkippedBloom),
                LookAroundPromotions = E(VmEvent.LookAroundPromotions),
                WalkerAllocFailures = E(VmEvent.WalkerAllocFailures),
                ProfileRmapPct = Pct(CostCategory.Rmap),
                ProfileWalkPct = Pct(CostCategory.PageTableWalk),
                ProfileLookAroundPct = Pct(CostCategory.LookAround),
                ProfileScanPct = Pct(CostCategory.Scan),
                ProfileSwapOutPct = Pct(CostCategory.SwapOut),
                ProfileFreePct = Pct(CostCategory.Free),
                ProfileMigratePct = Pct(CostCategory.Migrate),
            });
        }
        return rows;
    }

    /// <summary>The text of /sys/kernel/debug/lru_gen (or lru_gen_full) for the current state.</summary>
    public string LruGenText(bool full = false)
    {
        var sb = new StringBuilder();
        foreach (var memcg in _m.Memcgs)
            LruGenDebugfs.Append(sb, memcg, _m.Jiffies, full, _m.Rules, hasMmState: true);
        return sb.ToString();
    }

    /// <summary>
    /// A write to /sys/kernel/debug/lru_gen: "+ memcg_id node_id max_gen_nr [swappiness [force_scan]]" ages,
    /// "- memcg_id node_id min_gen_nr [swappiness [nr_to_reclaim]]" evicts. Throws
    /// <see cref="KernelWriteException"/> with the kernel's errno on the first failing command.
    /// </summary>
    public void WriteLruGen(string commands)
    {
        if (commands == null) throw new ArgumentNullException(nameof(commands));
        if (_debugfs == null) throw new KernelWriteException("EINVAL", commands.Trim(), "the Multi-Gen LRU is disabled (policy " + _m.Options.Policy + ")");
        InterruptSlice();
        _debugfs.Write(commands);
    }

    /// <summary>
    /// A write to the memcg's memory.reclaim: "&lt;bytes&gt; [swappiness=&lt;0-200&gt;|swappiness=max]". Returns the
    /// pages reclaimed; throws <see cref="KernelWriteException"/> with EINVAL for a malformed write and
    /// EAGAIN when reclaim gave up before reaching the amount.
    /// </summary>
    public long WriteMemoryReclaim(string memcg, string text)
    {
        if (text == null) throw new ArgumentNullException(nameof(text));
        var target = FindMemcg(memcg);
        InterruptSlice();
        var fields = text.Split(new[] { ' ', '\t', '\n' }, StringSplitOptions.RemoveEmptyEntries);
        if (fields.Length == 0 || fields.Length > 2) throw new KernelWriteException("EINVAL", text.Trim(), "expected '<bytes> [swappiness=<0-200>|swappiness=max]'");
        if (!TryParseSize(fields[0], out long bytes)) throw new KernelWriteException("EINVAL", text.Trim(), $"'{fields[0]}' is not a size (bytes, with an optional K, M, G or T suffix)");
        int? swappiness = null;
        if (fields.Length == 2)
        {
            const string prefix = "swappiness=";
            string value = fields[1].StartsWith(prefix, StringComparison.Ordinal) ? fields[1].Substring(prefix.Length) : "";
            if (value == "max") swappiness = MglruPolicy.MaxSwappiness + 1;
            else if (int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out int sw) && sw <= MglruPolicy.MaxSwappiness) swappiness = sw;
            else throw new KernelWriteException("EINVAL", text.Trim(), $"'{fields[1]}' is not swappiness=<0-200> or swappiness=max");
        }
        if (swappiness > MglruPolicy.MaxSwappiness && _mglru == null)
            throw new KernelWriteException("EINVAL", text.Trim(), "swappiness=max needs the Multi-Gen LRU");
        long pages = Units.BytesToPages(bytes);
        bool done = _reclaim.ProactiveReclaim(target, pages, swappiness, out long reclaimed);
        if (_m.Options.CheckInvariants) InvariantChecker.Check(_m, _policy);
        if (!done) throw new KernelWriteException("EAGAIN", text.Trim(), $"reclaimed {reclaimed} of {pages} pages before giving up");
        return reclaimed;
    }

    /// <summary>memparse: a number with an optional K/M/G/T (binary) suffix.</summary>
    private static bool TryParseSize(string s, out long bytes)
    {
        bytes = 0;
        int shift = 0;
        char last = s.Length > 0 ? char.ToUpperInvariant(s[s.Length - 1]) : ' ';
        if (last is 'K' or 'M' or 'G' or 'T')
        {
            shift = last switch { 'K' => 10, 'M' => 20, 'G' => 30, _ => 40 };
            s = s.Substring(0, s.Length - 1);
        }
        if (!long.TryParse(s, NumberStyles.None, CultureInfo.InvariantCulture, out long n) || n > (long.MaxValue >> shift)) return false;
        bytes = n << shift;
        return true;
    }

    /// <summary>Whether /sys/kernel/debug/lru_gen describes anything: the MGLRU is the policy in use.</summary>
    public bool LruGenEnabled => _mglru != null;

    /// <summary>memory.stat of the memcg named <paramref name="memcg"/> ("/" or "" for the root).</summary>
    public IReadOnlyList<MemoryStatEntry> MemoryStat(string memcg)
    {
        // memory_stat_show flushes the memcg's rstat first; reclaim reads the flushed copy (6.12 classic).
        var cg = FindMemcg(memcg);
        _policy.FlushMemcgStats(cg);
        return Stats.MemoryStat.Entries(cg, memcg, _policy, _m.Rules);
    }

    /// <summary>memory.stat text: "key value" lines.</summary>
    public string MemoryStatText(string memcg) => Stats.MemoryStat.Text(MemoryStat(memcg));

    /// <summary>memory.events of the memcg named <paramref name="memcg"/>.</summary>
    public IReadOnlyList<MemoryStatEntry> MemoryEvents(string memcg) => Stats.MemoryStat.Events(FindMemcg(memcg), memcg);

    /// <summary>memory.events text: "key value" lines.</summary>
    public string MemoryEventsText(string memcg) => Stats.MemoryStat.Text(MemoryEvents(memcg));

    private static readonly VmEvent[] TimelineEvents = { VmEvent.Accesses, VmEvent.PgDemoteKswapd, VmEvent.PgDemoteDirect, VmEvent.PgDemoteProactive, VmEvent.PgPromoteSuccess, VmEvent.NumaHintFaults, VmEvent.PswpOut, VmEvent.PgStealKswapd, VmEvent.PgStealDirect };

    /// <summary>Closes the current interval: one row per node, and the counters' snapshot for the next.</summary>
    private void SampleTimeline()
    {
        _timeline.AddRange(TimelineRows(_timeline.Count / _m.Nodes.Length, record: true));
        long interval = _m.Options.TimelineIntervalMs * 1_000_000L;
        while (_nextSampleNs <= _m.NowNs) _nextSampleNs += interval;
    }

    /// <summary>Refaults and reclaim CPU (ns) at the last timeline sample.</summary>
    private long _sampledRefaults, _sampledReclaimNs;

    private List<TimelineRow> TimelineRows(int interval, bool record)
    {
        var frames = _m.Frames;
        long refaults = 0;
        foreach (var memcg in _m.Memcgs) refaults += memcg.Events[(int)VmEvent.WorkingsetRefaultAnon] + memcg.Events[(int)VmEvent.WorkingsetRefaultFile];
        long reclaimNs = _m.ReclaimNs + _m.KswapdNs;
        long intervalRefaults = refaults - _sampledRefaults, intervalReclaimNs = reclaimNs - _sampledReclaimNs;
        if (record)
        {
            _sampledRefaults = refaults;
            _sampledReclaimNs = reclaimNs;
        }
        _sampled ??= new long[_m.Nodes.Length][];
        var delta = new long[_m.Nodes.Length][];
        long allAccesses = 0;
        foreach (var node in _m.Nodes)
        {
            var last = _sampled[node.Id] ?? new long[TimelineEvents.Length];
            var now = new long[TimelineEvents.Length];
            delta[node.Id] = new long[TimelineEvents.Length];
            for (int i = 0; i < TimelineEvents.Length; i++)
            {
                now[i] = TimelineEvents[i] == VmEvent.Accesses && !_tiered ? _accessesDone : node.Events[(int)TimelineEvents[i]];
                delta[node.Id][i] = now[i] - last[i];
            }
            if (record) _sampled[node.Id] = now;
            allAccesses += delta[node.Id][0];
        }
        var rows = new List<TimelineRow>();
        foreach (var node in _m.Nodes)
        {
            var (used, anon, file) = NodeUsage(node.Id);
            var d = delta[node.Id];
            var byAge = new long[Lruvec.MaxNrGens];
            if (_mglru != null)
                foreach (var memcg in _m.Memcgs)
                {
                    var l = memcg.Lruvecs[node.Id];
                    for (int age = 0; age < Lruvec.MaxNrGens; age++) byAge[age] += l.Pages(l.MaxSeq - age);
                }
            rows.Add(new TimelineRow
            {
                PagesMaxSeq = byAge[0],
                PagesMaxSeqMinus1 = byAge[1],
                PagesMaxSeqMinus2 = byAge[2],
                PagesMaxSeqMinus3 = byAge[3],
                Refaults = intervalRefaults,
                ReclaimCpuMs = intervalReclaimNs / 1e6,
                Interval = interval,
                TimeMs = NowMs,
                Node = node.Id,
                Kind = node.Spec.Kind.ToString(),
                ResidentPages = used,
                AnonPages = anon,
                FilePages = file,
                FreePages = frames.NodeFreeFrames(node.Id),
                Accesses = d[0],
                AccessShare = allAccesses == 0 ? 0 : (double)d[0] / allAccesses,
                PgDemote = d[1] + d[2] + d[3],
                PgPromoteSuccess = d[4],
                NumaHintFaults = d[5],
                PswpOut = d[6],
                PgStealKswapd = d[7],
                PgStealDirect = d[8],
            });
        }
        return rows;
    }

    /// <summary>
    /// The timeline (RunOptions.TimelineIntervalMs): one row per node per interval of simulated time, and
    /// a last row per node for the interval in progress.
    /// </summary>
    public IReadOnlyList<TimelineRow> Timeline()
    {
        var rows = new List<TimelineRow>(_timeline);
        if (_m.Options.TimelineIntervalMs > 0) rows.AddRange(TimelineRows(_timeline.Count / _m.Nodes.Length, record: false));
        return rows;
    }

    /// <summary>
    /// The agings so far (MGLRU; none under the other policies), in the order they ran: the most recent
    /// AgingLog.Capacity (100,000) of them; only those of the memcg named <paramref name="memcg"/> when given
    /// (ArgumentException when there is none).
    /// </summary>
    public IReadOnlyList<AgingRow> Agings(string? memcg = null)
    {
        var rows = _m.Agings.ToList();
        if (memcg == null) return rows;
        string path = FindMemcg(memcg).Path;
        return rows.FindAll(a => a.MemcgPath == path);
    }

    /// <summary>A node's frames in use, and of those its anon and file LRU pages (lazy-free pages are file), by a scan of its frames.</summary>
    private (long Used, long Anon, long File) NodeUsage(int node)
    {
        var frames = _m.Frames;
        long anon = 0, file = 0, used = 0;
        for (int f = frames.NodeFirstFrame(node), end = f + frames.NodeFrames(node); f < end; f++)
        {
            uint flags = frames.Flags[f];
            if ((flags & PageFlags.InUse) == 0) continue;
            used++;
            if ((flags & PageFlags.Kernel) != 0) continue;
            if (PageFlags.Type(flags) == Lruvec.Anon) anon++;
            else file++;
        }
        return (used, anon, file);
    }

    /// <summary>One row per NUMA node: tier facts, what it holds, the accesses it served, its migration counters.</summary>
    public IReadOnlyList<NodeResult> NodeResults()
    {
        var frames = _m.Frames;
        long allAccesses = 0;
        foreach (var node in _m.Nodes) allAccesses += node.Events[(int)VmEvent.Accesses];
        var rows = new List<NodeResult>();
        foreach (var node in _m.Nodes)
        {
            var (used, anon, file) = NodeUsage(node.Id);
            long E(VmEvent e) => node.Events[(int)e];
            // A single node counts no accesses of its own (the per-node count is for tiered machines).
            long accesses = _tiered ? E(VmEvent.Accesses) : _accessesDone;
            rows.Add(new NodeResult
            {
                Node = node.Id,
                Kind = node.Spec.Kind.ToString(),
                MemoryTier = node.Spec.TierId,
                AbstractDistance = node.Spec.AbstractDistance,
                TopTier = node.IsTopTier,
                MemoryOnly = node.Spec.MemoryOnly,
                DemotionTargets = string.Join(",", System.Linq.Enumerable.Select(node.DemotionTargets, t => t.ToString(CultureInfo.InvariantCulture))),
                CapacityPages = frames.NodeFrames(node.Id),
                ResidentPages = used,
                AnonPages = anon,
                FilePages = file,
                FreePages = frames.NodeFreeFrames(node.Id),
                WatermarkMin = node.Watermarks.Min,
                WatermarkLow = node.Watermarks.Low,
                WatermarkHigh = node.Watermarks.High,
                WatermarkPromo = node.Watermarks.Promo,
                Accesses = accesses,
                AccessShare = _tiered ? (allAccesses == 0 ? 0 : (double)accesses / allAccesses) : 1.0,
                PgDemoteKswapd = E(VmEvent.PgDemoteKswapd),
                PgDemoteDirect = E(VmEvent.PgDemoteDirect),
                PgDemoteProactive = E(VmEvent.PgDemoteProactive),
                DemotedAnon = E(VmEvent.PgDemoteAnon),
                DemotedFile = E(VmEvent.PgDemoteFile),
                PgPromoteSuccess = E(VmEvent.PgPromoteSuccess),
                PgPromoteCandidate = E(VmEvent.PgPromoteCandidate),
                NumaHintFaults = E(VmEvent.NumaHintFaults),
                PswpOut = E(VmEvent.PswpOut),
                PgLazyFreed = E(VmEvent.PgLazyFreed),
            });
        }
        return rows;
    }

    /// <summary>The lru_gen view (from the smaller min_seq to max_seq) of every lruvec as rows.</summary>
    public IReadOnlyList<LruGenRow> LruGenRows()
    {
        var rows = new List<LruGenRow>();
        foreach (var cg in _m.Memcgs)
        foreach (var l in cg.Lruvecs)
        {
            for (long seq = Math.Min(l.MinSeq[0], l.MinSeq[1]); seq <= l.MaxSeq; seq++)
            {
                int gen = Lruvec.GenFromSeq(seq);
                rows.Add(new LruGenRow
                {
                    MemcgId = cg.KernelId,
                    MemcgPath = cg.Path,
                    Node = l.Node,
                    Seq = seq,
                    AgeMs = _m.Jiffies - l.Timestamps[gen],
                    AnonPages = Math.Max(0, l.Size(gen, Lruvec.Anon)),
                    FilePages = Math.Max(0, l.Size(gen, Lruvec.File)),
                    Active = seq >= l.MaxSeq - 1,
                });
            }
        }
        return rows;
    }

    private MemCgroup FindMemcg(string name)
    {
        string path = string.IsNullOrEmpty(name) || name == "/" ? "/" : (name.StartsWith("/", StringComparison.Ordinal) ? name : "/" + name);
        foreach (var cg in _m.Memcgs)
            if (cg.Path == path) return cg;
        throw new ArgumentException($"No memcg named '{name}'.", nameof(name));
    }

    /// <summary>
    /// Moves a task to another memcg now (cgroup.procs write → mem_cgroup_attach → lru_gen_migrate_mm):
    /// its mm leaves the old memcg's mm list and joins the new one, and its new pages are charged to the
    /// new memcg; pages already charged stay with the old one. The threads sharing its mm move with it.
    /// </summary>
    public void MoveTask(string task, string memcg)
    {
        var target = FindMemcg(memcg);
        InterruptSlice();
        foreach (var t in _tasks)
            if (t.Name == task)
            {
                if (t.Mm.Exited) throw new InvalidOperationException($"Task '{task}' has exited.");
                MigrateTask(t, target);
                return;
            }
        throw new ArgumentException($"No task named '{task}'.", nameof(task));
    }

    private void MigrateTask(TaskRuntime task, MemCgroup target)
    {
        if (task.Memcg == target) return;
        var mm = task.Mm;
        _m.Memcgs[mm.OwnerMemcg].MmList.Remove(mm); // lru_gen_del_mm
        target.MmList.Add(mm);                       // lru_gen_add_mm
        foreach (var l in target.Lruvecs) l.MmsAddedSinceIteration = true;
        mm.OwnerMemcg = target.Index;
        // cgroup v2 moves a process with all its threads (cgroup.procs): every task on this mm goes, so
        // that the memcg they charge is always their mm's (charges follow mm->owner).
        foreach (var t in _tasks)
            if (t.Mm == mm) t.Memcg = target;
    }

    /// <summary>The memcgs as the kernel numbers them: (id, path), root first.</summary>
    public IReadOnlyList<(int Id, string Path)> Memcgs()
    {
        var list = new List<(int, string)>();
        foreach (var cg in _m.Memcgs) list.Add((cg.KernelId, cg.Path));
        return list;
    }

    /// <summary>Counter value by memcg name and event, for tests and cmdlets.</summary>
    public long Counter(string memcg, VmEvent e) => FindMemcg(memcg).Events[(int)e];

    /// <summary>Runs the invariant checker now (throws <see cref="InvariantViolationException"/>).</summary>
    public void CheckInvariants() => InvariantChecker.Check(_m, _policy);
}
