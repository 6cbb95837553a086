using System;
using System.IO;
using System.Linq;
using System.Management.Automation;
using MgLru.Engine.Scenario;
using MgLru.Engine.Stats;
using Xunit;

namespace MgLru.PowerShell.Tests;

public sealed class TraceTests : IDisposable
{
    private readonly string _dir = Path.Combine(Path.GetTempPath(), "mglru-ps-traces-" + Guid.NewGuid().ToString("N"));

    public TraceTests() => Directory.CreateDirectory(_dir);

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Theory]
    [InlineData("OracleGeneral")]
    [InlineData("Txt")]
    [InlineData("U32")]
    public void A_zstd_compressed_trace_reads_like_the_plain_file(string format)
    {
        // The same trace plain and as .zst (decompressed on the fly): the same pages, objects and requests.
        byte[] plain;
        var ids = new ulong[] { 7, 0x10, 7, 3, 0x10, 42, 7 };
        if (format == "OracleGeneral")
        {
            plain = new byte[24 * ids.Length];
            for (int i = 0; i < ids.Length; i++)
            {
                BitConverter.GetBytes((uint)i).CopyTo(plain, 24 * i);
                BitConverter.GetBytes(ids[i]).CopyTo(plain, 24 * i + 4);
                BitConverter.GetBytes(4096u).CopyTo(plain, 24 * i + 12);
                BitConverter.GetBytes(-1L).CopyTo(plain, 24 * i + 16);
            }
        }
        else if (format == "Txt") plain = System.Text.Encoding.ASCII.GetBytes(string.Join("\n", ids) + "\n");
        else plain = ids.SelectMany(id => BitConverter.GetBytes((uint)id)).ToArray();
        string raw = Path.Combine(_dir, "t." + format), zst = raw + ".zst";
        File.WriteAllBytes(raw, plain);
        using (var compressor = new ZstdSharp.Compressor(3)) File.WriteAllBytes(zst, compressor.Wrap(plain).ToArray());
        // Replayed under an exact LRU of 2 pages, the two must miss identically (the order of pages matters).
        string replay = "New-MemCgroup -Name c -Limit 8KB | Add-Task -Name t -Workload $tr | Invoke-Reclaim -Policy Lru -Swap 1MB";
        var (output, shell) = Ps.Run($"$tr = Import-AccessTrace '{raw}' -Format {format}; $tr; {replay}; $tr = Import-AccessTrace '{zst}' -Format {format}; $tr; {replay}");
        Assert.False(shell.HadErrors, string.Join("\n", shell.Streams.Error));
        var a = (MgLru.PowerShell.Model.AccessTrace)output[0].BaseObject;
        var b = (MgLru.PowerShell.Model.AccessTrace)output[2].BaseObject;
        Assert.Equal(a.Objects, b.Objects);
        Assert.Equal(a.FootprintBytes, b.FootprintBytes);
        Assert.Equal(7, b.Requests);
        var ra = (MgLru.Engine.Stats.ReclaimResult)output[1].BaseObject;
        var rb = (MgLru.Engine.Stats.ReclaimResult)output[3].BaseObject;
        Assert.Equal(ra.PgFault, rb.PgFault);
        // 7, 16, 7, 3, 16, 42, 7 through two pages: only the second 7 hits.
        Assert.Equal(6, rb.PgFault);
        Assert.True(new FileInfo(zst).Length < new FileInfo(raw).Length || format != "OracleGeneral");
    }

    [Fact]
    public void A_corrupt_zstd_file_is_an_error_naming_it()
    {
        string zst = Path.Combine(_dir, "bad.oracleGeneral.zst");
        File.WriteAllBytes(zst, new byte[] { 0x28, 0xB5, 0x2F, 0xFD, 1, 2, 3, 4, 5, 6, 7, 8 });
        var (output, shell) = Ps.Run($"Import-AccessTrace '{zst}' -Format OracleGeneral");
        Assert.Empty(output);
        var error = Assert.Single(shell.Streams.Error);
        Assert.Equal("MalformedTrace,MgLru.PowerShell.Commands.ImportAccessTraceCommand", error.FullyQualifiedErrorId);
        Assert.Contains("bad.oracleGeneral.zst", error.Exception.Message);
    }

    [Fact]
    public void A_trace_replays_through_Add_Task_Workload()
    {
        // A loop over 1,200 objects with 1,000 pages under an exact LRU misses on every request;
        // the same loop over 900 objects misses only its first pass.
        string big = Path.Combine(_dir, "big.txt"), small = Path.Combine(_dir, "small.txt");
        File.WriteAllLines(big, Enumerable.Range(1, 3000).Select(i => (i % 1200).ToString()));
        File.WriteAllLines(small, Enumerable.Range(1, 3000).Select(i => (i % 900).ToString()));
        var (output, shell) = Ps.Run($@"
foreach ($p in '{big}', '{small}') {{
    $trace = Import-AccessTrace $p -Format Txt
    New-MemCgroup -Name cache -Limit 4000KB | Add-Task -Name replay -Workload $trace | Invoke-Reclaim -Policy Lru -Swap 16MB
}}");
        Assert.False(shell.HadErrors, string.Join("\n", shell.Streams.Error));
        var rows = output.Select(o => (ReclaimResult)o.BaseObject).ToArray();
        Assert.Equal(1.0, rows[0].MissRatio);
        Assert.Equal(900, rows[1].PgFault);
        Assert.Equal(3000, rows[1].Accesses);
    }

    [Fact]
    public void A_U32_trace_carries_its_backend_and_advice_into_Add_Task_unless_overridden()
    {
        // Ten pages touched twice, populate pass included (as the kernel lab records them). Through a shared
        // file mapping without advice the first touch reads around it (the whole 10-page file) and the next
        // fault maps the other 9 (fault-around): 1 major fault of 2, 40 KiB of mapped page cache; through
        // read() nothing faults; as anonymous stores the first touches are minor faults. -Backend on Add-Task wins.
        string path = Path.Combine(_dir, "t.u32");
        File.WriteAllBytes(path, Enumerable.Range(0, 20).SelectMany(i => BitConverter.GetBytes((uint)(i % 10))).ToArray());
        var (output, shell) = Ps.Run($@"
foreach ($b in 'FileMmap', 'FileRead', 'Anon') {{
    $trace = Import-AccessTrace '{path}' -Format U32 -Backend $b
    $sim = New-MemCgroup -Name lab -Limit 1MB | Add-Task -Name t -Workload $trace | Start-ReclaimSimulation -Swap 1MB
    $r = $sim | Step-ReclaimSimulation
    '{{0}} {{1}} {{2}} {{3}}' -f $trace.Backend, $r.PgMajFault, $r.PgFault, (($sim | Get-MemCgroupStat -Name lab) -split ""`n"" | Where-Object {{ $_ -match '^file_mapped ' }})
}}
$trace = Import-AccessTrace '{path}' -Format U32 -Backend FileMmap
(New-MemCgroup -Name lab -Limit 1MB | Add-Task -Name t -Workload $trace -Backend Anon | Invoke-Reclaim -Swap 1MB).PgMajFault
# MADV_RANDOM carried over: file faults without recency land in the oldest generation (seq 0), not max_seq - 1.
$trace = Import-AccessTrace '{path}' -Format U32 -Backend FileMmap -VmaFlags RandRead
$sim = New-MemCgroup -Name lab -Limit 1MB | Add-Task -Name t -Workload $trace | Start-ReclaimSimulation -Swap 1MB
$null = $sim | Step-ReclaimSimulation
$sim | Get-LruGen
");
        Assert.False(shell.HadErrors, string.Join("\n", shell.Streams.Error));
        var lines = output.Select(o => o.ToString()).ToArray();
        Assert.Equal("FileMmap 1 2 file_mapped 40960", lines[0]);
        Assert.Equal("FileRead 0 0 file_mapped 0", lines[1]);
        Assert.Equal("Anon 0 10 file_mapped 0", lines[2]);
        Assert.Equal("0", lines[3]);
        Assert.Matches(@"\n {10}0 +\d+ {10}0 {10}10 \n", lines[4]);
    }

    [Fact]
    public void A_kernel_lab_trace_takes_backend_advice_and_memory_stat_reads_from_its_run_description()
    {
        // memwl's MEMWL_CONFIG beside the trace: a file mapping, a Zipf pattern with advice (MADV_RANDOM),
        // 10 pages populated then 20 samples in 4 phases: memory.stat read at 0, 10, 15, 20, 25 and 30.
        string path = Path.Combine(_dir, "lab_s1.u32");
        File.WriteAllBytes(path, Enumerable.Range(0, 30).SelectMany(i => BitConverter.GetBytes((uint)(i % 10))).ToArray());
        File.WriteAllText(Path.Combine(_dir, "lab_s1.txt"),
            "MEMWL_CONFIG backend=file-mmap pattern=zipf size_mib=1 npages=10 passes=3 accesses=20 alpha=0.9 seed=42 phases=4 advice=1\n");
        string other = Path.Combine(_dir, "other.u32"); // a description of another run (30 pages) is not this trace's
        File.Copy(path, other);
        File.WriteAllText(Path.Combine(_dir, "other.txt"), "MEMWL_CONFIG backend=file-read pattern=seq npages=30 passes=3 phases=8 advice=1\n");
        string scenario = Path.Combine(_dir, "s.json");
        var (output, shell) = Ps.Run($@"
$t = Import-AccessTrace '{path}' -Format U32
'{{0}} {{1}} {{2}}' -f $t.Backend, $t.VmaFlags, ($t.MemoryStatReads -join ',')
$t = Import-AccessTrace '{path}' -Format U32 -Backend Anon -VmaFlags None -ReadMemoryStatAt 7
'{{0}} {{1}} {{2}}' -f $t.Backend, $t.VmaFlags, ($t.MemoryStatReads -join ',')
$t = Import-AccessTrace '{other}' -Format U32
'{{0}} {{1}} {{2}}' -f $t.Backend, $t.VmaFlags, $t.MemoryStatReads.Count
New-MemCgroup -Name lab | Add-Task -Name t -Workload (Import-AccessTrace '{path}' -Format U32) | Export-ReclaimScenario '{scenario}'
");
        Assert.False(shell.HadErrors, string.Join("\n", shell.Streams.Error));
        var lines = output.Select(o => o.ToString()).ToArray();
        Assert.Equal("FileMmap RandRead 0,10,15,20,25,30", lines[0]);
        Assert.Equal("Anon None 7", lines[1]);
        Assert.Equal("Anon None 0", lines[2]);
        Assert.Matches(@"""memoryStatReads"": \[\s*0,\s*10,\s*15,\s*20,\s*25,\s*30\s*\]", File.ReadAllText(scenario));
    }

    [Fact]
    public void A_malformed_trace_is_an_error_naming_file_and_line_and_nothing_is_returned()
    {
        string path = Path.Combine(_dir, "bad.csv");
        File.WriteAllText(path, "time,id\n1,5\n2,0xZZ\n");
        var (output, shell) = Ps.Run($"Import-AccessTrace '{path}' -Format Csv");
        Assert.Empty(output);
        var error = Assert.Single(shell.Streams.Error);
        Assert.Equal("MalformedTrace,MgLru.PowerShell.Commands.ImportAccessTraceCommand", error.FullyQualifiedErrorId);
        Assert.Equal(ErrorCategory.InvalidData, error.CategoryInfo.Category);
        Assert.Contains("line 3", error.Exception.Message);
        Assert.Contains("bad.csv", error.Exception.Message);
    }

    [Fact]
    public void A_missing_file_is_ObjectNotFound()
    {
        var (_, shell) = Ps.Run($"Import-AccessTrace '{Path.Combine(_dir, "nope.txt")}' -Format Txt");
        Assert.Equal("TraceNotFound,MgLru.PowerShell.Commands.ImportAccessTraceCommand", Assert.Single(shell.Streams.Error).FullyQualifiedErrorId);
    }

    [Fact]
    public void New_Workload_phases_run_through_Add_Task()
    {
        var (output, shell) = Ps.Run(@"
$hot = New-Workload HotCold -HotFraction 0.1 -NoPopulate
$w = New-Workload -Phase $hot, $hot -PhaseAccesses 5000, 5000
New-MemCgroup -Name app -Limit 2MB | Add-Task -Name app -Workload $w -Rss 4MB -Accesses 20000 | Invoke-Reclaim -Swap 64MB");
        Assert.False(shell.HadErrors, string.Join("\n", shell.Streams.Error));
        var r = (ReclaimResult)Assert.Single(output).BaseObject;
        Assert.Equal(1024 + 20000, r.Accesses);
        Assert.True(r.PgMajFault > 0);
    }

    [Theory]
    [InlineData("Phases")]
    [InlineData("Trace")]
    [InlineData("Nope")]
    public void Names_that_need_data_or_mean_nothing_are_not_workload_names(string name)
    {
        var (_, shell) = Ps.Run($"New-MemCgroup -Name x | Add-Task -Name t -Rss 1MB -Workload {name}");
        var error = Assert.Single(shell.Streams.Error);
        Assert.Equal("ParameterArgumentTransformationError,MgLru.PowerShell.Commands.AddTaskCommand", error.FullyQualifiedErrorId);
        Assert.Contains("Sequential, Uniform, Zipf, Gaussian, HotCold, Scan, Memcached, Fio", error.Exception.Message);
    }

    [Fact]
    public void Workload_names_are_case_insensitive_and_enum_values_pass()
    {
        var (output, shell) = Ps.Run("(New-MemCgroup -Name x | Add-Task -Name t -Rss 1MB -Workload hotcold | Add-Task -Name u -Rss 1MB -Workload ([MgLru.Engine.Scenario.WorkloadKind]::Uniform)).Tasks.Workload.Kind");
        Assert.False(shell.HadErrors, string.Join("\n", shell.Streams.Error));
        Assert.Equal(new object[] { WorkloadKind.HotCold, WorkloadKind.Uniform }, output.Select(o => o.BaseObject));
    }

    [Fact]
    public void Workload_completes_generator_names()
    {
        var (output, _) = Ps.Run("(TabExpansion2 -inputScript 'Add-Task -Workload Zi' -cursorColumn 21).CompletionMatches.CompletionText");
        Assert.Equal("Zipf", Assert.Single(output).ToString());
    }
}
