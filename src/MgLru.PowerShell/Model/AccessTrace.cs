using MgLru.Engine.Scenario;
using MgLru.Engine.Workloads;

namespace MgLru.PowerShell.Model;

/// <summary>A trace loaded by Import-AccessTrace, ready for Add-Task -Workload.</summary>
public sealed class AccessTrace
{
    internal AccessTrace(AccessTraceData data, MemoryBackend backend = MemoryBackend.Anon, VmaFlags vmaFlags = VmaFlags.None, long[]? memoryStatReads = null, MemwlRun? run = null)
    {
        Data = data;
        Run = run;
        Backend = backend;
        VmaFlags = vmaFlags;
        MemoryStatReads = memoryStatReads ?? System.Array.Empty<long>();
    }

    internal AccessTraceData Data { get; }

    public string Path => Data.Path;
    public string Format => Data.Format.ToString();
    public long Requests => Data.Requests;
    public long Objects => Data.Objects;
    public int PagesPerObject => Data.PagesPerObject;
    /// <summary>The memory the trace spans, in bytes (objects × pages per object × 4 KiB).</summary>
    public long FootprintBytes => Data.FootprintPages * 4096;
    /// <summary>How Add-Task applies each access unless it is given -Backend: anon store, read() through a descriptor, or a load through a shared mapping.</summary>
    public MemoryBackend Backend { get; }
    /// <summary>The mapping's advice (RandRead = MADV_RANDOM, SeqRead = MADV_SEQUENTIAL, ...) unless Add-Task is given -VmaFlags.</summary>
    public VmaFlags VmaFlags { get; }
    /// <summary>Where the traced program read memory.stat (access counts), Add-Task's -ReadMemoryStatAt unless given.</summary>
    public long[] MemoryStatReads { get; }
    /// <summary>The kernel-lab run that recorded the trace, from its description beside it (null: none).</summary>
    public MemwlRun? Run { get; }

    public override string ToString() => $"{System.IO.Path.GetFileName(Path)} ({Requests} requests, {Objects} objects)";
}
