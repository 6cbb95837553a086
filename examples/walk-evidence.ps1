# Why page-table walks matter (the seed patch's evidence, simulated).
# 1. A memcached-like load: four worker threads sharing one 96 MiB mm, Zipf(1.0) keys, overcommitted 2:1
#    onto zram. Aging by rmap only (0x0001), first without look-around (-LA, the patch before "exploit
#    locality in rmap"), then with it, against page-table walks (0x0007): how reclaim CPU is spent and what
#    the workload gets done.
# 2. The same load under global memory pressure (a 64 MiB machine, no memcg limit): kswapd does the
#    reclaiming, so the profile is kswapd's, as the patches' profiles are.
# 3. Sparse access: 24 mostly idle tasks of 16 MiB (each runs one scheduler turn in twenty) next to one
#    busy one. The mm bitmap skips the tasks that have not run since the last walk and the Bloom filters
#    skip PTE tables with few young PTEs; forcing every walk to scan everything shows what they save.
# 4. The shape of the patch's server benchmark: memtier's uniformly random keys and swap on a ramdisk
#    (brd: a page copy each way, modelled as 600 ns), where rmap walks are a large share of reclaim.
param([long] $Seed = 1)

function New-KeyValue([long] $Limit = 48MB) {
    $memcg = if ($Limit -gt 0) { New-MemCgroup -Name kv -Limit $Limit } else { New-MemCgroup -Name kv }
    $cg = $memcg | Add-Task -Name worker1 -Workload Zipf -Alpha 1.0 -Rss 96MB -Accesses 250000
    foreach ($i in 2..4) { $null = $cg | Add-Task -Name "worker$i" -ShareMmWith worker1 -Workload Zipf -Alpha 1.0 -Rss 96MB -Accesses 250000 -NoPopulate }
    $cg
}

# Rmap-only aging without and with look-around, then page-table walks: one row each.
$agingRuns = @{ LruGenEnabled = 1; LookAround = $false }, @{ LruGenEnabled = 1 }, @{ LruGenEnabled = 7 }
$labels = '0x0001 -LA', '0x0001', '0x0007'
function Show-AgingRuns($Results, [switch] $Kswapd) {
    # With -Kswapd, a column for kswapd's share of the reclaim CPU the profile is taken over.
    $share = if ($Kswapd) { ' {3,8}' } else { '' }
    $head = '{0,-10} {1,10} {2,9}' + $share + ' {4,9} {5,10} {6,7} {7,7} {8,7} {9,7} {10,12}'
    $row = '{0,-10} {1,10} {2,9}' + $share.Replace('}', ':N1}') + ' {4,9} {5,10} {6,7:N1} {7,7:N1} {8,7:N1} {9,7:N1} {10,12:N0}'
    $head -f 'Enabled', 'MajFault', 'PgSteal', 'Kswapd%', 'WalkPtes', 'LookAround', 'Rmap%', 'Walk%', 'Look%', 'Zram%', 'Ops/s'
    for ($i = 0; $i -lt $Results.Count; $i++) {
        $r = $Results[$i]
        $kswapdPct = 100 * $r.KswapdCpuMs / [math]::Max(1e-9, $r.KswapdCpuMs + $r.ReclaimCpuMs)
        $row -f $labels[$i], $r.PgMajFault, $r.PgSteal, $kswapdPct, $r.WalkPtes, $r.LookAroundPromotions, $r.ProfileRmapPct, $r.ProfileWalkPct, $r.ProfileLookAroundPct, $r.ProfileSwapOutPct, $r.OpsPerSecond
    }
}

'== memcached-like: rmap only without and with look-around, then page-table walks'
Show-AgingRuns @(New-KeyValue | Invoke-Reclaim -Swap 1GB -Seed $Seed -Run $agingRuns)

''
'== the same load on a 64 MiB machine without a memcg limit: kswapd reclaims, the profile is kswapd''s'
Show-AgingRuns @(New-KeyValue -Limit 0 | Invoke-Reclaim -Memory 64MB -Swap 1GB -Seed $Seed -Run $agingRuns) -Kswapd

function New-Sparse {
    $cg = New-MemCgroup -Name sparse -Limit 96MB
    $null = $cg | Add-Task -Name busy -Workload Zipf -Rss 64MB -Accesses 600000
    foreach ($i in 1..24) { $null = $cg | Add-Task -Name "idle$i" -Workload Uniform -Rss 16MB -Accesses 20000 -RunFraction 0.05 }
    $cg
}

''
'== sparse access: walks with the mm bitmap and Bloom filters vs forced full scans'
$sparse = @(New-Sparse | Invoke-Reclaim -PageTableWalk -Swap 1GB -Seed $Seed -Run @{ WalkForceScan = $false }, @{ WalkForceScan = $true })
'{0,-9} {1,8} {2,8} {3,10} {4,10} {5,9} {6,9} {7,10} {8,10}' -f 'Walks', 'MmsWalk', 'MmsSkip', 'PtesScan', 'YoungPtes', 'BloomSkip', 'PmdSkip', 'Ptes/young', 'Walk(ms)'
foreach ($pair in @(@('filtered', $sparse[0]), @('forced', $sparse[1]))) {
    $r = $pair[1]
    $walkMs = ($r.ReclaimCpuMs + $r.KswapdCpuMs) * $r.ProfileWalkPct / 100
    '{0,-9} {1,8} {2,8} {3,10} {4,10} {5,9} {6,9} {7,10:N1} {8,10:N2}' -f $pair[0], $r.WalkMms, $r.WalkMmsSkipped, $r.WalkPtes, $r.WalkYoungPtes, $r.WalkPmdsSkippedBloom, $r.WalkPmdsSkippedNonleaf, ($r.WalkPtes / [math]::Max(1, $r.WalkYoungPtes)), $walkMs
}

''
'== server-benchmark shape: uniform keys, ramdisk-like swap (600 ns a page each way)'
$brd = New-ReclaimCostModel -ZramReadNs 600 -ZramWriteNs 600
$cg = New-MemCgroup -Name kv -Limit 64MB
$null = $cg | Add-Task -Name worker1 -Workload Uniform -Rss 96MB -Accesses 400000
foreach ($i in 2..4) { $null = $cg | Add-Task -Name "worker$i" -ShareMmWith worker1 -Workload Uniform -Rss 96MB -Accesses 400000 -NoPopulate }
$server = @($cg | Invoke-Reclaim -Swap 1GB -CostModel $brd -Seed $Seed -Run @{ LruGenEnabled = 1 }, @{ LruGenEnabled = 7 })
'{0,-7} {1,10} {2,9} {3,9} {4,10} {5,7} {6,7} {7,7} {8,7} {9,12}' -f 'Enabled', 'MajFault', 'PgScan', 'WalkPtes', 'LookAround', 'Rmap%', 'Walk%', 'Look%', 'Swap%', 'Ops/s'
foreach ($r in $server) {
    '{0,-7} {1,10} {2,9} {3,9} {4,10} {5,7:N1} {6,7:N1} {7,7:N1} {8,7:N1} {9,12:N0}' -f $r.LruGenEnabled, $r.PgMajFault, $r.PgScan, $r.WalkPtes, $r.LookAroundPromotions, $r.ProfileRmapPct, $r.ProfileWalkPct, $r.ProfileLookAroundPct, $r.ProfileSwapOutPct, $r.OpsPerSecond
}
