# Pester 5 tests for New-NumaNode.
BeforeAll {
    Import-Module "$PSScriptRoot/../../out/MgLru/MgLru.psd1" -Force
}

Describe 'New-NumaNode' {
    Context 'what it does' {
        It 'gives <Tier> its kernel defaults' -ForEach @(
            @{ Tier = 'Dram'; Distance = 576; MemoryOnly = $false; TierId = 4 }
            @{ Tier = 'Pmem'; Distance = 2880; MemoryOnly = $true; TierId = 22 }
            @{ Tier = 'Cxl'; Distance = 2880; MemoryOnly = $true; TierId = 22 }
        ) {
            $n = New-NumaNode 0 $Tier 4GB
            $n.AbstractDistance | Should -Be $Distance
            $n.MemoryOnly | Should -Be $MemoryOnly
            $n.TierId | Should -Be $TierId
        }

        It 'demotes to PMEM instead of swapping' {
            $dram = New-NumaNode 0 Dram 16MB
            $pmem = New-NumaNode 1 Pmem 64MB
            $r = New-MemCgroup -Name app | Add-Task -Name app -Rss 96MB -Accesses 50000 | Invoke-Reclaim -Node $dram, $pmem -Demotion -Swap 256MB
            ($r.PgDemoteKswapd + $r.PgDemoteDirect) | Should -BeGreaterThan 0
        }
    }

    Context 'bad input and refusals' {
        It 'refuses a scenario whose nodes have no CPUs' {
            $pmem = New-NumaNode 0 Pmem 64MB
            { New-MemCgroup -Name app | Add-Task -Name app -Rss 1MB | Invoke-Reclaim -Node $pmem } | Should -Throw -ErrorId 'InvalidScenario,MgLru.PowerShell.Commands.InvokeReclaimCommand'
        }
    }
}
