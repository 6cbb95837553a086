#!/usr/bin/env python3
"""Writes the page-index sequence the kernel lab's memwl program executes (../shared/kernel-lab/memwl.c),
as little-endian uint32 (Import-AccessTrace -Format U32), without running it: the populate pass, then
`passes` sweeps (seq) or `accesses` samples (zipf, hotcold) drawn from splitmix64(seed), a Fisher-Yates
permutation first. Checked against the lab's traces/anon-zipf_s256.u32 (byte for byte).

usage: memwl_trace.py OUT [--pattern seq|zipf|hotcold] [--size-mib 256] [--passes 3] [--accesses N]
                          [--alpha 0.9] [--hot-frac 0.1] [--hot-prob 0.9] [--seed 42]
"""
import argparse
import array
import bisect
import sys

MASK = (1 << 64) - 1


class SplitMix64:
    def __init__(self, seed):
        self.state = seed & MASK

    def next(self):
        self.state = (self.state + 0x9E3779B97F4A7C15) & MASK
        z = self.state
        z = ((z ^ (z >> 30)) * 0xBF58476D1CE4E5B9) & MASK
        z = ((z ^ (z >> 27)) * 0x94D049BB133111EB) & MASK
        return z ^ (z >> 31)

    def uniform(self):
        """A double in [0, 1) from the top 53 bits."""
        return (self.next() >> 11) * (1.0 / 9007199254740992.0)

    def below(self, n):
        """Multiply-shift bounded integer in [0, n)."""
        return (self.next() * n) >> 64


def trace(pattern, size_mib, passes, accesses, alpha, hot_frac, hot_prob, seed):
    npages = size_mib * 256
    rng = SplitMix64(seed)
    sequential = pattern == "seq"
    if not sequential and not accesses:
        accesses = 4 * npages
    perm = list(range(npages))
    if not sequential:
        for i in range(npages - 1, 0, -1):
            j = rng.below(i + 1)
            perm[i], perm[j] = perm[j], perm[i]
    cdf = None
    if pattern == "zipf":
        total, cdf = 0.0, []
        for rank in range(npages):
            total += (rank + 1) ** -alpha
            cdf.append(total)
        cdf = [c / total for c in cdf]
        cdf[-1] = 1.0
    pages = array.array("I", range(npages))  # the populate pass, in order
    hot = max(1, int(hot_frac * npages))
    for k in range(passes * npages if sequential else accesses):
        if sequential:
            pages.append(k % npages)
        elif pattern == "zipf":
            pages.append(perm[bisect.bisect_left(cdf, rng.uniform())])
        elif rng.uniform() < hot_prob:
            pages.append(perm[rng.below(hot)])
        else:
            pages.append(perm[hot + rng.below(npages - hot)])
    return pages


def main():
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("out")
    p.add_argument("--pattern", choices=["seq", "zipf", "hotcold"], default="seq")
    p.add_argument("--size-mib", type=int, default=256)
    p.add_argument("--passes", type=int, default=3)
    p.add_argument("--accesses", type=int, default=0)
    p.add_argument("--alpha", type=float, default=0.99)
    p.add_argument("--hot-frac", type=float, default=0.1)
    p.add_argument("--hot-prob", type=float, default=0.9)
    p.add_argument("--seed", type=int, default=42)
    a = p.parse_args()
    pages = trace(a.pattern, a.size_mib, a.passes, a.accesses, a.alpha, a.hot_frac, a.hot_prob, a.seed)
    if array.array("I").itemsize != 4:
        raise SystemExit("uint32 arrays are not 4 bytes on this platform")
    if sys.byteorder == "big":
        pages.byteswap()  # the file is little-endian
    with open(a.out, "wb") as f:
        f.write(pages.tobytes())


if __name__ == "__main__":
    main()
