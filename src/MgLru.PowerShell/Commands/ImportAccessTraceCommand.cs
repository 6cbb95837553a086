using System;
using System.IO;
using System.Management.Automation;
using MgLru.Engine.Scenario;
using MgLru.Engine.Workloads;
using MgLru.PowerShell.Model;

namespace MgLru.PowerShell.Commands;

/// <summary>
/// Loads an access trace (Txt, Csv, OracleGeneral or raw uint32 page indexes) for Add-Task -Workload.
/// Object ids become pages in order of first appearance; a malformed file is an error naming the line
/// or record, and nothing of it is used.
/// </summary>
[Cmdlet(VerbsData.Import, "AccessTrace")]
[OutputType(typeof(AccessTrace))]
public sealed class ImportAccessTraceCommand : PSCmdlet
{
    /// <summary>The trace file.</summary>
    [Parameter(Mandatory = true, Position = 0, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
    [Alias("FullName")]
    [ValidateNotNullOrEmpty]
    public string Path { get; set; } = "";

    /// <summary>Txt, Csv, OracleGeneral or U32.</summary>
    [Parameter(Mandatory = true)]
    public TraceFormat Format { get; set; }

    /// <summary>Csv: the 1-based column of the object id.</summary>
    [Parameter]
    [ValidateRange(1, 1000)]
    public int IdColumn { get; set; } = 2;

    /// <summary>Csv: the 1-based column of the time (checked to be a number, otherwise unused).</summary>
    [Parameter]
    [ValidateRange(1, 1000)]
    public int TimeColumn { get; set; }

    /// <summary>Csv: the 1-based column of the size (checked to be a number; sizes are ignored).</summary>
    [Parameter]
    [ValidateRange(1, 1000)]
    public int SizeColumn { get; set; }

    /// <summary>Csv: the delimiter; detected from the first line when omitted.</summary>
    [Parameter]
    public char Delimiter { get; set; }

    /// <summary>Csv: the first line is a header (true) or data (false); detected when omitted.</summary>
    [Parameter]
    public bool Header { get; set; }

    /// <summary>Pages each object occupies; a request touches all of them.</summary>
    [Parameter]
    [ValidateRange(1, 1 << 20)]
    public int PagesPerObject { get; set; } = 1;

    /// <summary>How each access is applied (Add-Task's default for this trace): Anon (a store to anonymous memory), FileRead (read() through a descriptor: page cache, fd tiers, no readahead), FileMmap (a load through a shared file mapping) or FilePrivate.</summary>
    [Parameter]
    public MemoryBackend Backend { get; set; } = MemoryBackend.Anon;

    /// <summary>Advice on the mapping (Add-Task's default for this trace): RandRead = MADV_RANDOM (no read-around, no recency), SeqRead = MADV_SEQUENTIAL, NoReuse, Locked.</summary>
    [Parameter]
    public VmaFlags VmaFlags { get; set; } = VmaFlags.None;

    /// <summary>Access counts after which the traced program read its memcg's memory.stat (Add-Task's default for this trace).</summary>
    [Parameter]
    [ValidateNotNull]
    [ValidateRange(0L, long.MaxValue)]
    public long[]? ReadMemoryStatAt { get; set; }

    /// <summary>
    /// The trace with how to replay it: the parameters given, else what a kernel-lab run description says
    /// (the memwl program's MEMWL_CONFIG line in the trace's .txt beside it: its backend, its madvise and
    /// posix_fadvise, and memwl --stat's memory.stat reads before the first access, after the populate pass
    /// and after each phase), else anonymous memory without advice.
    /// </summary>
    private AccessTrace Describe(AccessTraceData data, string path)
    {
        var bound = MyInvocation.BoundParameters;
        var backend = Backend;
        var vmaFlags = VmaFlags;
        long[]? reads = ReadMemoryStatAt;
        MemwlRun? run = null;
        if (Format == TraceFormat.U32 && MemwlRun.TryRead(path, data.Requests, out run))
        {
            WriteVerbose($"{System.IO.Path.GetFileName(path)}: memwl run {run.Backend} {run.Pattern}, advice {run.Advice}, {run.StatReads.Count} memory.stat reads (from its .txt).");
            if (!bound.ContainsKey(nameof(Backend))) backend = run.Backend;
            if (!bound.ContainsKey(nameof(VmaFlags))) vmaFlags = run.Advice;
            reads ??= System.Linq.Enumerable.ToArray(run.StatReads);
        }
        return new AccessTrace(data, backend, vmaFlags, reads, run);
    }

    protected override void ProcessRecord()
    {
        string path = GetUnresolvedProviderPathFromPSPath(Path);
        var bound = MyInvocation.BoundParameters;
        var options = new TraceReadOptions
        {
            IdColumn = IdColumn,
            TimeColumn = bound.ContainsKey(nameof(TimeColumn)) ? TimeColumn : null,
            SizeColumn = bound.ContainsKey(nameof(SizeColumn)) ? SizeColumn : null,
            Delimiter = bound.ContainsKey(nameof(Delimiter)) ? Delimiter : null,
            HasHeader = bound.ContainsKey(nameof(Header)) ? Header : null,
            PagesPerObject = PagesPerObject,
        };
        try
        {
            if (path.EndsWith(".zst", StringComparison.OrdinalIgnoreCase))
            {
                // Decompressed on the fly, never to disk.
                using var file = File.OpenRead(path);
                using var zstd = new ZstdSharp.DecompressionStream(file);
                WriteObject(Describe(TraceReader.Read(zstd, path, Format, options), path));
            }
            else WriteObject(Describe(TraceReader.Read(path, Format, options), path));
        }
        catch (ZstdSharp.ZstdException e)
        {
            WriteError(new ErrorRecord(new TraceFormatException(path, "zstd stream", "a valid Zstandard frame: " + e.Message), "MalformedTrace", ErrorCategory.InvalidData, path));
        }
        catch (TraceFormatException e)
        {
            WriteError(new ErrorRecord(e, "MalformedTrace", ErrorCategory.InvalidData, path));
        }
        catch (Exception e) when (e is FileNotFoundException || e is DirectoryNotFoundException)
        {
            WriteError(new ErrorRecord(e, "TraceNotFound", ErrorCategory.ObjectNotFound, path));
        }
        catch (Exception e) when (e is IOException || e is UnauthorizedAccessException)
        {
            WriteError(new ErrorRecord(e, "TraceUnreadable", ErrorCategory.ReadError, path));
        }
    }
}
