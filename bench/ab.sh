#!/usr/bin/env bash
# Interleaved A/B of MgLru.Bench builds on a shared, noisy machine: runs each build's driver with the same
# arguments in turn, N rounds, and prints the best and the median loop rate (M requests/s) of each.
#   bench/ab.sh N "BUILD_DIR_A BUILD_DIR_B ..." generate --policy Mglru
# A build dir holds MgLru.Bench.dll, e.g. a copy of bench/MgLru.Bench/bin/Release/net10.0 taken before a change
# (git worktree add /tmp/base HEAD; dotnet build -c Release /tmp/base/bench/MgLru.Bench).
set -euo pipefail
if [ $# -lt 3 ]; then sed -n 2,5p "$0"; exit 2; fi
rounds=$1; dirs=$2; shift 2
declare -A rates
for _ in $(seq "$rounds"); do
  for dir in $dirs; do
    rate=$(dotnet "$dir/MgLru.Bench.dll" "$@" | sed -n 's/.*simulation loop: \([0-9.]*\) M requests\/s.*/\1/p')
    rates[$dir]="${rates[$dir]:-} $rate"
  done
done
for dir in $dirs; do
  printf '%s: ' "$dir"
  echo ${rates[$dir]} | tr ' ' '\n' | sort -n | awk '{r[NR]=$1} END {printf "best %s median %s over %d runs\n", r[NR], r[int((NR+1)/2)], NR}'
done
