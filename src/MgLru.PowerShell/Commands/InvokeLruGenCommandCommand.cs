using System.Management.Automation;
using MgLru.Engine.Debugfs;
using MgLru.PowerShell.Infrastructure;
using MgLru.PowerShell.Model;

namespace MgLru.PowerShell.Commands;

/// <summary>
/// Writes commands to /sys/kernel/debug/lru_gen of a live simulation, with the kernel's parsing and
/// errors: "+ memcg_id node_id max_gen_nr [swappiness [force_scan]]" ages, "- memcg_id node_id
/// min_gen_nr [swappiness [nr_to_reclaim]]" evicts. A failure is an error whose id is the errno
/// (EINVAL, EEXIST, ERANGE); the commands after it in the same write are not run.
/// </summary>
[Cmdlet(VerbsLifecycle.Invoke, "LruGenCommand")]
[OutputType(typeof(ReclaimSimulation))]
public sealed class InvokeLruGenCommandCommand : SimulationCommandBase
{
    /// <summary>One write each; a write may hold several commands separated by newlines, ',' or ';'.</summary>
    [Parameter(Mandatory = true, Position = 0)]
    [ValidateNotNullOrEmpty]
    public string[] Command { get; set; } = null!;

    /// <summary>Emit the simulation afterwards, for chaining.</summary>
    [Parameter]
    public SwitchParameter PassThru { get; set; }

    protected override void ProcessRecord()
    {
        foreach (var write in Command)
        {
            try
            {
                InputObject.Engine.WriteLruGen(write);
            }
            catch (KernelWriteException e)
            {
                var category = e.Errno switch
                {
                    "EEXIST" => ErrorCategory.ResourceExists,
                    "ERANGE" => ErrorCategory.LimitsExceeded,
                    _ => ErrorCategory.InvalidArgument,
                };
                WriteError(new ErrorRecord(e, e.Errno, category, e.Command));
            }
        }
        if (PassThru) WriteObject(InputObject);
    }
}
