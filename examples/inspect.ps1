# Look inside a running simulation: the kernel's own views of MGLRU state, as a kernel engineer reads them.
# A 64 MiB memcg runs a Zipf task of 96 MiB with zram swap and page-table-walk aging; halfway through
# we read /sys/kernel/debug/lru_gen, age once by hand through the debugfs interface, finish the run and
# read memory.stat, then the last agings: why each ran and what its walk promoted.
param([long] $Seed = 1)

$sim = New-MemCgroup -Name web -Limit 64MB |
    Add-Task -Name kv -Workload Zipf -Alpha 0.9 -Rss 96MB -Accesses 400000 |
    Start-ReclaimSimulation -PageTableWalk -Swap 1GB -Seed $Seed

$half = $sim | Step-ReclaimSimulation -Accesses 200000
'--- /sys/kernel/debug/lru_gen after {0:N0} accesses' -f $half.Accesses
$sim | Get-LruGen

$id = 2   # memcg ids: 1 is the root, 2 the first memcg created
$sim | Invoke-LruGenCommand "+ $id 0 $($half.MaxSeq)"
'--- after "+ {0} 0 {1}" (one aging, with a full page-table walk)' -f $id, $half.MaxSeq
$sim | Get-LruGen

$null = $sim | Step-ReclaimSimulation
'--- memory.stat of /web at the end'
$sim | Get-MemCgroupStat web

$agings = @($sim | Get-LruGenAging web)
'--- the last six of /web''s {0} agings (the debugfs one created seq {1})' -f $agings.Count, ($half.MaxSeq + 1)
$agings[-6..-1]
