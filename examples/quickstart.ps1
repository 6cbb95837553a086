# MgLru quickstart: a key-value store whose working set is twice its memory limit.
# The task touches 128 MiB of anonymous memory (every page once, then 2 M Zipf(0.9) accesses) inside a
# memcg limited to 64 MiB, with 1 GiB of zram swap. MGLRU ages by page-table walks (lru_gen enabled 0x0007).
param(
    [long] $Accesses = 2000000,
    [long] $Seed = 1
)

$results = New-MemCgroup -Name web -Limit 64MB |
    Add-Task -Name kv -Workload Zipf -Alpha 0.9 -Rss 128MB -Accesses $Accesses |
    Invoke-Reclaim -PageTableWalk -Swap 1GB -SwapDevice Zram -Seed $Seed

$results

$r = $results | Where-Object Memcg -eq 'web'
"major faults per access: {0:P2}; pages stolen per page scanned: {1:P1}" -f $r.MajorFaultRatio, ($r.PgSteal / [math]::Max(1, $r.PgScan))
