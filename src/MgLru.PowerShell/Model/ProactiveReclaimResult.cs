namespace MgLru.PowerShell.Model;

/// <summary>What a write to memory.reclaim asked for and got.</summary>
public sealed class ProactiveReclaimResult
{
    public ProactiveReclaimResult(string memcg, long requestedBytes, long reclaimedBytes)
    {
        Memcg = memcg;
        RequestedBytes = requestedBytes;
        ReclaimedBytes = reclaimedBytes;
    }

    public string Memcg { get; }
    public long RequestedBytes { get; }
    public long ReclaimedBytes { get; }
}
