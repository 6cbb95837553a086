using System;
using System.Linq;
using MgLru.Engine.Scenario;
using Xunit;

namespace MgLru.Engine.Tests.ScenarioFiles;

/// <summary>Scenario files: a written scenario reads back into one that runs bit for bit the same; bad files name the line.</summary>
public sealed class ScenarioJsonTests
{
    private static ScenarioSpec Everything()
    {
        var hot = WorkloadSpec.HotCold(0.2, 0.8, populate: false);
        var phases = WorkloadSpec.Phases(new[] { hot, WorkloadSpec.Gaussian(0.3, 0.1, populate: false) }, new[] { 3000L, 2000L });
        var web = new MemCgroupSpec("web", 2L << 20, 100, new[]
        {
            new TaskSpec("kv", new WorkloadSpec(WorkloadKind.Zipf, 1.1, writeFraction: 0.25), 1L << 20, 8000, vmaFlags: VmaFlags.None, runFraction: 0.5,
                mappings: new[] { new VmaSpec(MemoryBackend.FilePrivate, 256 * 1024, "lib \"x\".so", VmaFlags.RandRead, 0.1), new VmaSpec(MemoryBackend.Anon, 128 * 1024, flags: VmaFlags.LazyFree) }),
            new TaskSpec("kv-1", new WorkloadSpec(WorkloadKind.Zipf, 1.1, populate: false, writeFraction: 0.25), 1L << 20, 3000, shareMmWith: "kv", sharedRanking: true),
            new TaskSpec("ph", phases, 512 * 1024, 5000, moveTo: "batch", moveAt: 0.4, memoryStatReads: new long[] { 4000, 0, 2500 }),
        }, minBytes: 256 * 1024, lowBytes: 512 * 1024, overheadBytes: 64 * 1024);
        var batch = new MemCgroupSpec("batch", tasks: new[]
        {
            new TaskSpec("scan", new WorkloadSpec(WorkloadKind.Sequential, populate: false, backend: MemoryBackend.FileRead), 4L << 20, 4000, file: "data"),
            new TaskSpec("trace", WorkloadSpec.FromTrace(new uint[] { 0, 5, 1, 5, 0xFFFF_FFF0u % 64, 3 }), 64 * 4096, 0),
        });
        return new ScenarioSpec(new[] { web, batch }, new RunOptions
        {
            Policy = ReclaimPolicy.Mglru,
            Rules = KernelRules.V6_1,
            LruGenEnabled = 7,
            Swappiness = 133,
            SwapBytes = 64L << 20,
            SwapDevice = SwapDeviceKind.Ssd,
            Seed = 0xFEDC_BA98_7654_3210UL,
            Costs = new CostModel { AccessNs = 123, MigratePageNs = 4567 },
            Nodes = new[] { new NodeSpec(0, MemoryKind.Dram, 3L << 20), new NodeSpec(1, MemoryKind.Cxl, 8L << 20, abstractDistance: 1000, readLatencyNs: 190) },
            NodeDistances = new[] { new[] { 10, 14 }, new[] { 14, 10 } },
            Demotion = true,
            Promotion = PromotionMode.NumaBalancing,
            PromotionScanPeriodMs = 5,
            HotThresholdMs = 7,
            TimelineIntervalMs = 3,
        });
    }

    [Fact]
    public void A_scenario_file_reads_back_into_the_same_scenario_and_the_same_run()
    {
        var original = Everything();
        string json = ScenarioJson.Write(original);
        var copy = ScenarioJson.Read(json);
        Assert.Equal(json, ScenarioJson.Write(copy));
        var a = Engine.Simulation.Simulation.Create(original);
        var b = Engine.Simulation.Simulation.Create(copy);
        a.Run();
        b.Run();
        var ra = a.Results();
        var rb = b.Results();
        Assert.Equal(ra.Count, rb.Count);
        foreach (var p in typeof(Stats.ReclaimResult).GetProperties())
            for (int i = 0; i < ra.Count; i++)
                Assert.Equal(p.GetValue(ra[i]), p.GetValue(rb[i]));
        Assert.Equal(a.LruGenText(full: true), b.LruGenText(full: true));
        Assert.True(ra.Sum(r => r.PgMajFault) > 0); // the scenario did something worth comparing
        Assert.Contains("\"lib \\\"x\\\".so\"", json);
        Assert.Contains("\"seed\": 18364758544493064720", json);
        Assert.Equal(new long[] { 0, 2500, 4000 }, copy.Cgroups[0].Tasks[2].MemoryStatReads);
    }

    [Theory]
    [InlineData("{\"format\": \"mglru-scenario\", \"version\": 1", 1, "expected")]
    [InlineData("{\n  \"format\": \"something else\", \"version\": 1 }", 1, "not a scenario file")]
    [InlineData("{\n  \"format\": \"mglru-scenario\",\n  \"version\": 2\n}", 1, "version 2")]
    public void Malformed_documents_name_the_line(string text, int line, string message)
    {
        var e = Assert.Throws<ScenarioFormatException>(() => ScenarioJson.Read(text));
        Assert.Equal(line, e.Line);
        Assert.Contains(message, e.Message);
    }

    [Fact]
    public void Mutated_files_read_or_fail_with_a_line_never_another_exception()
    {
        // Cut, duplicated and overwritten spans of a complete scenario file: each either still reads (then
        // it must be a valid scenario, since its constructors validate) or fails as ScenarioFormatException
        // with a line inside the text.
        string json = ScenarioJson.Write(Everything());
        int lines = json.Count(c => c == '\n') + 1;
        var rng = new Random(424242);
        string[] tokens = { "null", "true", "-1", "1e400", "\"\"", "{}", "[]", "\"x\"", "18446744073709551616", "0.5", ",", ":", "\\u12" };
        int read = 0;
        for (int round = 0; round < 2000; round++)
        {
            int at = rng.Next(json.Length), len = rng.Next(1, 40);
            len = Math.Min(len, json.Length - at);
            string mutated = (round % 3) switch
            {
                0 => json.Remove(at, len),
                1 => json.Insert(at, json.Substring(rng.Next(json.Length - len), len)),
                _ => json.Remove(at, len).Insert(at, tokens[rng.Next(tokens.Length)]),
            };
            try
            {
                var spec = ScenarioJson.Read(mutated);
                Assert.NotEmpty(spec.Cgroups);
                read++;
            }
            catch (ScenarioFormatException e)
            {
                Assert.InRange(e.Line, 1, lines + 40);
            }
        }
        Assert.InRange(read, 1, 1999); // some mutations are harmless (whitespace, an equal number), most are not
    }

    [Fact]
    public void Nesting_past_the_limit_is_an_error_not_a_stack_overflow()
    {
        // 100,000 levels would overflow the stack of a recursive parser and kill the host process.
        string deep = new string('[', 100_000) + new string(']', 100_000);
        var e = Assert.Throws<ScenarioFormatException>(() => ScenarioJson.Read(deep));
        Assert.Contains("nested more than 64 deep", e.Message);
        Assert.Equal(1, e.Line);
        Assert.Equal(65, e.Column);
        // 64 levels still parse (and then fail as a document that is not a scenario).
        string ok = new string('[', 64) + new string(']', 64);
        Assert.DoesNotContain("nested", Assert.Throws<ScenarioFormatException>(() => ScenarioJson.Read(ok)).Message);
    }

    [Theory]
    [InlineData("\"swappiness\": 133", "\"swappiness\": \"lots\"", "\"swappiness\" must be a whole number")]
    [InlineData("\"policy\": \"Mglru\"", "\"policy\": \"Fifo\"", "\"policy\" must be one of Mglru, Classic, Lru")]
    [InlineData("\"swappiness\": 133", "\"swappiness\": 250", "Swappiness must be in 0..200")]
    [InlineData("\"rssBytes\": 1048576", "\"rssBytes\": 12", "at least one page")]
    [InlineData("\"lowBytes\": 524288,", "", "member \"lowBytes\" is missing")]
    public void Wrong_values_name_the_line_of_their_object(string from, string to, string message)
    {
        string json = ScenarioJson.Write(Everything());
        Assert.Contains(from, json);
        string broken = json.Replace(from, to);
        int expectedLine = json.Substring(0, json.IndexOf(from, StringComparison.Ordinal)).Count(c => c == '\n') + 1;
        var e = Assert.Throws<ScenarioFormatException>(() => ScenarioJson.Read(broken));
        Assert.Contains(message, e.Message);
        // The error points at the value, or at the object whose constructor refused it: never after it.
        Assert.True(e.Line <= expectedLine && e.Line >= expectedLine - 25, $"line {e.Line}, value at {expectedLine}: {e.Message}");
    }
}
