using System.Linq;
using System.Management.Automation;
using MgLru.Engine.Scenario;
using MgLru.Engine.Stats;
using MgLru.PowerShell.Model;
using Xunit;

namespace MgLru.PowerShell.Tests;

public sealed class ProfileTests
{
    [Fact]
    public void Memcached_makes_worker_threads_sharing_one_mm_and_one_key_ranking()
    {
        var (output, shell) = Ps.Run("(New-MemCgroup -Name mc | Add-Task -Name kv -Workload Memcached -Threads 3 -Rss 16MB -Accesses 100001).Tasks");
        Assert.False(shell.HadErrors, string.Join("\n", shell.Streams.Error));
        var tasks = output.Select(o => (TaskSpec)o.BaseObject).ToArray();
        Assert.Equal(new[] { "kv", "kv-1", "kv-2" }, tasks.Select(t => t.Name));
        Assert.Equal(new long[] { 33335, 33333, 33333 }, tasks.Select(t => t.Accesses));
        Assert.Equal(new string?[] { null, "kv", "kv" }, tasks.Select(t => t.ShareMmWith));
        Assert.Equal(new[] { false, true, true }, tasks.Select(t => t.SharedRanking));
        Assert.Equal(new[] { true, false, false }, tasks.Select(t => t.Workload.Populate)); // the leader populates the slabs once
        Assert.All(tasks, t => Assert.Equal(WorkloadKind.Zipf, t.Workload.Kind));
        Assert.All(tasks, t => Assert.Equal(0.1, t.Workload.WriteFraction));
    }

    [Fact]
    public void Memcached_threads_behave_like_one_task_over_the_same_keys_not_like_threads_with_their_own()
    {
        // Four workers over one key popularity fault about as often as one task doing all the accesses;
        // four threads each with its own hot set (plain -ShareMmWith) have a working set several times larger.
        var (output, shell) = Ps.Run(@"
$mc = New-MemCgroup -Name mc -Limit 8MB | Add-Task -Name kv -Workload Memcached -Rss 16MB -Accesses 200000
$one = New-MemCgroup -Name one -Limit 8MB | Add-Task -Name kv -Workload Zipf -Rss 16MB -Accesses 200000 -WriteFraction 0.1
$own = New-MemCgroup -Name own -Limit 8MB | Add-Task -Name kv -Workload Zipf -Rss 16MB -Accesses 50000 -WriteFraction 0.1
foreach ($i in 1..3) { $own = $own | Add-Task -Name ""kv-$i"" -Workload Zipf -Rss 16MB -Accesses 50000 -ShareMmWith kv -NoPopulate -WriteFraction 0.1 }
$mc, $one, $own | Invoke-Reclaim -Swap 256MB");
        Assert.False(shell.HadErrors, string.Join("\n", shell.Streams.Error));
        var rows = output.Select(o => (ReclaimResult)o.BaseObject).ToDictionary(r => r.Memcg);
        Assert.All(rows.Values, r => Assert.Equal(4096 + 200000, r.Accesses));
        double mc = rows["mc"].PgMajFault, one = rows["one"].PgMajFault, own = rows["own"].PgMajFault;
        Assert.InRange(mc / one, 0.85, 1.15);
        Assert.True(own > 1.2 * mc, $"own rankings {own} vs shared {mc}");
    }

    [Fact]
    public void Fio_reads_through_the_page_cache_uniform_or_zipf()
    {
        var (output, shell) = Ps.Run(@"
$u = New-MemCgroup -Name u -Limit 8MB | Add-Task -Name job -Workload Fio -Rss 16MB -Accesses 50000
$z = New-MemCgroup -Name z -Limit 8MB | Add-Task -Name job -Workload Fio -Alpha 1.0 -Rss 16MB -Accesses 50000
$m = New-MemCgroup -Name m -Limit 8MB | Add-Task -Name job -Workload Fio -Backend FileMmap -Rss 16MB -Accesses 50000
$u.Tasks[0].Workload.Kind, $z.Tasks[0].Workload.Kind, $m.Tasks[0].Workload.Backend
$u, $z, $m | Invoke-Reclaim");
        Assert.False(shell.HadErrors, string.Join("\n", shell.Streams.Error));
        Assert.Equal(WorkloadKind.Uniform, output[0].BaseObject);
        Assert.Equal(WorkloadKind.Zipf, output[1].BaseObject);
        Assert.Equal(MemoryBackend.FileMmap, output[2].BaseObject);
        var rows = output.Skip(3).Select(o => (ReclaimResult)o.BaseObject).ToDictionary(r => r.Memcg);
        // read() never faults: page-cache misses are reads from storage (pgpgin, KiB).
        Assert.Equal(0, rows["u"].PgFault);
        // Its misses are the pages read in, 4 KiB each: MissRatio counts them although nothing faults.
        Assert.Equal(rows["u"].PgPgIn / 4, (long)System.Math.Round(rows["u"].MissRatio * rows["u"].Accesses));
        Assert.InRange(rows["u"].MissRatio, 0.3, 0.8);
        Assert.True(rows["u"].PgPgIn > 4 * 4096, "a uniform read of twice the limit must reread pages");
        Assert.True(rows["z"].PgPgIn < rows["u"].PgPgIn, "zipf:1.0 has a hot set the page cache keeps");
        Assert.True(rows["m"].PgMajFault > 0);
        Assert.All(rows.Values, r => Assert.Equal(0, r.PgScanAnon));
    }

    [Theory]
    [InlineData("-Workload Zipf -Threads 2", "Threads")]
    [InlineData("-Workload Fio -Backend Anon", "Backend")]
    [InlineData("-Workload Memcached -Backend FileRead", "Backend")]
    [InlineData("-Workload Memcached -ShareMmWith x", "ShareMmWith")]
    public void Profile_misuse_is_an_InvalidTask_error_naming_the_parameter(string args, string parameter)
    {
        var (output, shell) = Ps.Run($"New-MemCgroup -Name x | Add-Task -Name t -Rss 1MB {args}");
        Assert.Empty(output);
        var error = Assert.Single(shell.Streams.Error);
        Assert.Equal("InvalidTask,MgLru.PowerShell.Commands.AddTaskCommand", error.FullyQualifiedErrorId);
        Assert.Equal(ErrorCategory.InvalidArgument, error.CategoryInfo.Category);
        Assert.Contains(parameter, error.Exception.Message);
    }

    [Fact]
    public void Workload_completes_profile_names()
    {
        var (output, _) = Ps.Run("(TabExpansion2 -inputScript 'Add-Task -Workload Mem' -cursorColumn 22).CompletionMatches.CompletionText");
        Assert.Equal("Memcached", Assert.Single(output).ToString());
    }
}
