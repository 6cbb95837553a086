# Pester 5 tests for Get-NumaNodeStat.
BeforeAll {
    Import-Module "$PSScriptRoot/../../out/MgLru/MgLru.psd1" -Force
}

Describe 'Get-NumaNodeStat' {
    Context 'what it does' {
        It 'shows the tiers and where the pages are' {
            $dram = New-NumaNode 0 Dram 4MB
            $pmem = New-NumaNode 1 Pmem 16MB
            $sim = New-MemCgroup -Name app | Add-Task -Name app -Workload Sequential -Rss 8MB -Accesses 0 | Start-ReclaimSimulation -Node $dram, $pmem
            $null = $sim | Step-ReclaimSimulation
            $rows = @($sim | Get-NumaNodeStat)
            $rows.Count | Should -Be 2
            $rows[0].DemotionTargets | Should -Be '1'
            $rows[1].TopTier | Should -BeFalse
            ($rows[0].ResidentPages + $rows[1].ResidentPages) | Should -Be 2048
        }

        It 'selects nodes by id' {
            $sim = New-MemCgroup -Name app | Add-Task -Name app -Rss 1MB -Accesses 0 | Start-ReclaimSimulation -Node (New-NumaNode 0 Dram 4MB), (New-NumaNode 1 Pmem 4MB)
            @($sim | Get-NumaNodeStat 1).Node | Should -Be 1
        }
    }
}
