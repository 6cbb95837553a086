using System;
using System.IO;
using System.Linq;
using System.Management.Automation;
using MgLru.Engine.Stats;
using Xunit;

namespace MgLru.PowerShell.Tests;

/// <summary>Export-ReclaimScenario / Import-ReclaimScenario: a shared file re-runs exactly; writes are atomic and -WhatIf writes nothing.</summary>
public sealed class ScenarioFileTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("mglru-scenario-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private string Q(string name) => "'" + Path.Combine(_dir, name).Replace("'", "''") + "'";

    [Fact]
    public void An_exported_tiered_run_re_runs_bit_for_bit_from_the_file()
    {
        string setup = "$m = New-MemoryMapping FileMmap 2MB -File shared.db; $cg = New-MemCgroup -Name web -Limit 6MB | Add-Task -Name kv -Workload Memcached -Threads 2 -Rss 8MB -Mapping $m -Accesses 30000; " +
            "$opts = @{ Node = (New-NumaNode 0 Dram 4MB), (New-NumaNode 1 Pmem 8MB); Demotion = $true; Promotion = 'NumaBalancing'; PromotionScanPeriodMs = 5; HotThresholdMs = 5; Swap = 64MB; PageTableWalk = $true; Seed = 11; CostModel = (New-ReclaimCostModel -RmapWalkNs 900) }; ";
        var (output, shell) = Ps.Run(setup + $"$cg | Invoke-Reclaim @opts; $cg | Export-ReclaimScenario {Q("run.json")} @opts; Import-ReclaimScenario {Q("run.json")} | Invoke-Reclaim");
        Assert.False(shell.HadErrors, string.Join("\n", shell.Streams.Error));
        var rows = output.Select(o => (ReclaimResult)o.BaseObject).ToArray();
        Assert.Equal(2, rows.Length);
        foreach (var p in typeof(ReclaimResult).GetProperties())
            Assert.Equal(p.GetValue(rows[0]), p.GetValue(rows[1]));
        Assert.True(rows[0].PgMajFault > 0);
        Assert.Empty(Directory.GetFiles(_dir, "*.tmp", SearchOption.AllDirectories).Concat(Directory.GetFiles(_dir, ".*")));
    }

    [Fact]
    public void WhatIf_writes_nothing_and_a_missing_folder_is_an_error_without_a_file()
    {
        var (_, shell) = Ps.Run($"New-MemCgroup -Name web | Add-Task -Name kv -Rss 1MB | Export-ReclaimScenario {Q("w.json")} -WhatIf");
        Assert.False(shell.HadErrors);
        Assert.False(File.Exists(Path.Combine(_dir, "w.json")));
        (_, shell) = Ps.Run($"New-MemCgroup -Name web | Add-Task -Name kv -Rss 1MB | Export-ReclaimScenario {Q("nope/w.json")}");
        var error = Assert.Single(shell.Streams.Error);
        Assert.Equal("FolderNotFound,MgLru.PowerShell.Commands.ExportReclaimScenarioCommand", error.FullyQualifiedErrorId);
        Assert.Empty(Directory.GetFileSystemEntries(_dir));
    }

    [Fact]
    public void A_broken_file_is_an_error_naming_file_and_line_and_nothing_is_returned()
    {
        File.WriteAllText(Path.Combine(_dir, "bad.json"), "{\n  \"format\": \"mglru-scenario\",\n  \"version\": 1,\n  \"options\": [1, 2]\n}\n");
        var (output, shell) = Ps.Run($"Import-ReclaimScenario {Q("bad.json")}");
        Assert.Empty(output);
        var error = Assert.Single(shell.Streams.Error);
        Assert.Equal("InvalidScenarioFile,MgLru.PowerShell.Commands.ImportReclaimScenarioCommand", error.FullyQualifiedErrorId);
        Assert.Equal(ErrorCategory.InvalidData, error.CategoryInfo.Category);
        Assert.Contains("bad.json: line 4, column 14", error.Exception.Message);
        Assert.Contains("\"options\" must be an object", error.Exception.Message);
        (output, shell) = Ps.Run($"Import-ReclaimScenario {Q("missing.json")}");
        Assert.Equal("ScenarioFileUnreadable,MgLru.PowerShell.Commands.ImportReclaimScenarioCommand", Assert.Single(shell.Streams.Error).FullyQualifiedErrorId);
    }
}
