# Speed-up of an Invoke-Reclaim sweep on all processors over the same sweep run one at a time.
#   dotnet run -c Release --project tools/MgLru.Host -- bench/sweep-speedup.ps1 [-Accesses N] [-Rounds N]
param([long]$Accesses = 6000000, [int]$Rounds = 3)

$ProgressPreference = 'SilentlyContinue'
$cg = New-MemCgroup -Name web -Limit 64MB | Add-Task -Name kv -Workload Zipf -Rss 128MB -Accesses $Accesses
$all = [Environment]::ProcessorCount
$serial = 0.0
$parallel = 0.0
# Alternate the two so that noise from other users of the machine hits both alike.
for ($round = 0; $round -lt $Rounds; $round++) {
    foreach ($limit in 1, $all) {
        $clock = [Diagnostics.Stopwatch]::StartNew()
        $rows = $cg | Invoke-Reclaim -Policy Mglru, Classic -Swappiness 60, 100 -Swap 1GB -ThrottleLimit $limit
        $seconds = $clock.Elapsed.TotalSeconds
        if ($limit -eq 1) { $serial += $seconds } else { $parallel += $seconds }
        '{0} at a time: {1:N2} s for {2} runs' -f $limit, $seconds, @($rows).Count
    }
}
'speed-up on {0} processors: {1:N2}x' -f $all, ($serial / $parallel)
