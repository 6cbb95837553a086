using MgLru.Engine.Workloads;

namespace MgLru.PowerShell.Model;

/// <summary>A trace loaded by Import-AccessTrace, ready for Add-Task -Workload.</summary>
public sealed class AccessTrace
{
    internal AccessTrace(AccessTraceData data) => Data = data;

    internal AccessTraceData Data { get; }

    public string Path => Data.Path;
    public string Format => Data.Format.ToString();
    public long Requests => Data.Requests;
    public long Objects => Data.Objects;
    public int PagesPerObject => Data.PagesPerObject;
    /// <summary>The memory the trace spans, in bytes (objects × pages per object × 4 KiB).</summary>
    public long FootprintBytes => Data.FootprintPages * 4096;

    public override string ToString() => $"{System.IO.Path.GetFileName(Path)} ({Requests} requests, {Objects} objects)";
}
