using System;
using System.Collections.Generic;
using System.Globalization;
using System.Management.Automation;
using MgLru.Engine.Scenario;
using MgLru.PowerShell.Infrastructure;
using MgLru.PowerShell.Model;

namespace MgLru.PowerShell.Commands;

/// <summary>
/// Adds a task (a process with its own address space) to a memory cgroup and passes the cgroup on,
/// so several Add-Task stages chain.
/// </summary>
[Cmdlet(VerbsCommon.Add, "Task")]
[OutputType(typeof(MemCgroup))]
public sealed class AddTaskCommand : PSCmdlet
{
    /// <summary>The cgroup that receives the task.</summary>
    [Parameter(Mandatory = true, ValueFromPipeline = true)]
    [ValidateNotNull]
    public MemCgroup InputObject { get; set; } = null!;

    /// <summary>The task's name.</summary>
    [Parameter(Mandatory = true, Position = 0)]
    [ValidateNotNullOrEmpty]
    public string Name { get; set; } = "";

    /// <summary>The access pattern: a generator (Sequential, Uniform, Zipf, Gaussian, HotCold, Scan), a profile (Memcached, Fio), a workload from New-Workload, or a trace from Import-AccessTrace.</summary>
    [Parameter]
    [WorkloadArgument]
    [ArgumentCompleter(typeof(WorkloadCompleter))]
    [ValidateNotNull]
    public object Workload { get; set; } = WorkloadKind.Zipf;

    /// <summary>Zipf exponent, in (0, 3].</summary>
    [Parameter]
    [ValidateRange(0.01, 3.0)]
    public double Alpha { get; set; } = 0.9;

    /// <summary>Size of the task's memory in bytes (64MB style works); a trace's own footprint when omitted.</summary>
    [Parameter]
    [ValidateRange(4096L, 1L << 42)]
    public long Rss { get; set; }

    /// <summary>Number of sampled accesses after the populate pass that touches every page once.</summary>
    [Parameter]
    [ValidateRange(0L, long.MaxValue)]
    public long Accesses { get; set; } = 1_000_000;

    /// <summary>Anon (private anonymous memory), FileRead (a file read through a descriptor: the page cache), FileMmap (a shared file mapping) or FilePrivate (a private one: stores copy the page).</summary>
    [Parameter]
    public MemoryBackend Backend { get; set; } = MemoryBackend.Anon;

    /// <summary>Share of accesses that write, 0 to 1: stores, or write() for FileRead. Default: 1 for Anon, 0 for files.</summary>
    [Parameter]
    [ValidateRange(0.0, 1.0)]
    public double WriteFraction { get; set; } = -1;

    /// <summary>Flags of the task's mapping: Locked (mlock), SeqRead/RandRead (madvise), NoReuse (fadvise), PfnMap (device memory).</summary>
    [Parameter]
    public VmaFlags VmaFlags { get; set; } = VmaFlags.None;

    /// <summary>Share of the scheduler's turns the task runs, (0, 1]; it sleeps through the rest, and walkers skip its mm until it runs again.</summary>
    [Parameter]
    [ValidateRange(0.001, 1.0)]
    public double RunFraction { get; set; } = 1.0;

    /// <summary>
    /// Access counts (populate pass included; 0 = before the first access) after which the task reads its
    /// memcg's memory.stat, as a monitoring loop or the kernel lab's memwl --stat does; each read flushes
    /// the memcg's statistics, which 6.12's classic reclaim reads.
    /// </summary>
    [Parameter]
    [ValidateNotNull]
    [ValidateRange(0L, long.MaxValue)]
    public long[]? ReadMemoryStatAt { get; set; }

    /// <summary>The file a FileRead or FileMmap task uses: tasks naming the same file share its page cache and, when mapping it, its pages.</summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    public string? File { get; set; }

    /// <summary>Make the task a thread of this earlier task of the same memcg: it shares its mm (pages and page tables).</summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    public string? ShareMmWith { get; set; }

    /// <summary>Move the task to this memcg during the run (it must be simulated too); its charged pages stay behind.</summary>
    [Parameter]
    public MemCgroup? MoveTo { get; set; }

    /// <summary>When to move, as the fraction of the task's accesses (populate pass included) done by then.</summary>
    [Parameter]
    [ValidateRange(0.0, 1.0)]
    public double At { get; set; } = 0.5;

    /// <summary>Skip the populate pass.</summary>
    [Parameter]
    public SwitchParameter NoPopulate { get; set; }

    /// <summary>Further mappings of the task's address space (New-MemoryMapping), after the -Rss one; the workload's pages run over all of them in order.</summary>
    [Parameter]
    [ValidateNotNull]
    public VmaSpec[]? Mapping { get; set; }

    /// <summary>The NUMA node the task runs on (its CPUs): allocations try this node first, then the others by distance. Default: the first node with CPUs.</summary>
    [Parameter]
    [ValidateRange(0, 7)]
    public int Node { get; set; }

    private int? NodeOrDefault => MyInvocation.BoundParameters.ContainsKey(nameof(Node)) ? Node : null;

    /// <summary>Worker threads of the Memcached profile: tasks sharing one mm and one key popularity.</summary>
    [Parameter]
    [ValidateRange(1, 64)]
    public int Threads { get; set; } = 4;

    protected override void ProcessRecord()
    {
        try
        {
            double? writeFraction = MyInvocation.BoundParameters.ContainsKey(nameof(WriteFraction)) ? WriteFraction : null;
            bool rssGiven = MyInvocation.BoundParameters.ContainsKey(nameof(Rss));
            // A trace loaded with -Backend/-VmaFlags carries them; the parameters here override.
            var loaded = Workload as AccessTrace;
            var backend = loaded != null && !MyInvocation.BoundParameters.ContainsKey(nameof(Backend)) ? loaded.Backend : Backend;
            var vmaFlags = loaded != null && !MyInvocation.BoundParameters.ContainsKey(nameof(VmaFlags)) ? loaded.VmaFlags : VmaFlags;
            long[]? statReads = ReadMemoryStatAt ?? loaded?.MemoryStatReads;
            WorkloadSpec workload;
            long rss = Rss;
            if (MyInvocation.BoundParameters.ContainsKey(nameof(Threads)) && !(Workload is WorkloadProfile.Memcached))
                throw new ArgumentException("-Threads belongs to the Memcached profile (-Workload Memcached).", nameof(Threads));
            if (Workload is WorkloadProfile profile)
            {
                if (!rssGiven) throw new ArgumentException("-Rss is required.", nameof(Rss));
                if (profile == WorkloadProfile.Memcached) AddMemcached(rss, writeFraction);
                else AddFio(rss, writeFraction);
                WriteObject(InputObject);
                return;
            }
            if (Workload is AccessTrace trace)
            {
                workload = WorkloadSpec.FromTrace(trace.Data.Pages, writeFraction, backend);
                if (!rssGiven) rss = Math.Max(trace.FootprintBytes, 4096);
                else if (rss < trace.FootprintBytes)
                    throw new ArgumentException($"-Rss {rss} is smaller than the trace's footprint ({trace.FootprintBytes} bytes).", nameof(Rss));
            }
            else
            {
                if (!rssGiven) throw new ArgumentException("-Rss is required unless -Workload is a trace.", nameof(Rss));
                workload = Workload switch
                {
                    WorkloadSpec spec => spec,
                    WorkloadKind.Gaussian => WorkloadSpec.Gaussian(populate: !NoPopulate, writeFraction: writeFraction, backend: Backend),
                    WorkloadKind.HotCold => WorkloadSpec.HotCold(populate: !NoPopulate, writeFraction: writeFraction, backend: Backend),
                    WorkloadKind.Scan => new WorkloadSpec(WorkloadKind.Scan, populate: false, writeFraction: writeFraction, backend: Backend),
                    _ => new WorkloadSpec((WorkloadKind)Workload, Alpha, populate: !NoPopulate, writeFraction: writeFraction, backend: Backend),
                };
            }
            if (File != null && backend == MemoryBackend.Anon)
                throw new ArgumentException("-File needs -Backend FileRead, FileMmap or FilePrivate.", nameof(File));
            if (Mapping != null && ShareMmWith != null)
                throw new ArgumentException("A thread (-ShareMmWith) uses its leader's mappings; leave out -Mapping.", nameof(Mapping));
            InputObject.AddTask(new TaskSpec(Name, workload, rss, Accesses, MoveTo?.Name, At, vmaFlags, ShareMmWith, File, RunFraction, mappings: Mapping, node: NodeOrDefault, memoryStatReads: statReads));
        }
        catch (ArgumentException e)
        {
            WriteError(new ErrorRecord(e, "InvalidTask", ErrorCategory.InvalidArgument, Name));
            return;
        }
        WriteObject(InputObject);
    }

    /// <summary>
    /// memcached: the first task owns the mm (the slab pages) and populates it; Threads - 1 more workers
    /// (Name-1, Name-2, ...) share the mm and the leader's key ranking; the accesses are split among them.
    /// </summary>
    private void AddMemcached(long rss, double? writeFraction)
    {
        if (MyInvocation.BoundParameters.ContainsKey(nameof(Backend)) && Backend != MemoryBackend.Anon)
            throw new ArgumentException("The Memcached profile is anonymous memory; -Backend must be Anon.", nameof(Backend));
        if (ShareMmWith != null) throw new ArgumentException("The Memcached profile makes its own threads; leave out -ShareMmWith.", nameof(ShareMmWith));
        double writes = writeFraction ?? 0.1;
        long each = Accesses / Threads;
        var tasks = new List<TaskSpec>();
        for (int i = 0; i < Threads; i++)
        {
            string name = i == 0 ? Name : Name + "-" + i.ToString(CultureInfo.InvariantCulture);
            long accesses = i == 0 ? Accesses - each * (Threads - 1) : each;
            var workload = new WorkloadSpec(WorkloadKind.Zipf, Alpha, populate: i == 0 && !NoPopulate, writeFraction: writes);
            tasks.Add(i == 0
                ? new TaskSpec(name, workload, rss, accesses, MoveTo?.Name, At, VmaFlags, runFraction: RunFraction, mappings: Mapping, node: NodeOrDefault, memoryStatReads: ReadMemoryStatAt)
                : new TaskSpec(name, workload, rss, accesses, MoveTo?.Name, At, VmaFlags, shareMmWith: Name, runFraction: RunFraction, sharedRanking: true, node: NodeOrDefault));
        }
        // All or nothing: a name clash on the third thread must not leave two of them behind.
        InputObject.AddTasks(tasks);
    }

    /// <summary>
    /// fio with direct=0: random offsets, uniform (randread/randrw) or zipf:alpha when -Alpha is given. fio's
    /// default fadvise_hint=1 advises random I/O (POSIX_FADV_RANDOM, or POSIX_MADV_RANDOM with ioengine=mmap):
    /// RandRead unless -VmaFlags says otherwise.
    /// </summary>
    private void AddFio(long rss, double? writeFraction)
    {
        var backend = MyInvocation.BoundParameters.ContainsKey(nameof(Backend)) ? Backend : MemoryBackend.FileRead;
        if (backend == MemoryBackend.Anon) throw new ArgumentException("The Fio profile does file I/O; -Backend must be FileRead (read/write) or FileMmap (ioengine=mmap).", nameof(Backend));
        var kind = MyInvocation.BoundParameters.ContainsKey(nameof(Alpha)) ? WorkloadKind.Zipf : WorkloadKind.Uniform;
        var workload = new WorkloadSpec(kind, Alpha, populate: !NoPopulate, writeFraction: writeFraction ?? 0, backend: backend);
        var advice = MyInvocation.BoundParameters.ContainsKey(nameof(VmaFlags)) ? VmaFlags : VmaFlags.RandRead;
        InputObject.AddTask(new TaskSpec(Name, workload, rss, Accesses, MoveTo?.Name, At, advice, ShareMmWith, File, RunFraction, mappings: Mapping, node: NodeOrDefault, memoryStatReads: ReadMemoryStatAt));
    }
}
