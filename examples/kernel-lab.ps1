# Replays a kernel lab run (../shared/kernel-lab, beside this repository; anon-zipf by default) and prints
# the simulated counters next to the real 6.1 and 6.12 kernels' (the mean of their runs).
# The lab: a 128 MiB memcg, swappiness 60, 1 GiB zram, one CPU (all reclaim is direct), THP off; the
# program's own memory is charged too (-Overhead). Each kernel's rows run under its own rule set:
# -KernelRules V6_1 and V6_12. Another workload of the lab in the same layout (traces/<name>_s*.u32 with its
# .txt, <name>-results.csv, dumps/*-<name>-m0x7.txt) replays with -Workload <name>: the backend, madvise and
# memory.stat reads come from the run's MEMWL_CONFIG line. It ends with the 0x7 dumps (end-of-run lru_gen,
# and memory.stat pgrefill/pgactivate) next to the replay, where the lab has them.
param([string] $Lab = [System.IO.Path]::Combine($PSScriptRoot, '..', '..', 'shared', 'kernel-lab'),
      [string] $Workload = 'anon-zipf')

$traceDir = [System.IO.Path]::Combine($Lab, 'traces')
$csvPath = [System.IO.Path]::Combine($Lab, "$Workload-results.csv")
$tracePath = if ([System.IO.Directory]::Exists($traceDir)) { @([System.IO.Directory]::GetFiles($traceDir, "$($Workload)_s*.u32"))[0] }
if (-not $tracePath -or -not [System.IO.File]::Exists($csvPath)) {
    throw "No lab run '$Workload' at '$Lab' (traces/$($Workload)_s*.u32 and $Workload-results.csv): give the lab's folder with -Lab."
}
# Import-AccessTrace reads the run's description beside the trace (memwl's MEMWL_CONFIG line): the backend,
# the madvise/posix_fadvise it gave and where memwl --stat read memory.stat (each read flushes the memcg's
# stats, which 6.12's classic reclaim reads) become Add-Task's defaults for the trace.
$trace = Import-AccessTrace $tracePath -Format U32
if ($null -eq $trace.Run) { throw "'$tracePath' has no memwl run description (MEMWL_CONFIG in its .txt)." }
$backend = $trace.Backend
$vmaFlags = $trace.VmaFlags
$pattern = $trace.Run.Pattern
# What else the memcg pays for: the program, its permutation and Zipf CDF, the data's page tables (lab README).
$overheadPages = $trace.Run.OverheadPages
# The lab VM's clock: its costs, uniformly slower than the defaults (MemwlRun.LabVmPace), so that the 2 s memcg
# stats flusher acts at the same points of a run as in the lab.
$labCosts = $trace.Run.CostModel
$refaultType = if ($backend -eq 'Anon') { 'anon' } else { 'file' }

'{0}: {1}, {2} {3}, {4:N0} accesses, {5} memory.stat reads, overhead {6:N0} pages' -f $Workload, $backend, $pattern, $vmaFlags, $trace.Requests, $trace.MemoryStatReads.Count, $overheadPages
''

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
# The memcg's memory.max of the runs (the csv's limit column, e.g. 128M); the lab used one limit per workload.
function ConvertFrom-LabSize([string] $Text) {
    $units = @{ 'K' = 1KB; 'M' = 1MB; 'G' = 1GB }
    $last = $Text.Substring($Text.Length - 1).ToUpperInvariant()
    if ($units.ContainsKey($last)) { [long]$Text.Substring(0, $Text.Length - 1) * $units[$last] } else { [long]$Text }
}
$firstRun = @($labRuns.Values)[0][0]
$limit = if ($firstRun.ContainsKey('limit')) { ConvertFrom-LabSize $firstRun['limit'] } else { 128MB }
"memcg limit {0:N0} MiB (the runs' memory.max), 1 GiB zram, swappiness 60, one CPU" -f ($limit / 1MB)
''
# One replay of the lab run: its memcg and program, the mode as the policy or lru_gen's enabled bits, and
# each kernel under its own rule set.
function New-LabMemCgroup { New-MemCgroup -Name lab -Limit $limit -Overhead ($overheadPages * 4KB) | Add-Task -Name memwl -Workload $trace }
function Get-ModeParameters([int] $Mode) { if ($Mode -eq 0) { @{ Policy = 'Classic' } } else { @{ LruGenEnabled = $Mode } } }
function Get-LabRules([string] $Kernel) { if ($Kernel -eq 'k6.1') { 'V6_1' } else { 'V6_12' } }
function Get-LabMean([string] $Key, [string] $Column) {
    $sum = 0.0
    foreach ($run in $labRuns[$Key]) { $sum += [double]$run[$Column] }
    $sum / $labRuns[$Key].Count
}

# One sweep per mode runs both rule sets side by side.
$rows = @{}
$modes = @(foreach ($mode in 7, 3, 1, 0) { if ($labRuns.ContainsKey(('k6.1/0x{0:x4}' -f $mode)) -or $labRuns.ContainsKey(('k6.12/0x{0:x4}' -f $mode))) { $mode } })
foreach ($mode in $modes) {
    $modeParameters = Get-ModeParameters $mode
    $sweep = New-LabMemCgroup | Invoke-Reclaim @modeParameters -KernelRules (Get-LabRules 'k6.1'), (Get-LabRules 'k6.12') -Swap 1GB -Swappiness 60 -CostModel $labCosts
    $rows['k6.1/' + $mode] = $sweep[0]
    $rows['k6.12/' + $mode] = $sweep[1]
}

'{0,-6} {1,-6} {2,-26} {3,10} {4,10} {5,8}' -f 'Kernel', 'Mode', 'Counter', 'Simulated', 'Kernel', 'Diff'
foreach ($kernel in 'k6.1', 'k6.12') {
    foreach ($mode in $modes) {
        $r = $rows[$kernel + '/' + $mode]
        $key = '{0}/0x{1:x4}' -f $kernel, $mode
        if (-not $labRuns.ContainsKey($key)) { continue }
        foreach ($pair in @(
                @('pgmajfault', $r.PgMajFault, 'majflt'),
                @('pswpin', $r.PswpIn, 'vm_pswpin'),
                @('pgscan', $r.PgScan, 'cg_pgscan'),
                @('pgsteal', $r.PgSteal, 'cg_pgsteal'),
                @("workingset_refault_$refaultType", $r.("WorkingsetRefault$refaultType"), "cg_workingset_refault_$refaultType"),
                @("workingset_activate_$refaultType", $r.("WorkingsetActivate$refaultType"), "cg_workingset_activate_$refaultType"),
                @("workingset_restore_$refaultType", $r.("WorkingsetRestore$refaultType"), "cg_workingset_restore_$refaultType"))) {
            if (-not $labRuns[$key][0].ContainsKey($pair[2])) { continue } # a column this lab run did not record
            $kernelValue = Get-LabMean $key $pair[2]
            $diff = if ($kernelValue -eq 0) { '' } else { '{0:+0.0;-0.0}%' -f (100.0 * ($pair[1] - $kernelValue) / $kernelValue) }
            '{0,-6} {1,-6} {2,-26} {3,10:N0} {4,10:N0} {5,8}' -f $kernel.Substring(1), ('0x{0:x}' -f $mode), $pair[0], $pair[1], $kernelValue, $diff
        }
    }
}

# The lines of memcg /lab in an lru_gen or lru_gen_full text.
function Get-LabMemcgLines([string[]] $Lines) {
    $inLab = $false
    foreach ($line in $Lines) {
        if ($line.StartsWith('memcg')) { $inLab = $line.EndsWith('/lab'); continue }
        if ($inLab) { $line }
    }
}
# End-of-run /sys/kernel/debug/lru_gen of the lab memcg with walks on (0x7): the kernels' dumps (taken with
# the program stopped after its last access) next to the replay's, read the same way from the same text format.
function Get-LabGenerations([string[]] $Lines) {
    $column = if ($refaultType -eq 'anon') { 2 } else { 3 }
    foreach ($line in Get-LabMemcgLines $Lines) {
        if ($line -match '^\s+(\d+)\s+\d+\s+(\d+)\s+(\d+)\s*$') { [pscustomobject]@{ Seq = [long]$Matches[1]; Pages = [long]$Matches[$column] } }
    }
}
# lru_gen_full's mm-walk statistics of memcg /lab (its last statistics line): letter → count, in the dump's order.
$walkStatNames = @{ L = 'PTEs visited'; T = 'PTEs visited'; O = 'old PTEs'; Y = 'young PTEs'; N = 'PMD entries'; F = 'PTE tables read'; A = 'into Bloom filter' }
function Get-LabWalkStats([string[]] $Lines) {
    $stats = [ordered]@{}
    foreach ($line in Get-LabMemcgLines $Lines) {
        if ($line -notmatch '^\s+\d+[LT]\s') { continue }
        $stats = [ordered]@{}
        foreach ($m in [regex]::Matches($line, '(\d+)([LOYNFAT])')) { $stats[$m.Groups[2].Value] = [long]$m.Groups[1].Value }
    }
    $stats
}
$dumps = [System.IO.Path]::Combine($Lab, 'dumps')
foreach ($kernel in 'k6.1', 'k6.12') {
    $genDump = [System.IO.Path]::Combine($dumps, "lru_gen-$kernel-$Workload-m0x7.txt")
    $statDump = [System.IO.Path]::Combine($dumps, "memory.stat-$kernel-$Workload-m0x7.txt")
    if (-not [System.IO.File]::Exists($genDump) -or -not [System.IO.File]::Exists($statDump)) { continue }
    $rules = Get-LabRules $kernel
    $sim = New-LabMemCgroup | Start-ReclaimSimulation -LruGenEnabled 7 -KernelRules $rules -Swap 1GB -Swappiness 60 -CostModel $labCosts
    $null = $sim | Step-ReclaimSimulation
    $kernelGens = @(Get-LabGenerations ([System.IO.File]::ReadAllLines($genDump)))
    $simGens = @(Get-LabGenerations (($sim | Get-LruGen) -split "`n"))
    ''
    '{0} (0x7) lru_gen of /lab: seq and {1} pages, kernel | replay ({2} rules)' -f $kernel.Substring(1), $refaultType, $rules
    for ($i = 0; $i -lt [Math]::Max($kernelGens.Count, $simGens.Count); $i++) {
        $k = if ($i -lt $kernelGens.Count) { '{0,6} {1,8:N0}' -f $kernelGens[$i].Seq, $kernelGens[$i].Pages } else { '' }
        $r = if ($i -lt $simGens.Count) { '{0,6} {1,8:N0}' -f $simGens[$i].Seq, $simGens[$i].Pages } else { '' }
        '{0,-16} | {1}' -f $k, $r
    }
    # The page-table walks' statistics of /lab (lru_gen_full's last line; cumulative over the run, as kernels
    # built without CONFIG_LRU_GEN_STATS keep one history slot): 6.1 prints L O Y N F A, 6.12 T Y F A.
    $fullDump = [System.IO.Path]::Combine($dumps, "lru_gen_full-$kernel-$Workload-m0x7.txt")
    $kernelWalk = if ([System.IO.File]::Exists($fullDump)) { Get-LabWalkStats ([System.IO.File]::ReadAllLines($fullDump)) } else { @{} }
    if ($kernelWalk.Count -gt 0) {
        $simWalk = Get-LabWalkStats (($sim | Get-LruGen -Full) -split "`n")
        '{0,-16} | {1,-16} {2,10} {3,10} {4,8}' -f '', 'page-table walks', 'replay', 'kernel', 'diff'
        foreach ($letter in $kernelWalk.Keys) {
            if (-not $simWalk.Contains($letter)) { continue }
            '{0,-16} | {1,-16} {2,10:N0} {3,10:N0} {4,8}' -f '', $walkStatNames[$letter], $simWalk[$letter], $kernelWalk[$letter], ('{0:+0.0;-0.0}%' -f (100.0 * ($simWalk[$letter] - $kernelWalk[$letter]) / [Math]::Max(1, $kernelWalk[$letter])))
        }
    }
    # Agings: a new lruvec starts at max_seq 3, so the dump's last seq counts the kernel's. The replay's log
    # (Get-LruGenAging) says why each ran and which walked no mm: a second aging before the program ran
    # again finds its mm-bitmap bit clear, as the kernel's back-to-back agings do.
    $kernelMaxSeq = if ($kernelGens.Count -gt 0) { $kernelGens[-1].Seq } else { 3 }
    $agings = @($sim | Get-LruGenAging lab)
    $triggers = [ordered]@{}
    foreach ($aging in $agings) { $triggers[[string]$aging.Trigger] = 1 + [int]$triggers[[string]$aging.Trigger] }
    $walkedNoMm = @($agings | Where-Object { $_.PageTableWalk -and $_.MmsWalked -eq 0 }).Count
    '{0,-16} | agings: replay {1} ({2}; {3} walked no mm), kernel {4}' -f '', $agings.Count, (@($triggers.Keys | ForEach-Object { '{0} {1}' -f $triggers[$_], $_ }) -join ', '), $walkedNoMm, ($kernelMaxSeq - 3)
    # The same dump's memory.stat (one run, 0x7): folios sort_folio moved without isolating them (pgrefill)
    # and activations, which the results table above does not carry.
    $kernelStat = @{}
    foreach ($line in [System.IO.File]::ReadAllLines($statDump)) {
        $kv = $line.Split(' ')
        $kernelStat[$kv[0]] = [double]$kv[1]
    }
    $simStat = @{}
    foreach ($entry in ($sim | Get-MemCgroupStat lab -AsObject)) { $simStat[$entry.Key] = [double]$entry.Value }
    '{0,-16} | {1,-16} {2,10} {3,10} {4,8}' -f '', 'memory.stat', 'replay', 'kernel', 'diff'
    foreach ($key in 'pgscan', 'pgsteal', 'pgrefill', 'pgactivate') {
        '{0,-16} | {1,-16} {2,10:N0} {3,10:N0} {4,8}' -f '', $key, $simStat[$key], $kernelStat[$key], ('{0:+0.0;-0.0}%' -f (100.0 * ($simStat[$key] - $kernelStat[$key]) / $kernelStat[$key]))
    }
}

# Phase by phase: a run's full result channel (dumps/full-result-channel-*.out) carries memwl's memory.stat
# reads (MEMWL_STAT: before the first access, after the populate pass, after each phase). The replay is
# stepped to the same accesses and its memcg counters printed beside the kernel's at every read.
[string[]] $channels = if ([System.IO.Directory]::Exists($dumps)) { [System.IO.Directory]::GetFiles($dumps, "full-result-channel-*-$Workload-m0x*.out") } else { @() }
if ($null -eq $channels) { $channels = @() }
[Array]::Sort($channels, [StringComparer]::Ordinal)
foreach ($channel in $channels) {
    $lines = [System.IO.File]::ReadAllLines($channel)
    $labLine = @($lines | Where-Object { $_.StartsWith('@@LAB ') })[0]
    if (-not $labLine -or $labLine -notmatch 'name=(k[0-9.]+)_[^ ]*_m0x([0-9a-fA-F]+)_') { continue }
    $kernel = $Matches[1]
    $mode = [Convert]::ToInt32($Matches[2], 16)
    $rules = Get-LabRules $kernel
    $stats = @($lines | Where-Object { $_.StartsWith('MEMWL_STAT ') } | ForEach-Object {
        $values = @{}
        foreach ($pair in $_.Substring(11).Split(' ')) { $kv = $pair.Split('='); if ($kv.Length -eq 2) { $values[$kv[0]] = $kv[1] } }
        $values
    })
    if ($stats.Count -ne $trace.MemoryStatReads.Count) { continue }
    $modeParameters = Get-ModeParameters $mode
    $sim = New-LabMemCgroup | Start-ReclaimSimulation @modeParameters -KernelRules $rules -Swap 1GB -Swappiness 60 -CostModel $labCosts
    ''
    '{0} 0x{1:x} ({2}), phase by phase: replay / kernel' -f $kernel.Substring(1), $mode, [System.IO.Path]::GetFileName($channel)
    '{0,-9} {1,10} {2,21} {3,21} {4,21} {5,21}' -f 'Read', 'Accesses', 'pgmajfault', 'pgscan', 'pgsteal', "refault_$refaultType"
    $done = 0
    for ($i = 0; $i -lt $stats.Count; $i++) {
        $target = $trace.MemoryStatReads[$i]
        if ($target -gt $done) { $null = $sim | Step-ReclaimSimulation -Accesses ($target - $done); $done = $target }
        $simStat = @{}
        foreach ($entry in ($sim | Get-MemCgroupStat lab -AsObject)) { $simStat[$entry.Key] = [double]$entry.Value }
        $cells = foreach ($key in 'pgmajfault', 'pgscan', 'pgsteal', "workingset_refault_$refaultType") { '{0,10:N0} /{1,9:N0}' -f $simStat[$key], [double]$stats[$i][$key] }
        '{0,-9} {1,10:N0} {2} {3} {4} {5}' -f $stats[$i]['tag'], $target, $cells[0], $cells[1], $cells[2], $cells[3]
    }
}
