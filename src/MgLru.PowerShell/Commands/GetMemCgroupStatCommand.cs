using System;
using System.Management.Automation;
using MgLru.Engine.Stats;
using MgLru.PowerShell.Infrastructure;
using MgLru.PowerShell.Model;

namespace MgLru.PowerShell.Commands;

/// <summary>
/// Reads a memory cgroup's memory.stat (or memory.events with -Events) from a live simulation: "key value"
/// text as the kernel prints it, or one object per key with -AsObject.
/// </summary>
[Cmdlet(VerbsCommon.Get, "MemCgroupStat")]
[OutputType(typeof(string), typeof(MemoryStatEntry))]
public sealed class GetMemCgroupStatCommand : SimulationCommandBase
{
    /// <summary>The memcg's name ("/" for the root).</summary>
    [Parameter(Mandatory = true, Position = 0)]
    [ValidateNotNullOrEmpty]
    [ArgumentCompleter(typeof(MemCgroupNameCompleter))]
    public string Name { get; set; } = "";

    /// <summary>Objects (Memcg, Key, Value) instead of text.</summary>
    [Parameter]
    public SwitchParameter AsObject { get; set; }

    /// <summary>memory.events (low, high, max, oom, oom_kill, oom_group_kill) instead of memory.stat.</summary>
    [Parameter]
    public new SwitchParameter Events { get; set; }

    protected override void ProcessRecord()
    {
        try
        {
            var engine = InputObject.Engine;
            if (AsObject)
            {
                foreach (var entry in Events ? engine.MemoryEvents(Name) : engine.MemoryStat(Name)) WriteObject(entry);
            }
            else WriteObject(Events ? engine.MemoryEventsText(Name) : engine.MemoryStatText(Name));
        }
        catch (ArgumentException e)
        {
            WriteError(new ErrorRecord(e, "MemCgroupNotFound", ErrorCategory.ObjectNotFound, Name));
        }
    }
}
