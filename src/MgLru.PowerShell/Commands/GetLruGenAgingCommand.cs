using System;
using System.Management.Automation;
using MgLru.Engine.Stats;
using MgLru.PowerShell.Infrastructure;
using MgLru.PowerShell.Model;

namespace MgLru.PowerShell.Commands;

/// <summary>
/// The agings of a live MGLRU simulation so far, one row each: when and why each ran (should_run_aging's
/// reason, kswapd, or a debugfs '+'), what its page-table walk did (the lru_gen_full walk statistics of
/// that aging alone) and the generation sizes it left. Under the other policies there are none.
/// </summary>
[Cmdlet(VerbsCommon.Get, "LruGenAging")]
[OutputType(typeof(AgingRow))]
public sealed class GetLruGenAgingCommand : SimulationCommandBase
{
    /// <summary>Only the agings of this memcg ("/" for the root); default every memcg.</summary>
    [Parameter(Position = 0)]
    [ValidateNotNullOrEmpty]
    [ArgumentCompleter(typeof(MemCgroupNameCompleter))]
    public string? Memcg { get; set; }

    protected override void ProcessRecord()
    {
        try
        {
            foreach (var row in InputObject.Engine.Agings(Memcg)) WriteObject(row);
        }
        catch (ArgumentException e)
        {
            WriteError(new ErrorRecord(e, "MemCgroupNotFound", ErrorCategory.ObjectNotFound, Memcg));
        }
    }
}
