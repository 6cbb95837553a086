# Pester 5 tests for Get-ReclaimTimeline.
BeforeAll {
    Import-Module "$PSScriptRoot/../../out/MgLru/MgLru.psd1" -Force
}

Describe 'Get-ReclaimTimeline' {
    Context 'what it does' {
        It 'has one row per node per interval, adding up to the run' {
            $dram = New-NumaNode 0 Dram 16MB
            $pmem = New-NumaNode 1 Pmem 64MB
            $sim = New-MemCgroup -Name app | Add-Task -Name app -Rss 48MB -Accesses 100000 | Start-ReclaimSimulation -Node $dram, $pmem -TimelineIntervalMs 10
            $null = $sim | Step-ReclaimSimulation
            $rows = @($sim | Get-ReclaimTimeline)
            $rows.Count % 2 | Should -Be 0
            $total = 0
            foreach ($r in $rows) { $total += $r.Accesses }
            $total | Should -Be (12288 + 100000)
        }
    }

    Context 'bad input and refusals' {
        It 'says when the simulation records no timeline' {
            $sim = New-MemCgroup -Name app | Add-Task -Name app -Rss 1MB -Accesses 0 | Start-ReclaimSimulation
            $sim | Get-ReclaimTimeline -ErrorVariable e -ErrorAction SilentlyContinue
            $e[0].FullyQualifiedErrorId | Should -Be 'NoTimeline,MgLru.PowerShell.Commands.GetReclaimTimelineCommand'
        }
    }
}
