using System;
using System.Diagnostics;
using System.Globalization;
using System.Linq;
using MgLru.Engine.Scenario;
using MgLru.Engine.Workloads;
using Sim = MgLru.Engine.Simulation.Simulation;

// dotnet run -c Release --project bench/MgLru.Bench -- generate [--policy Lru|Mglru|Classic] [--walk] [--objects N] [--requests N] [--pages N] [--alpha A]
// dotnet run -c Release --project bench/MgLru.Bench -- replay FILE --format Txt|Csv|OracleGeneral|U32 [--policy ...] [--pages N]
// dotnet run -c Release --project bench/MgLru.Bench -- scale [--gib 64] [--accesses N] [--footprint 2] [--walk]
// --bare (generate, replay): instead of the simulation, a bare exact LRU over the same trace and capacity (int-linked
// list, object → slot array; no page tables, swap or kernel bookkeeping): the floor any cache simulator pays.
var inv = CultureInfo.InvariantCulture;
if (args.Length == 0 || args[0] is "-h" or "--help")
{
    Console.Error.WriteLine("usage: MgLru.Bench generate|replay|scale [options] (see the comments in Program.cs)");
    return 2;
}
string Opt(string name, string dflt)
{
    int i = Array.IndexOf(args, "--" + name);
    return i >= 0 && i + 1 < args.Length ? args[i + 1] : dflt;
}
bool Flag(string name) => args.Contains("--" + name);
var policy = Enum.Parse<ReclaimPolicy>(Opt("policy", "Lru"), ignoreCase: true);
bool walk = Flag("walk");
var total = Stopwatch.StartNew();

uint[] trace;
long footprint;
string what;
switch (args[0])
{
    case "generate":
    {
        long objects = long.Parse(Opt("objects", "1000000"), inv), requests = long.Parse(Opt("requests", "20000000"), inv);
        double alpha = double.Parse(Opt("alpha", "1.0"), inv);
        var rng = new Xoshiro256StarStar(ulong.Parse(Opt("seed", "1"), inv));
        var zipf = new ZipfSampler(objects, alpha);
        trace = new uint[requests];
        for (long i = 0; i < requests; i++) trace[i] = (uint)(zipf.Sample(ref rng) - 1);
        footprint = objects;
        what = $"Zipf({alpha}) {requests:N0} requests over {objects:N0} objects";
        break;
    }
    case "replay":
    {
        var data = TraceReader.Read(args[1], Enum.Parse<TraceFormat>(Opt("format", "Csv"), true));
        trace = data.Pages;
        footprint = data.FootprintPages;
        what = $"{args[1]}: {data.Requests:N0} requests over {data.Objects:N0} objects";
        break;
    }
    case "scale":
    {
        long gib = long.Parse(Opt("gib", "64"), inv);
        long accesses = long.Parse(Opt("accesses", "100000000"), inv);
        long pages = gib << 18;
        // The workload's footprint against memory: 2 (the default) overcommits 2:1; 1 or less fits.
        double footprintRatio = double.Parse(Opt("footprint", "2"), inv);
        long footprintPages = Math.Max(1, (long)(pages * footprintRatio));
        var task = new TaskSpec("big", new WorkloadSpec(WorkloadKind.Zipf, 0.9), footprintPages * 4096, accesses);
        var cg = new MemCgroupSpec("big", pages * 4096, tasks: new[] { task });
        long scaleBefore = GC.GetAllocatedBytesForCurrentThread();
        var scaleSim = Sim.Create(new ScenarioSpec(new[] { cg }, new RunOptions { Policy = policy, LruGenEnabled = walk ? 7 : 1, SwapBytes = footprintPages * 4096 }));
        long scaleBuilt = GC.GetAllocatedBytesForCurrentThread() - scaleBefore;
        long scaleLoopBefore = GC.GetAllocatedBytesForCurrentThread();
        var loop = Stopwatch.StartNew();
        scaleSim.Run();
        loop.Stop();
        long scaleLoopAllocated = GC.GetAllocatedBytesForCurrentThread() - scaleLoopBefore;
        Report($"scale: {gib} GiB memcg, Zipf(0.9) over {footprintPages * 4096.0 / (1L << 30):0.##} GiB, {accesses:N0} accesses after the populate pass", scaleSim, scaleSim.AccessesTotal, loop.Elapsed, pages, footprintPages, footprintPages, scaleBuilt, scaleLoopAllocated);
        return 0;
    }
    default:
        Console.Error.WriteLine($"unknown command '{args[0]}'");
        return 2;
}

long memPages = long.Parse(Opt("pages", "100000"), inv);
if (Flag("bare"))
{
    var bareLoop = Stopwatch.StartNew();
    long misses = BareLru(trace, footprint, memPages);
    bareLoop.Stop();
    Console.WriteLine(what + $", {memPages:N0} pages of memory");
    Console.WriteLine($"  bare exact LRU: miss ratio {(double)misses / trace.Length:F4}, {misses:N0} misses");
    Console.WriteLine($"  simulation loop: {trace.Length / bareLoop.Elapsed.TotalSeconds / 1e6:F1} M requests/s ({bareLoop.Elapsed.TotalSeconds:F2} s)");
    return 0;
}
var t = new TaskSpec("replay", WorkloadSpec.FromTrace(trace), Math.Max(1, footprint) * 4096, 0);
var c = new MemCgroupSpec("cache", memPages * 4096, tasks: new[] { t });
long before = GC.GetAllocatedBytesForCurrentThread();
var sim = Sim.Create(new ScenarioSpec(new[] { c }, new RunOptions
{
    Policy = policy,
    LruGenEnabled = policy == ReclaimPolicy.Mglru ? (walk ? 7 : 1) : 0,
    SwapBytes = footprint * 4096,
    TimeSliceAccesses = 1 << 20,
}));
long built = GC.GetAllocatedBytesForCurrentThread() - before;
long loopBefore = GC.GetAllocatedBytesForCurrentThread();
var sw = Stopwatch.StartNew();
sim.Run();
sw.Stop();
long loopAllocated = GC.GetAllocatedBytesForCurrentThread() - loopBefore;
Report(what + $", {memPages:N0} pages of memory", sim, trace.Length, sw.Elapsed, memPages, footprint, footprint, built, loopAllocated);
return 0;

// The exact LRU a cache simulator keeps at its simplest: a hit moves the object's slot to the head of an
// int-linked list, a miss takes the tail's slot. Objects are dense (0..footprint-1), so a plain array maps
// them to slots; a slot's links and object share one 16-byte entry (one cache line a slot). Cold misses
// count, as in libCacheSim.
static long BareLru(uint[] trace, long footprint, long capacity)
{
    int cap = (int)Math.Min(capacity, footprint);
    var slotOf = new int[footprint];
    Array.Fill(slotOf, -1);
    var slots = new BareSlot[cap + 1];
    int head = cap; // the list's sentinel
    slots[head].Next = slots[head].Prev = head;
    int used = 0;
    long misses = 0;
    foreach (uint o in trace)
    {
        int s = slotOf[o];
        if (s < 0)
        {
            misses++;
            if (used < cap) s = used++;
            else
            {
                s = slots[head].Prev;
                slotOf[slots[s].Object] = -1;
                slots[slots[s].Prev].Next = slots[s].Next;
                slots[slots[s].Next].Prev = slots[s].Prev;
            }
            slotOf[o] = s;
            slots[s].Object = o;
        }
        else if (slots[head].Next == s) continue;
        else
        {
            slots[slots[s].Prev].Next = slots[s].Next;
            slots[slots[s].Next].Prev = slots[s].Prev;
        }
        int first = slots[head].Next;
        slots[s].Next = first;
        slots[s].Prev = head;
        slots[first].Prev = s;
        slots[head].Next = s;
    }
    return misses;
}

void Report(string title, Sim s, long requests, TimeSpan loop, long frames, long ptes, long swapSlots, long built, long loopAllocated)
{
    var r = s.Results()[0];
    Console.WriteLine(title);
    Console.WriteLine($"  policy {policy}{(walk ? " +walk" : "")}: miss ratio {r.MissRatio:F4}, {r.PgFault:N0} faults");
    Console.WriteLine($"  simulation loop: {requests / loop.TotalSeconds / 1e6:F1} M requests/s ({loop.TotalSeconds:F2} s)");
    Console.WriteLine($"  allocated by the loop: {loopAllocated / 1024.0:N0} KiB ({(double)loopAllocated / requests:F3} B a request)");
    Console.WriteLine($"  whole run incl. trace: {total.Elapsed.TotalSeconds:F2} s");
    // Measured: everything Simulation.Create allocated. By layout that is 16 B a frame (flags, rmap,
    // next, prev), 4 B a PTE, 12 B a swap slot (shadow, free stack) and the generator's 4 B a page.
    double layout = 16.0 * frames + 4.0 * ptes + 12.0 * swapSlots;
    Console.WriteLine($"  allocated by Simulation.Create: {built / 1048576.0:N1} MiB for {frames:N0} frames, {ptes:N0} PTEs, {swapSlots:N0} swap slots ({built / layout:F2}x the 16 B/frame + 4 B/PTE + 12 B/slot layout)");
    Console.WriteLine($"  peak working set: {Process.GetCurrentProcess().PeakWorkingSet64 / (1 << 20):N0} MiB");
}

// 16 bytes, so that no slot straddles two cache lines.
[System.Runtime.InteropServices.StructLayout(System.Runtime.InteropServices.LayoutKind.Sequential, Size = 16)]
struct BareSlot
{
    public int Next, Prev;
    public uint Object;
}
