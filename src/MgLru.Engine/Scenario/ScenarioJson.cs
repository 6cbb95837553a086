using System;
using System.Collections.Generic;
using System.Globalization;
using System.Reflection;

namespace MgLru.Engine.Scenario;

/// <summary>
/// A scenario as a JSON document (format "mglru-scenario", version 1): every memcg, task, mapping and
/// workload (traces as base64 little-endian uint32) and every run option, so that a file re-runs
/// bit for bit. Reading validates as the constructors do and names the line of what is wrong.
/// </summary>
public static class ScenarioJson
{
    public const string Format = "mglru-scenario";
    public const int Version = 1;

    public static string Write(ScenarioSpec scenario)
    {
        if (scenario == null) throw new ArgumentNullException(nameof(scenario));
        var w = new JsonWriter();
        w.BeginObject();
        w.String("format", Format);
        w.Number("version", Version);
        WriteOptions(w, scenario.Options);
        w.BeginArray("cgroups");
        foreach (var cg in scenario.Cgroups)
        {
            w.BeginObject();
            w.String("name", cg.Name);
            if (cg.MaxBytes == long.MaxValue) w.Null("maxBytes"); else w.Number("maxBytes", cg.MaxBytes);
            if (cg.Swappiness is int sw) w.Number("swappiness", sw); else w.Null("swappiness");
            w.Number("minBytes", cg.MinBytes);
            w.Number("lowBytes", cg.LowBytes);
            w.Number("overheadBytes", cg.OverheadBytes);
            w.BeginArray("tasks");
            foreach (var t in cg.Tasks) WriteTask(w, t);
            w.EndArray();
            w.EndObject();
        }
        w.EndArray();
        w.EndObject();
        return w + "\n";
    }

    private static void WriteOptions(JsonWriter w, RunOptions o)
    {
        w.BeginObject("options");
        w.String("policy", o.Policy.ToString());
        w.String("kernelRules", o.Rules.ToString());
        w.Number("lruGenEnabled", o.LruGenEnabled);
        w.Number("memoryBytes", o.MemoryBytes);
        w.Number("swappiness", o.Swappiness);
        w.Number("swapBytes", o.SwapBytes);
        w.String("swapDevice", o.SwapDevice.ToString());
        w.Number("minTtlMs", o.MinTtlMs);
        w.Number("seed", o.Seed);
        w.Bool("walkForceScan", o.WalkForceScan);
        w.Number("walkers", o.Walkers);
        w.Bool("lookAround", o.LookAround);
        w.Number("timeSliceAccesses", o.TimeSliceAccesses);
        w.BeginObject("costs");
        foreach (var p in CostProperties) w.Number(Camel(p.Name), (int)p.GetValue(o.Costs)!);
        w.EndObject();
        if (o.Nodes == null) w.Null("nodes");
        else
        {
            w.BeginArray("nodes");
            foreach (var n in o.Nodes)
            {
                w.BeginObject();
                w.Number("id", n.Id);
                w.String("kind", n.Kind.ToString());
                w.Number("capacityBytes", n.CapacityBytes);
                w.Number("abstractDistance", n.AbstractDistance);
                w.Bool("memoryOnly", n.MemoryOnly);
                w.Number("readLatencyNs", n.ReadLatencyNs);
                w.Number("writeLatencyNs", n.WriteLatencyNs);
                w.EndObject();
            }
            w.EndArray();
        }
        if (o.NodeDistances == null) w.Null("nodeDistances");
        else
        {
            w.BeginArray("nodeDistances");
            foreach (var row in o.NodeDistances) w.InlineNumbers(null, Array.ConvertAll(row, x => (long)x));
            w.EndArray();
        }
        w.Bool("demotion", o.Demotion);
        w.String("demotionMode", o.DemotionMode.ToString());
        w.String("promotion", o.Promotion.ToString());
        w.Number("hotThresholdMs", o.HotThresholdMs);
        w.Number("promoteRateLimitMBps", o.PromoteRateLimitMBps);
        w.Number("promotionScanPeriodMs", o.PromotionScanPeriodMs);
        w.Number("timelineIntervalMs", o.TimelineIntervalMs);
        w.EndObject();
    }

    private static void WriteTask(JsonWriter w, TaskSpec t)
    {
        w.BeginObject();
        w.String("name", t.Name);
        w.Number("rssBytes", t.RssBytes);
        w.Number("accesses", t.Accesses);
        w.String("vmaFlags", t.VmaFlags.ToString());
        w.String("file", t.File);
        w.String("shareMmWith", t.ShareMmWith);
        w.Bool("sharedRanking", t.SharedRanking);
        w.Number("runFraction", t.RunFraction);
        w.String("moveTo", t.MoveTo);
        w.Number("moveAt", t.MoveAt);
        if (t.Node is int node) w.Number("node", node); else w.Null("node");
        w.InlineNumbers("memoryStatReads", t.MemoryStatReads);
        WriteWorkload(w, "workload", t.Workload);
        w.BeginArray("mappings");
        foreach (var m in t.Mappings)
        {
            w.BeginObject();
            w.String("backend", m.Backend.ToString());
            w.Number("bytes", m.Bytes);
            w.String("file", m.File);
            w.String("flags", m.Flags.ToString());
            w.Number("writeFraction", m.WriteFraction);
            w.EndObject();
        }
        w.EndArray();
        w.EndObject();
    }

    private static void WriteWorkload(JsonWriter w, string? name, WorkloadSpec s)
    {
        w.BeginObject(name);
        w.String("kind", s.Kind.ToString());
        w.String("backend", s.Backend.ToString());
        w.Bool("populate", s.Populate);
        w.Number("writeFraction", s.WriteFraction);
        switch (s.Kind)
        {
            case WorkloadKind.Zipf: w.Number("alpha", s.Alpha); break;
            case WorkloadKind.Gaussian: w.Number("mean", s.Mean); w.Number("stdDev", s.StdDev); break;
            case WorkloadKind.HotCold: w.Number("hotFraction", s.HotFraction); w.Number("hotProbability", s.HotProbability); break;
            case WorkloadKind.Phases:
                w.BeginArray("phases");
                foreach (var p in s.PhaseList!) WriteWorkload(w, null, p);
                w.EndArray();
                w.InlineNumbers("phaseAccesses", s.PhaseAccesses!);
                break;
            case WorkloadKind.Trace:
                var bytes = new byte[s.TracePages!.Length * 4];
                for (int i = 0; i < s.TracePages.Length; i++)
                {
                    uint v = s.TracePages[i];
                    bytes[4 * i] = (byte)v;
                    bytes[4 * i + 1] = (byte)(v >> 8);
                    bytes[4 * i + 2] = (byte)(v >> 16);
                    bytes[4 * i + 3] = (byte)(v >> 24);
                }
                w.String("traceBase64", Convert.ToBase64String(bytes));
                break;
        }
        w.EndObject();
    }

    private static readonly PropertyInfo[] CostProperties = Array.FindAll(typeof(CostModel).GetProperties(BindingFlags.Public | BindingFlags.Instance), p => p.PropertyType == typeof(int));

    private static string Camel(string s) => char.ToLowerInvariant(s[0]) + s.Substring(1);

    /// <summary>Reads a scenario file's text; a malformed document or a wrong value throws ScenarioFormatException naming the line.</summary>
    public static ScenarioSpec Read(string text)
    {
        if (text == null) throw new ArgumentNullException(nameof(text));
        var root = Obj(JsonReader.Parse(text), "the document");
        if (Str(root, "format") != Format) throw At(root, $"not a scenario file (its \"format\" is not \"{Format}\")");
        long version = Long(root, "version");
        if (version != Version) throw At(root, $"version {version} is not supported (this module reads version {Version})");
        var options = ReadOptions(Obj(Member(root, "options"), "\"options\""));
        var cgroups = new List<MemCgroupSpec>();
        foreach (var node in Arr(Member(root, "cgroups"), "\"cgroups\"").Items)
        {
            var cg = Obj(node, "a memcg");
            var tasks = new List<TaskSpec>();
            foreach (var t in Arr(Member(cg, "tasks"), "\"tasks\"").Items) tasks.Add(ReadTask(Obj(t, "a task")));
            cgroups.Add(Build(cg, () => new MemCgroupSpec(Str(cg, "name")!, NullableLong(cg, "maxBytes") ?? long.MaxValue, NullableInt(cg, "swappiness"), tasks,
                Long(cg, "minBytes"), Long(cg, "lowBytes"), Long(cg, "overheadBytes"))));
        }
        return Build(root, () => new ScenarioSpec(cgroups, options));
    }

    private static RunOptions ReadOptions(JsonObject o)
    {
        var costs = Obj(Member(o, "costs"), "\"costs\"");
        var model = new CostModel();
        foreach (var p in CostProperties)
            if (costs.Get(Camel(p.Name)) != null) p.SetValue(model, Int(costs, Camel(p.Name)));
        List<NodeSpec>? nodes = null;
        if (o.Get("nodes") is JsonArray nodeArray)
        {
            nodes = new List<NodeSpec>();
            foreach (var item in nodeArray.Items)
            {
                var n = Obj(item, "a node");
                nodes.Add(Build(n, () => new NodeSpec(Int(n, "id"), Enum<MemoryKind>(n, "kind"), Long(n, "capacityBytes"), Int(n, "abstractDistance"),
                    Bool(n, "memoryOnly"), Int(n, "readLatencyNs"), Int(n, "writeLatencyNs"))));
            }
        }
        int[][]? distances = null;
        if (o.Get("nodeDistances") is JsonArray rows)
        {
            distances = new int[rows.Items.Count][];
            for (int i = 0; i < distances.Length; i++)
            {
                var row = Arr(rows.Items[i], "a row of \"nodeDistances\"");
                distances[i] = new int[row.Items.Count];
                for (int j = 0; j < row.Items.Count; j++) distances[i][j] = (int)Number(row.Items[j], "a distance");
            }
        }
        return new RunOptions
        {
            Policy = Enum<ReclaimPolicy>(o, "policy"),
            Rules = Enum<KernelRules>(o, "kernelRules"),
            LruGenEnabled = Int(o, "lruGenEnabled"),
            MemoryBytes = Long(o, "memoryBytes"),
            Swappiness = Int(o, "swappiness"),
            SwapBytes = Long(o, "swapBytes"),
            SwapDevice = Enum<SwapDeviceKind>(o, "swapDevice"),
            MinTtlMs = Int(o, "minTtlMs"),
            Seed = ULong(o, "seed"),
            WalkForceScan = Bool(o, "walkForceScan"),
            Walkers = Int(o, "walkers"),
            LookAround = Bool(o, "lookAround"),
            TimeSliceAccesses = Int(o, "timeSliceAccesses"),
            Costs = model,
            Nodes = nodes,
            NodeDistances = distances,
            Demotion = Bool(o, "demotion"),
            DemotionMode = Enum<DemotionMode>(o, "demotionMode"),
            Promotion = Enum<PromotionMode>(o, "promotion"),
            HotThresholdMs = Int(o, "hotThresholdMs"),
            PromoteRateLimitMBps = Int(o, "promoteRateLimitMBps"),
            PromotionScanPeriodMs = Int(o, "promotionScanPeriodMs"),
            TimelineIntervalMs = Int(o, "timelineIntervalMs"),
        };
    }

    private static TaskSpec ReadTask(JsonObject t)
    {
        var workload = ReadWorkload(Obj(Member(t, "workload"), "\"workload\""));
        var mappings = new List<VmaSpec>();
        foreach (var item in Arr(Member(t, "mappings"), "\"mappings\"").Items)
        {
            var m = Obj(item, "a mapping");
            mappings.Add(Build(m, () => new VmaSpec(Enum<MemoryBackend>(m, "backend"), Long(m, "bytes"), Str(m, "file"), Enum<VmaFlags>(m, "flags"), Double(m, "writeFraction"))));
        }
        // Optional (scenario files from before it existed have none).
        var statReads = new List<long>();
        if (t.Get("memoryStatReads") is JsonNode readsNode)
            foreach (var item in Arr(readsNode, "\"memoryStatReads\"").Items)
            {
                double read = Number(item, "a memory.stat read");
                if (read != Math.Floor(read) || read < 0 || read > long.MaxValue) throw At(item, "a memory.stat read must be a whole number of accesses, 0 or more");
                statReads.Add((long)read);
            }
        return Build(t, () => new TaskSpec(Str(t, "name")!, workload, Long(t, "rssBytes"), Long(t, "accesses"), Str(t, "moveTo"), Double(t, "moveAt"),
            Enum<VmaFlags>(t, "vmaFlags"), Str(t, "shareMmWith"), Str(t, "file"), Double(t, "runFraction"), Bool(t, "sharedRanking"), mappings, NullableInt(t, "node"), statReads));
    }

    private static WorkloadSpec ReadWorkload(JsonObject w)
    {
        var kind = Enum<WorkloadKind>(w, "kind");
        var backend = Enum<MemoryBackend>(w, "backend");
        bool populate = Bool(w, "populate");
        double writes = Double(w, "writeFraction");
        return Build(w, () =>
        {
            switch (kind)
            {
                case WorkloadKind.Gaussian: return WorkloadSpec.Gaussian(Double(w, "mean"), Double(w, "stdDev"), populate, writes, backend);
                case WorkloadKind.HotCold: return WorkloadSpec.HotCold(Double(w, "hotFraction"), Double(w, "hotProbability"), populate, writes, backend);
                case WorkloadKind.Phases:
                    var phases = new List<WorkloadSpec>();
                    foreach (var p in Arr(Member(w, "phases"), "\"phases\"").Items) phases.Add(ReadWorkload(Obj(p, "a phase")));
                    var lengths = new List<long>();
                    foreach (var a in Arr(Member(w, "phaseAccesses"), "\"phaseAccesses\"").Items) lengths.Add((long)Number(a, "a phase length"));
                    return WorkloadSpec.Phases(phases, lengths, populate, backend);
                case WorkloadKind.Trace:
                    byte[] bytes;
                    try { bytes = Convert.FromBase64String(Str(w, "traceBase64") ?? ""); }
                    catch (FormatException) { throw At(Member(w, "traceBase64"), "\"traceBase64\" is not base64"); }
                    if (bytes.Length % 4 != 0) throw At(Member(w, "traceBase64"), "\"traceBase64\" is not a whole number of 4-byte page indexes");
                    var pages = new uint[bytes.Length / 4];
                    for (int i = 0; i < pages.Length; i++) pages[i] = (uint)(bytes[4 * i] | bytes[4 * i + 1] << 8 | bytes[4 * i + 2] << 16 | bytes[4 * i + 3] << 24);
                    return WorkloadSpec.FromTrace(pages, writes, backend);
                default:
                    return new WorkloadSpec(kind, kind == WorkloadKind.Zipf ? Double(w, "alpha") : 0.9, populate, writes, backend);
            }
        });
    }

    /// <summary>Runs a constructor; its ArgumentException becomes an error at the object's line.</summary>
    private static T Build<T>(JsonNode at, Func<T> make)
    {
        try { return make(); }
        catch (ArgumentException e) { throw At(at, FirstLine(e.Message)); }
    }

    private static string FirstLine(string message)
    {
        int n = message.IndexOf(" (Parameter", StringComparison.Ordinal);
        return n > 0 ? message.Substring(0, n) : message.Split('\n')[0].TrimEnd('\r');
    }

    private static ScenarioFormatException At(JsonNode node, string message) => new(message, node.Line, node.Column);

    private static JsonNode Member(JsonObject o, string key) => o.Get(key) ?? throw At(o, $"member \"{key}\" is missing");

    private static JsonObject Obj(JsonNode n, string what) => n as JsonObject ?? throw At(n, $"{what} must be an object");

    private static JsonArray Arr(JsonNode n, string what) => n as JsonArray ?? throw At(n, $"{what} must be an array");

    private static string? Str(JsonObject o, string key)
    {
        var n = Member(o, key);
        if (n is JsonScalar { Text: null }) return null;
        return n is JsonScalar { IsString: true } s ? s.Text : throw At(n, $"\"{key}\" must be a string");
    }

    private static bool Bool(JsonObject o, string key)
    {
        var n = Member(o, key);
        return n is JsonScalar { IsString: false, Text: "true" or "false" } s ? s.Text == "true" : throw At(n, $"\"{key}\" must be true or false");
    }

    private static double Number(JsonNode n, string what)
    {
        if (n is JsonScalar { IsString: false, Text: not null } s && s.Text != "true" && s.Text != "false"
            && double.TryParse(s.Text, NumberStyles.Float, CultureInfo.InvariantCulture, out double d)) return d;
        throw At(n, $"{what} must be a number");
    }

    private static double Double(JsonObject o, string key) => Number(Member(o, key), $"\"{key}\"");

    private static long Long(JsonObject o, string key)
    {
        var n = Member(o, key);
        if (n is JsonScalar { IsString: false, Text: not null } s && long.TryParse(s.Text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out long v)) return v;
        throw At(n, $"\"{key}\" must be a whole number");
    }

    private static ulong ULong(JsonObject o, string key)
    {
        var n = Member(o, key);
        if (n is JsonScalar { IsString: false, Text: not null } s && ulong.TryParse(s.Text, NumberStyles.None, CultureInfo.InvariantCulture, out ulong v)) return v;
        throw At(n, $"\"{key}\" must be a whole number, 0 or more");
    }

    private static int Int(JsonObject o, string key)
    {
        long v = Long(o, key);
        return v is >= int.MinValue and <= int.MaxValue ? (int)v : throw At(Member(o, key), $"\"{key}\" is out of range");
    }

    private static long? NullableLong(JsonObject o, string key) => Member(o, key) is JsonScalar { Text: null } ? null : Long(o, key);

    private static int? NullableInt(JsonObject o, string key) => Member(o, key) is JsonScalar { Text: null } ? null : Int(o, key);

    private static T Enum<T>(JsonObject o, string key) where T : struct
    {
        string? text = Str(o, key);
        if (text != null && System.Enum.TryParse(text, ignoreCase: true, out T value) && !long.TryParse(text, out _)) return value;
        throw At(Member(o, key), $"\"{key}\" must be one of {string.Join(", ", System.Enum.GetNames(typeof(T)))}");
    }
}
