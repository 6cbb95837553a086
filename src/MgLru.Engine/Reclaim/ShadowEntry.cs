namespace MgLru.Engine.Reclaim;

/// <summary>
/// A shadow entry (mm/workingset.c pack_shadow/unpack_shadow): what eviction leaves in the page-cache
/// or swap-cache slot — an eviction token, the memcg id, the node and the workingset bit.
/// </summary>
internal static class ShadowEntry
{
    public const int TokenBits = 40;
    public const ulong TokenMask = (1UL << TokenBits) - 1;
    private const int MemcgIdShift = TokenBits;
    private const int NodeShift = 56;
    private const ulong WorkingsetBit = 1UL << 62;
    private const ulong ValidBit = 1UL << 63;

    public static ulong Pack(ulong token, int memcgId, int node, bool workingset)
        => ValidBit | (workingset ? WorkingsetBit : 0) | ((ulong)node << NodeShift) | ((ulong)memcgId << MemcgIdShift) | (token & TokenMask);

    public static bool IsValid(ulong shadow) => (shadow & ValidBit) != 0;
    public static ulong Token(ulong shadow) => shadow & TokenMask;
    public static int MemcgId(ulong shadow) => (int)((shadow >> MemcgIdShift) & 0xFFFF);
    public static int Node(ulong shadow) => (int)((shadow >> NodeShift) & 0x3F);
    public static bool Workingset(ulong shadow) => (shadow & WorkingsetBit) != 0;
}
