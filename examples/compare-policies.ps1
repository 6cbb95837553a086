# The same workload under the Multi-Gen LRU (rmap-only aging, and page-table walks) and the classic
# active/inactive LRU: a 96 MiB Zipf(0.9) key-value task in a 64 MiB memcg with zram swap.
param([long] $Accesses = 1000000, [long] $Seed = 1)

function New-Scenario { New-MemCgroup -Name kv -Limit 64MB | Add-Task -Name kv -Workload Zipf -Rss 96MB -Accesses $Accesses }

$runs = @(
    New-Scenario | Invoke-Reclaim -Policy Classic -Swap 1GB -Seed $Seed
    New-Scenario | Invoke-Reclaim -LruGenEnabled 1 -Swap 1GB -Seed $Seed
    New-Scenario | Invoke-Reclaim -PageTableWalk -Swap 1GB -Seed $Seed
)
$runs

'{0,-8} {1,-7} {2,10} {3,9} {4,9} {5,10} {6,11}' -f 'Policy', 'Enabled', 'MajFault', 'PgScan', 'PgSteal', 'PgActivate', 'Reclaim(ms)'
foreach ($r in $runs) {
    '{0,-8} {1,-7} {2,10} {3,9} {4,9} {5,10} {6,11:N1}' -f $r.Policy, $r.LruGenEnabled, $r.PgMajFault, $r.PgScan, $r.PgSteal, $r.PgActivate, $r.ReclaimCpuMs
}
