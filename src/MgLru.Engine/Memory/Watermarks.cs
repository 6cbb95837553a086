using System;

namespace MgLru.Engine.Memory;

/// <summary>
/// Zone watermarks of the node (mm/page_alloc.c __setup_per_zone_wmarks with min_free_kbytes and
/// watermark_scale_factor = 10): min, low = min + tmp, high = low + tmp, promo = high + tmp, in pages.
/// </summary>
internal sealed class Watermarks
{
    public Watermarks(long managedPages)
    {
        // init_per_zone_wmark_min: min_free_kbytes = int_sqrt(lowmem_kbytes * 16), clamped to [128, 262144].
        long lowmemKb = managedPages * 4;
        long minFreeKb = (long)Math.Sqrt(lowmemKb * 16.0);
        minFreeKb = Math.Max(128, Math.Min(262_144, minFreeKb));
        Min = Math.Max(1, minFreeKb / 4);
        long tmp = Math.Max(Min / 4, managedPages * 10 / 10_000);
        Low = Min + tmp;
        High = Low + tmp;
        Promo = High + tmp;
    }

    public long Min { get; }
    public long Low { get; }
    public long High { get; }
    public long Promo { get; }
}
