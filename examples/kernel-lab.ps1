# Replays the kernel lab's anon-zipf run (../shared/kernel-lab, beside this repository) and prints the
# simulated counters next to the real 6.1 and 6.12 kernels' (the mean of their two runs).
# The lab: a 128 MiB memcg, swappiness 60, 1 GiB zram, one CPU (all reclaim is direct), THP off,
# MADV_RANDOM; the program and its helper arrays take about 370 pages of the limit (-Overhead).
# Each kernel's rows run under its own rule set: -KernelRules V6_1 and V6_12.
# It ends with the 0x7 dumps (end-of-run lru_gen, and memory.stat pgrefill/pgactivate) next to the replay.
param([string] $Lab = [System.IO.Path]::Combine($PSScriptRoot, '..', '..', 'shared', 'kernel-lab'))

$tracePath = [System.IO.Path]::Combine($Lab, 'traces', 'anon-zipf_s256.u32')
$csvPath = [System.IO.Path]::Combine($Lab, 'anon-zipf-results.csv')
if (-not [System.IO.File]::Exists($tracePath) -or -not [System.IO.File]::Exists($csvPath)) {
    throw "The kernel lab is not at '$Lab': give its folder with -Lab."
}
$trace = Import-AccessTrace $tracePath -Format U32 -Backend Anon
# memwl --stat reads memory.stat before its first access, after the populate pass (one write per page) and
# after each of its 8 phases; each read flushes the memcg's stats, which 6.12's classic reclaim reads.
$populate = $trace.FootprintBytes / 4KB
$statReads = @(0, $populate) + @(1..8 | ForEach-Object { $populate + [long](($trace.Requests - $populate) * $_ / 8) })

# The lab's counters, averaged over the runs of each kernel and mode (no Import-Csv: Core cmdlets only).
$lines = [System.IO.File]::ReadAllLines($csvPath)
$header = $lines[0].Split(',')
$labRuns = @{}
foreach ($line in $lines[1..($lines.Length - 1)]) {
    $f = $line.Split(',')
    $row = @{}
    for ($i = 0; $i -lt $header.Length; $i++) { $row[$header[$i]] = $f[$i] }
    $key = '{0}/{1}' -f ($row.run.Split('_')[0]), $row.mode_eff
    if (-not $labRuns.ContainsKey($key)) { $labRuns[$key] = [System.Collections.Generic.List[hashtable]]::new() }
    $labRuns[$key].Add($row)
}
function Get-LabMean([string] $Key, [string] $Column) {
    $sum = 0.0
    foreach ($run in $labRuns[$Key]) { $sum += [double]$run[$Column] }
    $sum / $labRuns[$Key].Count
}

# One sweep per mode runs both rule sets side by side.
$rows = @{}
foreach ($mode in 7, 3, 1, 0) {
    $cg = New-MemCgroup -Name lab -Limit 128MB -Overhead (370 * 4KB) | Add-Task -Name memwl -Workload $trace -ReadMemoryStatAt $statReads
    $sweep = if ($mode -eq 0) { $cg | Invoke-Reclaim -Policy Classic -KernelRules V6_1, V6_12 -Swap 1GB -Swappiness 60 }
             else { $cg | Invoke-Reclaim -LruGenEnabled $mode -KernelRules V6_1, V6_12 -Swap 1GB -Swappiness 60 }
    $rows['k6.1/' + $mode] = $sweep[0]
    $rows['k6.12/' + $mode] = $sweep[1]
}

'{0,-6} {1,-6} {2,-26} {3,10} {4,10} {5,8}' -f 'Kernel', 'Mode', 'Counter', 'Simulated', 'Kernel', 'Diff'
foreach ($kernel in 'k6.1', 'k6.12') {
    foreach ($mode in 7, 3, 1, 0) {
        $r = $rows[$kernel + '/' + $mode]
        $key = '{0}/0x{1:x4}' -f $kernel, $mode
        foreach ($pair in @(
                @('pgmajfault', $r.PgMajFault, 'majflt'),
                @('pswpin', $r.PswpIn, 'vm_pswpin'),
                @('pgscan', $r.PgScan, 'cg_pgscan'),
                @('pgsteal', $r.PgSteal, 'cg_pgsteal'),
                @('workingset_refault_anon', $r.WorkingsetRefaultAnon, 'cg_workingset_refault_anon'),
                @('workingset_activate_anon', $r.WorkingsetActivateAnon, 'cg_workingset_activate_anon'),
                @('workingset_restore_anon', $r.WorkingsetRestoreAnon, 'cg_workingset_restore_anon'))) {
            $kernelValue = Get-LabMean $key $pair[2]
            $diff = if ($kernelValue -eq 0) { '' } else { '{0:+0.0;-0.0}%' -f (100.0 * ($pair[1] - $kernelValue) / $kernelValue) }
            '{0,-6} {1,-6} {2,-26} {3,10:N0} {4,10:N0} {5,8}' -f $kernel.Substring(1), ('0x{0:x}' -f $mode), $pair[0], $pair[1], $kernelValue, $diff
        }
    }
}

# End-of-run /sys/kernel/debug/lru_gen of the lab memcg with walks on (0x7): the kernels' dumps (taken with
# the program stopped after its last access) next to the replay's, read the same way from the same text format.
function Get-LabGenerations([string[]] $Lines) {
    $inLab = $false
    foreach ($line in $Lines) {
        if ($line.StartsWith('memcg')) { $inLab = $line.EndsWith('/lab'); continue }
        if ($inLab -and $line -match '^\s+(\d+)\s+\d+\s+(\d+)\s+\d+\s*$') { '{0,6} {1,8:N0}' -f [long]$Matches[1], [long]$Matches[2] }
    }
}
$dumps = [System.IO.Path]::Combine($Lab, 'dumps')
foreach ($kernel in 'k6.1', 'k6.12') {
    $rules = if ($kernel -eq 'k6.1') { 'V6_1' } else { 'V6_12' }
    $sim = New-MemCgroup -Name lab -Limit 128MB -Overhead (370 * 4KB) | Add-Task -Name memwl -Workload $trace -ReadMemoryStatAt $statReads |
        Start-ReclaimSimulation -LruGenEnabled 7 -KernelRules $rules -Swap 1GB -Swappiness 60
    $null = $sim | Step-ReclaimSimulation
    $kernelGens = @(Get-LabGenerations ([System.IO.File]::ReadAllLines([System.IO.Path]::Combine($dumps, "lru_gen-$kernel-anon-zipf-m0x7.txt"))))
    $simGens = @(Get-LabGenerations (($sim | Get-LruGen) -split "`n"))
    ''
    '{0} (0x7) lru_gen of /lab: seq and anon pages, kernel | replay ({1} rules)' -f $kernel.Substring(1), $rules
    for ($i = 0; $i -lt [Math]::Max($kernelGens.Count, $simGens.Count); $i++) {
        $k = if ($i -lt $kernelGens.Count) { $kernelGens[$i] } else { '' }
        $r = if ($i -lt $simGens.Count) { $simGens[$i] } else { '' }
        '{0,-16} | {1}' -f $k, $r
    }
    # The same dump's memory.stat (one run, 0x7): folios sort_folio moved without isolating them (pgrefill)
    # and activations, which the results table above does not carry.
    $kernelStat = @{}
    foreach ($line in [System.IO.File]::ReadAllLines([System.IO.Path]::Combine($dumps, "memory.stat-$kernel-anon-zipf-m0x7.txt"))) {
        $kv = $line.Split(' ')
        $kernelStat[$kv[0]] = [double]$kv[1]
    }
    $simStat = @{}
    foreach ($entry in ($sim | Get-MemCgroupStat lab -AsObject)) { $simStat[$entry.Key] = [double]$entry.Value }
    foreach ($key in 'pgscan', 'pgsteal', 'pgrefill', 'pgactivate') {
        '{0,-16} | {1,-16} {2,10:N0} {3,10:N0} {4,8}' -f '', $key, $simStat[$key], $kernelStat[$key], ('{0:+0.0;-0.0}%' -f (100.0 * ($simStat[$key] - $kernelStat[$key]) / $kernelStat[$key]))
    }
}
