# A tour of the module: build a scenario, sweep it, compare the runs, drive a live simulation on two
# memory tiers, look inside it, save the scenario to share it, and write an Excel report.
param([string] $OutDir = [System.IO.Path]::GetTempPath(), [long] $Seed = 1)

# 1. A memcg with a key-value task: 16 MiB of anon heap and a 4 MiB shared library mapped private.
$lib = New-MemoryMapping FilePrivate 4MB -File libkv.so
$web = New-MemCgroup -Name web -Limit 12MB | Add-Task -Name kv -Workload Zipf -Alpha 0.9 -Rss 16MB -Mapping $lib -Accesses 200000

# 2. One sweep: two policies x two swappiness values, in parallel; one row per configuration.
'== sweep'
$rows = $web | Invoke-Reclaim -Policy Mglru, Classic -Swappiness 60, 150 -Swap 256MB -Seed $Seed
$rows | Out-Default

# 3. The rows side by side against the first.
''
'== Compare-Reclaim (major faults and throughput)'
$rows | Compare-Reclaim -Metric PgMajFault, OpsPerSecond

# 4. A live simulation on DRAM + PMEM with demotion, NUMA-balancing promotion and a timeline.
''
'== two memory tiers, half way'
$tiers = @{ Node = (New-NumaNode 0 Dram 8MB), (New-NumaNode 1 Pmem 32MB); Demotion = $true; Promotion = 'NumaBalancing'; PromotionScanPeriodMs = 10; HotThresholdMs = 10; TimelineIntervalMs = 10; Swap = 256MB; Seed = $Seed }
$sim = $web | Start-ReclaimSimulation @tiers
$null = $sim | Step-ReclaimSimulation -Accesses 110000
$sim | Get-NumaNodeStat | Out-Default
$sim | Get-LruGen | Out-Default
''
'== memory.stat of web, a few keys'
$sim | Get-MemCgroupStat web -AsObject | Where-Object Key -in 'anon', 'file', 'file_mapped', 'pgdemote_kswapd', 'pgpromote_success' | Out-Default
$final = $sim | Step-ReclaimSimulation

# 5. Save the scenario; whoever opens the file re-runs exactly this run.
$file = [System.IO.Path]::Combine($OutDir, 'mglru-tour.json')
$web | Export-ReclaimScenario $file @tiers -Force
$again = Import-ReclaimScenario $file | Invoke-Reclaim
'== re-run from {0}: {1} major faults, as the original ({2})' -f [System.IO.Path]::GetFileName($file), $again.PgMajFault, $final.PgMajFault

# 6. An Excel report: the tiered simulation and the sweep's rows, with charts.
$report = [System.IO.Path]::Combine($OutDir, 'mglru-tour.xlsx')
$written = @($sim) + @($rows) | Export-MgLruReport $report -Title 'MgLru tour: web on DRAM + PMEM, and a policy sweep' -Force -PassThru
'== report: {0} ({1:N0} bytes)' -f $written.Name, $written.Length
