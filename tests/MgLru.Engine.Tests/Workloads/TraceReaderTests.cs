using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using MgLru.Engine.Scenario;
using MgLru.Engine.Workloads;
using Xunit;

namespace MgLru.Engine.Tests.Workloads;

public sealed class TraceReaderTests : IDisposable
{
    private readonly string _dir = Path.Combine(Path.GetTempPath(), "mglru-traces-" + Guid.NewGuid().ToString("N"));

    public TraceReaderTests() => Directory.CreateDirectory(_dir);

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private string Write(string name, string text)
    {
        string path = Path.Combine(_dir, name);
        File.WriteAllText(path, text);
        return path;
    }

    private string WriteBytes(string name, byte[] bytes)
    {
        string path = Path.Combine(_dir, name);
        File.WriteAllBytes(path, bytes);
        return path;
    }

    [Theory]
    [InlineData("42", 42UL)]
    [InlineData("0x2a", 42UL)]
    [InlineData("0X2A", 42UL)]
    [InlineData("052", 42UL)]
    [InlineData("0", 0UL)]
    [InlineData(" +7 ", 7UL)]
    [InlineData("18446744073709551615", ulong.MaxValue)]
    public void Numbers_parse_like_strtoull_with_base_0(string text, ulong value)
    {
        Assert.True(TraceReader.TryParseCUnsigned(text, out ulong v));
        Assert.Equal(value, v);
    }

    [Theory]
    [InlineData("09")]        // 9 is not an octal digit
    [InlineData("0x")]
    [InlineData("12ab")]
    [InlineData("-1")]
    [InlineData("18446744073709551616")] // overflow
    public void Malformed_numbers_are_rejected(string text) => Assert.False(TraceReader.TryParseCUnsigned(text, out _));

    [Fact]
    public void Txt_numbers_objects_in_order_of_first_appearance_and_skips_empty_lines()
    {
        var t = TraceReader.Read(Write("a.txt", "0x10\n\n010\r\n16\n"), TraceFormat.Txt);
        Assert.Equal(new uint[] { 0, 1, 0 }, t.Pages);
        Assert.Equal(3, t.Requests);
        Assert.Equal(2, t.Objects);
    }

    [Fact]
    public void Txt_names_the_line_of_a_bad_number()
    {
        var e = Assert.Throws<TraceFormatException>(() => TraceReader.Read(Write("b.txt", "1\n2\nthree\n"), TraceFormat.Txt));
        Assert.Equal("line 3", e.Where);
        Assert.Contains("'three'", e.Message);
    }

    [Fact]
    public void Csv_detects_header_and_delimiter()
    {
        var t = TraceReader.Read(Write("c.csv", "time,obj_id,size\n1,100,512\n2,200,512\n3,100,512\n"), TraceFormat.Csv);
        Assert.Equal(new uint[] { 0, 1, 0 }, t.Pages);
        var tabs = TraceReader.Read(Write("d.tsv", "1\t100\n2\t100\n"), TraceFormat.Csv);
        Assert.Equal(new uint[] { 0, 0 }, tabs.Pages);
    }

    [Fact]
    public void Csv_names_a_missing_column()
    {
        var e = Assert.Throws<TraceFormatException>(() => TraceReader.Read(Write("e.csv", "1,100\n2\n"), TraceFormat.Csv, new TraceReadOptions { IdColumn = 2 }));
        Assert.Equal("line 2", e.Where);
        var bad = Assert.Throws<TraceFormatException>(() => TraceReader.Read(Write("f.csv", "1,100,x\n"), TraceFormat.Csv, new TraceReadOptions { SizeColumn = 3 }));
        Assert.Contains("size column 3", bad.Message);
    }

    private static byte[] Oracle(params (uint Time, ulong Id, uint Size)[] records)
    {
        var bytes = new List<byte>();
        foreach (var (time, id, size) in records)
        {
            bytes.AddRange(BitConverter.GetBytes(time));
            bytes.AddRange(BitConverter.GetBytes(id));
            bytes.AddRange(BitConverter.GetBytes(size));
            bytes.AddRange(BitConverter.GetBytes(-1L));
        }
        return bytes.ToArray();
    }

    [Fact]
    public void OracleGeneral_skips_size_0_records_and_names_a_truncated_one()
    {
        var bytes = Oracle((1, 7, 4096), (2, 8, 0), (3, 7, 4096));
        var t = TraceReader.Read(WriteBytes("g.bin", bytes), TraceFormat.OracleGeneral);
        Assert.Equal(new uint[] { 0, 0 }, t.Pages);
        var e = Assert.Throws<TraceFormatException>(() => TraceReader.Read(WriteBytes("h.bin", bytes.Take(60).ToArray()), TraceFormat.OracleGeneral));
        Assert.Equal("record 3", e.Where);
    }

    [Fact]
    public void U32_is_page_indexes_as_they_are()
    {
        var t = TraceReader.Read(WriteBytes("i.u32", new byte[] { 5, 0, 0, 0, 1, 1, 0, 0 }), TraceFormat.U32);
        Assert.Equal(new uint[] { 5, 257 }, t.Pages);
        Assert.Equal(258, t.FootprintPages);
        Assert.Throws<TraceFormatException>(() => TraceReader.Read(WriteBytes("j.u32", new byte[] { 1, 2, 3 }), TraceFormat.U32));
    }

    [Fact]
    public void Pages_per_object_expand_each_request()
    {
        var t = TraceReader.Read(Write("k.txt", "9\n4\n9\n"), TraceFormat.Txt, new TraceReadOptions { PagesPerObject = 2 });
        Assert.Equal(new uint[] { 0, 1, 2, 3, 0, 1 }, t.Pages);
        Assert.Equal(4, t.FootprintPages);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(3)]
    public void A_trace_longer_than_the_readers_chunks_keeps_every_request_in_order(int pagesPerObject)
    {
        // 2^20 + 5 requests cross the reader's first chunk; ids 7·i mod 1,009 first appear in a known order.
        int requests = (1 << 20) + 5;
        var text = new System.Text.StringBuilder();
        for (int i = 0; i < requests; i++) text.Append((7L * i % 1009).ToString(System.Globalization.CultureInfo.InvariantCulture)).Append('\n');
        var t = TraceReader.Read(Write("long.txt", text.ToString()), TraceFormat.Txt, new TraceReadOptions { PagesPerObject = pagesPerObject });
        Assert.Equal(requests, t.Requests);
        Assert.Equal(1009, t.Objects);
        Assert.Equal((long)requests * pagesPerObject, t.Pages.Length);
        // Computed independently: id x first appears at request x / 7 mod 1,009 (7 · 144 = 1008 ≡ −1, so
        // 1/7 ≡ −144), which is its dense number. Sampled over the trace and around the chunk boundary.
        var checkedRequests = Enumerable.Range(0, 2000).Select(k => k * 524)
            .Concat(Enumerable.Range((1 << 20) - 3, 8));
        foreach (int i in checkedRequests)
        {
            long id = 7L * i % 1009;
            uint obj = (uint)((1009 - id * 144 % 1009) % 1009);
            for (int p = 0; p < pagesPerObject; p++)
                Assert.Equal(obj * (uint)pagesPerObject + (uint)p, t.Pages[(long)i * pagesPerObject + p]);
        }
    }

    [Theory]
    [InlineData(1000)]
    [InlineData(8000)]
    [InlineData(40000)]
    public void The_libCacheSim_sample_trace_under_Policy_Lru_misses_exactly_as_an_LRU_cache(int capacity)
    {
        // shared/data/traces/cloudPhysicsIO.csv (113,872 requests, 48,974 objects): with N pages of memory
        // the exact LRU policy must fault exactly where an N-object LRU cache misses (cold misses included).
        string path = Path.Combine(Reference.SharedFolder(), "data", "traces", "cloudPhysicsIO.csv");
        var trace = TraceReader.Read(path, TraceFormat.Csv);
        Assert.Equal(113_872, trace.Requests);
        Assert.Equal(48_974, trace.Objects);
        var task = new TaskSpec("replay", WorkloadSpec.FromTrace(trace.Pages), trace.FootprintPages * Scenarios.Page, 0);
        var cg = new MemCgroupSpec("cache", capacity * Scenarios.Page, tasks: new[] { task });
        var sim = Engine.Simulation.Simulation.Create(new ScenarioSpec(new[] { cg }, new RunOptions
        {
            Policy = ReclaimPolicy.Lru,
            SwapBytes = trace.FootprintPages * Scenarios.Page,
        }));
        sim.Run();
        var r = sim.Results()[0];
        long misses = Reference.NaiveLruMisses(trace.Pages, capacity);
        Assert.Equal(misses, r.PgFault);
        Assert.Equal((double)misses / trace.Requests, r.MissRatio, 12);
    }

    [Fact]
    public void Random_bytes_in_any_format_load_or_fail_naming_where()
    {
        // Text-like noise (digits, separators, hex prefixes, line ends) and raw bytes: the reader either
        // returns a trace or throws a TraceFormatException that says where (line, record, options), never
        // another exception.
        var rng = new Random(20261124);
        const string alphabet = "0123456789abcdefxX,;\t |\r\n\n+-.eE\"'";
        for (int round = 0; round < 3000; round++)
        {
            int length = rng.Next(0, 200);
            byte[] bytes = new byte[length];
            if (round % 3 == 0) rng.NextBytes(bytes);
            else for (int i = 0; i < length; i++) bytes[i] = (byte)alphabet[rng.Next(alphabet.Length)];
            var format = (TraceFormat)(round % 4);
            var options = new TraceReadOptions
            {
                IdColumn = rng.Next(1, 4),
                TimeColumn = rng.Next(3) == 0 ? rng.Next(1, 4) : null,
                SizeColumn = rng.Next(3) == 0 ? rng.Next(1, 4) : null,
                HasHeader = rng.Next(3) switch { 0 => true, 1 => false, _ => null },
                PagesPerObject = rng.Next(1, 3),
            };
            try
            {
                var trace = TraceReader.Read(new MemoryStream(bytes), "noise", format, options);
                Assert.True(trace.Requests >= 0);
                Assert.All(trace.Pages, p => Assert.True(p < (uint)Math.Max(1, trace.FootprintPages)));
            }
            catch (TraceFormatException e)
            {
                Assert.Equal("noise", e.Path);
                Assert.Matches(@"^(line \d+|record \d+|whole file|options)$", e.Where);
            }
        }
    }
}
