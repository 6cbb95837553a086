using System.Globalization;
using MgLru.Engine.Debugfs;
using MgLru.PowerShell.Infrastructure;
using MgLru.PowerShell.Model;
using System.Management.Automation;

namespace MgLru.PowerShell.Commands;

/// <summary>
/// Proactive reclaim: writes "&lt;bytes&gt; [swappiness=N|max]" to a memcg's memory.reclaim in a live
/// simulation. Reclaim runs in batches until the amount is reclaimed; giving up is an EAGAIN error.
/// </summary>
[Cmdlet(VerbsLifecycle.Invoke, "MemCgroupReclaim")]
[OutputType(typeof(ProactiveReclaimResult))]
public sealed class InvokeMemCgroupReclaimCommand : SimulationCommandBase
{
    /// <summary>The memcg's name.</summary>
    [Parameter(Mandatory = true, Position = 0)]
    [ValidateNotNullOrEmpty]
    [ArgumentCompleter(typeof(MemCgroupNameCompleter))]
    public string Name { get; set; } = "";

    /// <summary>How much to reclaim, in bytes (16MB style works).</summary>
    [Parameter(Mandatory = true, Position = 1)]
    [ValidateRange(1L, long.MaxValue)]
    public long Bytes { get; set; }

    /// <summary>swappiness= for this write, 0..200.</summary>
    [Parameter]
    [ValidateRange(0, 200)]
    public int Swappiness { get; set; } = -1;

    /// <summary>swappiness=max: anonymous memory only (Multi-Gen LRU).</summary>
    [Parameter]
    public SwitchParameter AnonOnly { get; set; }

    protected override void ProcessRecord()
    {
        string write = Bytes.ToString(CultureInfo.InvariantCulture);
        if (AnonOnly) write += " swappiness=max";
        else if (MyInvocation.BoundParameters.ContainsKey(nameof(Swappiness))) write += " swappiness=" + Swappiness.ToString(CultureInfo.InvariantCulture);
        try
        {
            long pages = InputObject.Engine.WriteMemoryReclaim(Name, write);
            WriteObject(new ProactiveReclaimResult(Name, Bytes, pages * 4096));
        }
        catch (KernelWriteException e)
        {
            var category = e.Errno == "EAGAIN" ? ErrorCategory.ResourceUnavailable : ErrorCategory.InvalidArgument;
            WriteError(new ErrorRecord(e, e.Errno, category, Name));
        }
        catch (System.ArgumentException e)
        {
            WriteError(new ErrorRecord(e, "MemCgroupNotFound", ErrorCategory.ObjectNotFound, Name));
        }
    }
}
