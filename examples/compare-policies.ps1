# The same workload under the Multi-Gen LRU (rmap-only aging, and page-table walks) and the classic
# active/inactive LRU: a 96 MiB Zipf(0.9) key-value task in a 64 MiB memcg with zram swap.
param([long] $Accesses = 1000000, [long] $Seed = 1)

function New-Scenario { New-MemCgroup -Name kv -Limit 64MB | Add-Task -Name kv -Workload Zipf -Rss 96MB -Accesses $Accesses }

# A table of runs: the three configurations side by side (in parallel), rows in this order.
$runs = @(New-Scenario | Invoke-Reclaim -Swap 1GB -Seed $Seed -Run @{ Policy = 'Classic' }, @{ LruGenEnabled = 1 }, @{ PageTableWalk = $true })
$runs

'{0,-8} {1,-7} {2,10} {3,9} {4,9} {5,10} {6,11}' -f 'Policy', 'Enabled', 'MajFault', 'PgScan', 'PgSteal', 'PgActivate', 'Reclaim(ms)'
foreach ($r in $runs) {
    '{0,-8} {1,-7} {2,10} {3,9} {4,9} {5,10} {6,11:N1}' -f $r.Policy, $r.LruGenEnabled, $r.PgMajFault, $r.PgScan, $r.PgSteal, $r.PgActivate, $r.ReclaimCpuMs
}
