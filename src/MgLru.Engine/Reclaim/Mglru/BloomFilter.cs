namespace MgLru.Engine.Reclaim.Mglru;

/// <summary>
/// One of a lruvec's two Bloom filters over PMD entries (mm/vmscan.c, BLOOM_FILTER_SHIFT = 15: 32768 bits,
/// two hash functions from one hash_ptr). Keys identify one PTE table of one mm.
/// </summary>
internal sealed class BloomFilter
{
    public const int Shift = 15;
    private const int Bits = 1 << Shift;
    private readonly ulong[] _words = new ulong[Bits / 64];

    /// <summary>hash_ptr(&amp;pmd, BLOOM_FILTER_SHIFT * 2): golden-ratio multiply, top 30 bits; key0 = low 15 bits, key1 = high 15.</summary>
    public static void Keys(int pmdIndex, out int key0, out int key1)
    {
        // The kernel hashes the PMD entry's address; a simulated direct-map address per PTE table stands in for it.
        ulong address = 0xFFFF888000000000UL + (ulong)pmdIndex * 8;
        uint h = (uint)((address * 0x61C8864680B583EBUL) >> (64 - 2 * Shift));
        key0 = (int)(h & (Bits - 1));
        key1 = (int)(h >> Shift);
    }

    public bool Test(int pmdIndex)
    {
        Keys(pmdIndex, out int k0, out int k1);
        return (_words[k0 >> 6] & (1UL << (k0 & 63))) != 0 && (_words[k1 >> 6] & (1UL << (k1 & 63))) != 0;
    }

    public void Add(int pmdIndex)
    {
        Keys(pmdIndex, out int k0, out int k1);
        _words[k0 >> 6] |= 1UL << (k0 & 63);
        _words[k1 >> 6] |= 1UL << (k1 & 63);
    }

    public void Clear() => System.Array.Clear(_words, 0, _words.Length);
}
