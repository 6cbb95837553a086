# The Mixed profile: an anonymous service (memcached, four workers) and a file scanner (a backup
# streaming a file through the page cache) in different memcgs, competing for one node's memory.
# Both policies are swept in one call. The node (64 MiB) holds less than both want; the service's
# memory.low protects 32 MiB of its 48 MiB, and the policy decides what happens to the rest.
param([long] $Accesses = 400000, [long] $Seed = 1)

$service = New-MemCgroup -Name service -Low 32MB | Add-Task -Name memcached -Workload Memcached -Rss 48MB -Accesses $Accesses
$batch = New-MemCgroup -Name batch | Add-Task -Name backup -Workload Scan -Backend FileRead -Rss 256MB
$rows = $service, $batch | Invoke-Reclaim -Policy Mglru, Classic -Memory 64MB -Swap 512MB -Seed $Seed

'{0,-8} {1,-8} {2,10} {3,10} {4,10} {5,10}' -f 'Policy', 'Memcg', 'MajFault', 'PgPgIn', 'Resident', 'PgSteal'
foreach ($r in $rows) {
    '{0,-8} {1,-8} {2,10} {3,10} {4,10} {5,10}' -f $r.Policy, $r.Memcg, $r.PgMajFault, $r.PgPgIn, $r.ResidentPages, $r.PgSteal
}
