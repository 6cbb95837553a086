# Pester 5 tests for Invoke-Reclaim: counters that must agree with each other on any run.
BeforeAll {
    Import-Module "$PSScriptRoot/../../out/MgLru/MgLru.psd1" -Force
}

Describe 'Invoke-Reclaim' {
    Context 'a Zipf task twice its limit, with swap, walk=<Walk>' -ForEach @(
        @{ Walk = $true }
        @{ Walk = $false }
    ) {
        BeforeAll {
            $r = New-MemCgroup -Name web -Limit 8MB |
                Add-Task -Name kv -Rss 16MB -Accesses 100000 |
                Invoke-Reclaim -PageTableWalk:$Walk -Swap 64MB -Seed 7
        }

        It 'counts every fault as a first touch or a swap-in' {
            $r.PgFault | Should -Be (4096 + $r.PgMajFault)
            $r.PswpIn | Should -Be $r.PgMajFault
        }

        It 'stays within the limit' {
            $r.ResidentPages | Should -BeLessOrEqual 2048
            $r.ResidentPages + $r.SwapPages | Should -Be 4096
        }

        It 'keeps two to four generations' {
            $r.MaxSeq - [math]::Min($r.MinSeqAnon, $r.MinSeqFile) + 1 | Should -BeIn 2, 3, 4
        }
    }

    Context 'determinism' {
        It 'gives identical rows for the same seed' {
            $a = New-MemCgroup -Name d -Limit 4MB | Add-Task -Name t -Rss 8MB -Accesses 50000 | Invoke-Reclaim -Swap 32MB -Seed 3
            $b = New-MemCgroup -Name d -Limit 4MB | Add-Task -Name t -Rss 8MB -Accesses 50000 | Invoke-Reclaim -Swap 32MB -Seed 3
            $b.PgMajFault | Should -Be $a.PgMajFault
            $b.PgScan | Should -Be $a.PgScan
            $b.MaxSeq | Should -Be $a.MaxSeq
        }
    }

    Context 'without swap' {
        It 'OOM-kills a task that outgrows its cgroup' {
            $r = New-MemCgroup -Name web -Limit 4MB | Add-Task -Name kv -Rss 8MB -Accesses 1000 | Invoke-Reclaim
            $r.OomKill | Should -Be 1
        }
    }

    Context 'sweeps' {
        It 'runs one simulation per combination, in order, each equal to its single run' {
            $cg = New-MemCgroup -Name web -Limit 8MB | Add-Task -Name kv -Workload Zipf -Rss 16MB -Accesses 40000
            $rows = $cg | Invoke-Reclaim -Policy Mglru, Classic -Swappiness 10, 100 -Swap 64MB -ThrottleLimit 2
            ($rows | ForEach-Object { '{0}/{1}' -f $_.Policy, $_.Swappiness }) -join ',' |
                Should -Be 'Mglru/10,Mglru/100,Classic/10,Classic/100'
            $single = $cg | Invoke-Reclaim -Policy Classic -Swappiness 100 -Swap 64MB
            $rows[3].PgScan | Should -Be $single.PgScan
            $rows[3].PgMajFault | Should -Be $single.PgMajFault
        }

        It 'runs a table of runs row by row, each equal to its single run' {
            $cg = New-MemCgroup -Name web -Limit 8MB | Add-Task -Name kv -Workload Zipf -Rss 16MB -Accesses 40000
            $rows = $cg | Invoke-Reclaim -Swap 64MB -Run @{ LruGenEnabled = 1 }, @{ PageTableWalk = $true }, @{ Policy = 'Classic'; Swappiness = 100 }
            ($rows | ForEach-Object { '{0}/{1}/{2}' -f $_.Policy, $_.LruGenEnabled, $_.Swappiness }) -join ',' |
                Should -Be 'Mglru/0x0001/60,Mglru/0x0007/60,Classic/0x0000/100'
            $single = $cg | Invoke-Reclaim -PageTableWalk -Swap 64MB
            $rows[1].PgScan | Should -Be $single.PgScan
            $rows[1].PgMajFault | Should -Be $single.PgMajFault
        }

        It 'names the row and the option of a bad row' {
            $cg = New-MemCgroup -Name web -Limit 8MB | Add-Task -Name kv -Rss 16MB -Accesses 1000
            { $cg | Invoke-Reclaim -Run @{ Seed = 1 }, @{ Swapiness = 10 } } |
                Should -Throw -ErrorId 'InvalidScenario,MgLru.PowerShell.Commands.InvokeReclaimCommand' -ExpectedMessage "*row 2*'Swapiness'*"
        }

        It 'is refused by Start-ReclaimSimulation' {
            { New-MemCgroup -Name x | Add-Task -Name t -Rss 1MB | Start-ReclaimSimulation -Seed 1, 2 } |
                Should -Throw -ErrorId 'OneConfigurationOnly,MgLru.PowerShell.Commands.StartReclaimSimulationCommand'
        }
    }

    Context 'global reclaim' {
        It 'gives kswapd at most the run''s time and leaves the rest to direct reclaim' {
            $slow = New-ReclaimCostModel -ZramWriteNs 20000
            $r = New-MemCgroup -Name a | Add-Task -Name t -Workload Uniform -Rss 16MB -Accesses 60000 |
                Invoke-Reclaim -Memory 8MB -Swap 32MB -CostModel $slow
            $r.KswapdCpuMs | Should -BeLessOrEqual ($r.SimulatedMs * 1.02)
            $r.PgStealDirect | Should -BeGreaterThan 0
            $r.OomKill | Should -Be 0
        }
    }

    Context 'invalid input' {
        It 'rejects swappiness <Value>' -ForEach @(@{ Value = -1 }, @{ Value = 201 }) {
            { New-MemCgroup -Name x | Add-Task -Name t -Rss 1MB | Invoke-Reclaim -Swappiness $Value } |
                Should -Throw -ErrorId 'ParameterArgumentValidationError,MgLru.PowerShell.Commands.InvokeReclaimCommand'
        }

        It 'refuses two cgroups with one name' {
            { 'a', 'a' | New-MemCgroup | Add-Task -Name t -Rss 1MB | Invoke-Reclaim -ErrorAction Stop } |
                Should -Throw -ErrorId 'InvalidScenario,MgLru.PowerShell.Commands.InvokeReclaimCommand'
        }
    }
}
