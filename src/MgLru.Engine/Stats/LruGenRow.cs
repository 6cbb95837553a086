namespace MgLru.Engine.Stats;

/// <summary>One generation of one lruvec, as a row (the data behind a line of /sys/kernel/debug/lru_gen).</summary>
public sealed class LruGenRow
{
    public int MemcgId { get; init; }
    public string MemcgPath { get; init; } = "";
    public int Node { get; init; }
    public long Seq { get; init; }
    /// <summary>Milliseconds since the generation was created.</summary>
    public long AgeMs { get; init; }
    public long AnonPages { get; init; }
    public long FilePages { get; init; }
    /// <summary>The generation is max_seq or max_seq - 1 (the compat "active" lists).</summary>
    public bool Active { get; init; }
}
