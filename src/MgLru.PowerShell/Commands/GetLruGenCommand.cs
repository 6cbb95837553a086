using System.Management.Automation;
using MgLru.Engine.Stats;
using MgLru.PowerShell.Infrastructure;
using MgLru.PowerShell.Model;

namespace MgLru.PowerShell.Commands;

/// <summary>
/// Reads /sys/kernel/debug/lru_gen (or lru_gen_full with -Full) of a live simulation, byte for byte
/// in the kernel's format; -AsObject gives one row per generation instead.
/// </summary>
[Cmdlet(VerbsCommon.Get, "LruGen")]
[OutputType(typeof(string), typeof(LruGenRow))]
public sealed class GetLruGenCommand : SimulationCommandBase
{
    /// <summary>lru_gen_full: every generation with its tiers (refaulted, evicted, protected) and the page-table-walk statistics.</summary>
    [Parameter]
    public SwitchParameter Full { get; set; }

    /// <summary>Rows (memcg id, path, node, seq, age, anon and file pages) instead of text.</summary>
    [Parameter]
    public SwitchParameter AsObject { get; set; }

    protected override void ProcessRecord()
    {
        if (AsObject)
        {
            foreach (var row in InputObject.Engine.LruGenRows()) WriteObject(row);
            return;
        }
        WriteObject(InputObject.Engine.LruGenText(Full));
    }
}
