# NUMA memory tiering: a DRAM node, a PMEM node, demotion on reclaim and promotion of hot pages.
# 1. DRAM 1 GiB + PMEM 4 GiB; one task with a 3 GiB footprint whose hot tenth (90 % of accesses) moves
#    to other pages every phase. First touch fills DRAM, the rest lands on PMEM. Without promotion the hot
#    set stays wherever it was first touched; NUMA balancing (memory-tiering mode) promotes pages whose
#    hint faults come soon after the scan, and a full DRAM wakes kswapd to demote cold pages to PMEM; the
#    2018 RFC's daemon promotes whatever its accessed-bit scan found, up to its rate.
# 2. The 2018 RFC against the current kernel on one task with anon memory, memory freed with MADV_FREE
#    and a file read through a descriptor, on 512 MiB DRAM + 1 GiB PMEM with swap: what was demoted,
#    discarded, dropped and swapped.
# -Quick runs everything at 1/32 of the size (the test suite does).
param([long] $Seed = 1, [switch] $Quick)

$scale = if ($Quick) { 1.0 / 32 } else { 1.0 }
function Size([long] $bytes) { [long]($bytes * $scale) }

$dram = New-NumaNode 0 Dram (Size 1GB)
$pmem = New-NumaNode 1 Pmem (Size 4GB)
$phase = [long](4000000 * $scale)
$hot = New-Workload HotCold -HotFraction 0.1 -HotProbability 0.9 -NoPopulate
$moving = New-Workload -Phase $hot, $hot, $hot -PhaseAccesses $phase, $phase, $phase
# The kernel scans 256 MB of an mm per scan period (1 s by default) and its hot threshold is 1 s: made
# ten times faster here, so that seconds of simulated time show what minutes would (and -Quick scales
# time with size).
$ms = { param([int] $full) [math]::Max(1, [int]($full * $scale)) }
$interval = & $ms 250
$tiering = @{ Node = $dram, $pmem; Demotion = $true; Swap = (Size 8GB); PromotionScanPeriodMs = (& $ms 100); HotThresholdMs = (& $ms 100); PromoteRateLimitMBps = 1024; TimelineIntervalMs = $interval; Seed = $Seed }

$runs = foreach ($mode in 'None', 'NumaBalancing', 'Daemon') {
    $sim = New-MemCgroup -Name app | Add-Task -Name app -Workload $moving -Rss (Size 3GB) -Accesses (3 * $phase) | Start-ReclaimSimulation @tiering -Promotion $mode
    $row = $sim | Step-ReclaimSimulation
    [pscustomobject]@{ Mode = $mode; Row = $row; Nodes = @($sim | Get-NumaNodeStat); Timeline = @($sim | Get-ReclaimTimeline -Node 0) }
}

'== share of accesses served from DRAM, per {0} ms of simulated time' -f $interval
'{0,9} {1,8} {2,14} {3,8}' -f 'Time(ms)', 'None', 'NumaBalancing', 'Daemon'
$intervals = 0
foreach ($run in $runs) { $intervals = [math]::Max($intervals, $run.Timeline.Count) }
for ($i = 0; $i -lt $intervals; $i++) {
    $cells = foreach ($run in $runs) { if ($i -lt $run.Timeline.Count) { '{0:P1}' -f $run.Timeline[$i].AccessShare } else { '' } }
    '{0,9:N0} {1,8} {2,14} {3,8}' -f ($interval * ($i + 1)), $cells[0], $cells[1], $cells[2]
}

''
'== per node, whole run'
'{0,-14} {1,-5} {2,9} {3,10} {4,10} {5,10} {6,10} {7,9} {8,10} {9,12}' -f 'Promotion', 'Node', 'Access%', 'Demoted', 'Promoted', 'HintFault', 'SwapOut', 'Used(MiB)', 'Sim(ms)', 'Ops/s'
foreach ($run in $runs) {
    foreach ($n in $run.Nodes) {
        '{0,-14} {1,-5} {2,9:P1} {3,10:N0} {4,10:N0} {5,10:N0} {6,10:N0} {7,9:N0} {8,10:N0} {9,12:N0}' -f $run.Mode, ('{0} {1}' -f $n.Node, $n.Kind), $n.AccessShare,
            ($n.PgDemoteKswapd + $n.PgDemoteDirect), $n.PgPromoteSuccess, $n.NumaHintFaults, $n.PswpOut, ($n.ResidentPages * 4 / 1024), $run.Row.SimulatedMs, $run.Row.OpsPerSecond
    }
}

''
'== the 2018 RFC against the current kernel: anon + MADV_FREE + page cache in one task'
$freed = New-MemoryMapping Anon (Size 512MB) -Flags LazyFree -WriteFraction 0.05
$data = New-MemoryMapping FileRead (Size 1GB) -File data.db
$small = @{ Node = (New-NumaNode 0 Dram (Size 512MB)), (New-NumaNode 1 Pmem (Size 1GB)); Demotion = $true; Swap = (Size 4GB); Seed = $Seed }
'{0,-8} {1,12} {2,12} {3,12} {4,12} {5,12} {6,12}' -f 'Mode', 'DemotedAnon', 'DemotedFile', 'LazyFreed', 'CacheDropped', 'SwappedOut', 'MajFaults'
foreach ($mode in 'Current', 'Rfc2018') {
    $r = New-MemCgroup -Name mixed | Add-Task -Name db -Workload Zipf -Alpha 0.8 -Rss (Size 1GB) -WriteFraction 0.3 -Mapping $freed, $data -Accesses ([long](6000000 * $scale)) |
        Invoke-Reclaim @small -DemotionMode $mode
    $dropped = $r.PgStealFile - $r.DemotedFile - $r.PgLazyFreed
    '{0,-8} {1,12:N0} {2,12:N0} {3,12:N0} {4,12:N0} {5,12:N0} {6,12:N0}' -f $mode, $r.DemotedAnon, $r.DemotedFile, $r.PgLazyFreed, $dropped, $r.PswpOut, $r.PgMajFault
}
