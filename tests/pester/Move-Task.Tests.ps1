# Pester 5 tests for Move-Task and Add-Task -MoveTo.
BeforeAll {
    Import-Module "$PSScriptRoot/../../out/MgLru/MgLru.psd1" -Force
}

Describe 'Move-Task' {
    Context 'what it does' {
        It 'leaves charged pages behind and charges new ones to the destination' {
            $a = New-MemCgroup -Name a | Add-Task -Name t -Rss 400KB -Accesses 100 -NoPopulate -Workload Sequential
            $b = New-MemCgroup -Name b
            $sim = $a, $b | Start-ReclaimSimulation
            $null = $sim | Step-ReclaimSimulation -Accesses 40
            $sim | Move-Task t b
            $rows = $sim | Step-ReclaimSimulation
            ($rows | Where-Object Memcg -eq 'a').ResidentPages | Should -Be 40
            ($rows | Where-Object Memcg -eq 'b').ResidentPages | Should -Be 60
        }

        It 'reports an unknown task as ObjectNotFound' {
            $sim = New-MemCgroup -Name a | Add-Task -Name t -Rss 1MB | Start-ReclaimSimulation
            { $sim | Move-Task nobody a -ErrorAction Stop } | Should -Throw -ErrorId 'TaskOrMemCgroupNotFound,MgLru.PowerShell.Commands.MoveTaskCommand'
        }

        It 'moves at a scheduled point with Add-Task -MoveTo -At' {
            $b = New-MemCgroup -Name b
            $a = New-MemCgroup -Name a | Add-Task -Name t -Rss 400KB -Accesses 100 -NoPopulate -Workload Sequential -MoveTo $b -At 0.5
            $rows = $a, $b | Invoke-Reclaim
            ($rows | Where-Object Memcg -eq 'a').ResidentPages | Should -Be 50
            ($rows | Where-Object Memcg -eq 'b').ResidentPages | Should -Be 50
        }

        It 'moves a thread together with its process, as cgroup.procs does' {
            $a = New-MemCgroup -Name a -Limit 256KB | Add-Task -Name leader -Rss 800KB -Accesses 200 -NoPopulate -Workload Sequential
            $null = $a | Add-Task -Name thread -ShareMmWith leader -Rss 800KB -Accesses 200 -NoPopulate -Workload Sequential
            $b = New-MemCgroup -Name b
            $sim = $a, $b | Start-ReclaimSimulation
            $null = $sim | Step-ReclaimSimulation -Accesses 32
            $inA = ($sim | Step-ReclaimSimulation -Accesses 0 | Where-Object Memcg -eq 'a').ResidentPages
            $sim | Move-Task thread b
            $rows = $sim | Step-ReclaimSimulation
            ($rows | Where-Object Memcg -eq 'a').ResidentPages | Should -Be $inA
            ($rows | Where-Object Memcg -eq 'a').OomKill | Should -Be 0
            ($rows | Where-Object Memcg -eq 'b').ResidentPages | Should -Be (200 - $inA)
        }
    }
}
