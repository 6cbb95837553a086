using System;

namespace MgLru.Engine.Workloads;

/// <summary>
/// Zipf(alpha) over ranks 1..n by rejection-inversion (Hörmann and Derflinger, 1996): O(1) per
/// sample with no table, valid for any alpha &gt; 0 including 1.
/// </summary>
public sealed class ZipfSampler
{
    private readonly double _exponent;
    private readonly long _n;
    private readonly double _hIntegralX1;
    private readonly double _hIntegralN;
    private readonly double _s;

    public ZipfSampler(long n, double exponent)
    {
        if (n < 1) throw new ArgumentOutOfRangeException(nameof(n));
        if (!(exponent > 0)) throw new ArgumentOutOfRangeException(nameof(exponent));
        _n = n;
        _exponent = exponent;
        _hIntegralX1 = HIntegral(1.5) - 1.0;
        _hIntegralN = HIntegral(n + 0.5);
        _s = 2.0 - HIntegralInverse(HIntegral(2.5) - H(2.0));
    }

    /// <summary>A rank in 1..n; rank 1 is the most popular.</summary>
    public long Sample(ref Xoshiro256StarStar rng)
    {
        while (true)
        {
            double u = _hIntegralN + rng.NextDouble() * (_hIntegralX1 - _hIntegralN);
            double x = HIntegralInverse(u);
            long k = (long)(x + 0.5);
            if (k < 1) k = 1;
            else if (k > _n) k = _n;
            if (k - x <= _s || u >= HIntegral(k + 0.5) - H(k)) return k;
        }
    }

    // H(x) = integral of h, shifted so that the (1 - exponent) = 0 case is continuous.
    private double HIntegral(double x)
    {
        double logX = Math.Log(x);
        return Helper2((1.0 - _exponent) * logX) * logX;
    }

    private double H(double x) => Math.Exp(-_exponent * Math.Log(x));

    private double HIntegralInverse(double x)
    {
        double t = x * (1.0 - _exponent);
        if (t < -1.0) t = -1.0; // numerical guard: the argument of log1p must stay above -1
        return Math.Exp(Helper1(t) * x);
    }

    /// <summary>log(1 + x) / x, accurate near 0.</summary>
    private static double Helper1(double x)
        => Math.Abs(x) > 1e-8 ? Log1p(x) / x : 1.0 - x * (0.5 - x * (1.0 / 3.0 - 0.25 * x));

    /// <summary>(exp(x) - 1) / x, accurate near 0.</summary>
    private static double Helper2(double x)
        => Math.Abs(x) > 1e-8 ? Expm1(x) / x : 1.0 + x * 0.5 * (1.0 + x * (1.0 / 3.0) * (1.0 + 0.25 * x));

    // netstandard2.0 has neither Math.Log1p nor Math.Expm1; these are accurate to a few ulps for our range.
    private static double Log1p(double x)
    {
        double u = 1.0 + x;
        return u == 1.0 ? x : Math.Log(u) * x / (u - 1.0);
    }

    private static double Expm1(double x)
    {
        if (Math.Abs(x) < 1e-5) return x + 0.5 * x * x + x * x * x / 6.0;
        return Math.Exp(x) - 1.0;
    }
}
