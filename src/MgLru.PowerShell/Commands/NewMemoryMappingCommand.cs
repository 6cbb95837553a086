using System;
using System.Management.Automation;
using MgLru.Engine.Scenario;

namespace MgLru.PowerShell.Commands;

/// <summary>
/// Creates a further mapping (VMA) for Add-Task -Mapping: anonymous memory, a shared or private file
/// mapping, or a file read through a descriptor, beside the task's first mapping in one address space.
/// </summary>
[Cmdlet(VerbsCommon.New, "MemoryMapping")]
[OutputType(typeof(VmaSpec))]
public sealed class NewMemoryMappingCommand : PSCmdlet
{
    /// <summary>Anon, FileRead (descriptor reads, no PTEs), FileMmap (MAP_SHARED) or FilePrivate (MAP_PRIVATE: stores copy the page).</summary>
    [Parameter(Mandatory = true, Position = 0)]
    public MemoryBackend Backend { get; set; }

    /// <summary>Size in bytes (64MB style works).</summary>
    [Parameter(Mandatory = true, Position = 1)]
    [ValidateRange(4096L, 1L << 42)]
    public long Size { get; set; }

    /// <summary>The file mapped or read; mappings naming the same file share its page cache. Default: a file of the mapping's own.</summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    public string? File { get; set; }

    /// <summary>VMA flags: Locked, SeqRead, RandRead, NoReuse, PfnMap.</summary>
    [Parameter]
    public VmaFlags Flags { get; set; } = VmaFlags.None;

    /// <summary>Share of this mapping's accesses that store (or write()), 0 to 1. Default: 1 for Anon, 0 for files.</summary>
    [Parameter]
    [ValidateRange(0.0, 1.0)]
    public double WriteFraction { get; set; }

    protected override void ProcessRecord()
    {
        try
        {
            double? writes = MyInvocation.BoundParameters.ContainsKey(nameof(WriteFraction)) ? WriteFraction : null;
            WriteObject(new VmaSpec(Backend, Size, File, Flags, writes));
        }
        catch (ArgumentException e)
        {
            ThrowTerminatingError(new ErrorRecord(e, "InvalidMapping", ErrorCategory.InvalidArgument, Backend));
        }
    }
}
