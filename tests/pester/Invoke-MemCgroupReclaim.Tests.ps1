# Pester 5 tests for Invoke-MemCgroupReclaim (memory.reclaim).
BeforeAll {
    Import-Module "$PSScriptRoot/../../out/MgLru/MgLru.psd1" -Force
}

Describe 'Invoke-MemCgroupReclaim' {
    BeforeEach {
        $sim = New-MemCgroup -Name web | Add-Task -Name kv -Rss 8MB -Accesses 0 | Start-ReclaimSimulation -Swap 64MB
        $null = $sim | Step-ReclaimSimulation
    }

    Context 'what it does' {
        It 'reclaims what was asked, counted as proactive' {
            $r = $sim | Invoke-MemCgroupReclaim web 1MB
            $r.ReclaimedBytes | Should -BeGreaterOrEqual 1MB
            ($sim | Get-MemCgroupStat web -AsObject | Where-Object Key -eq 'pgsteal_proactive').Value | Should -Be ($r.ReclaimedBytes / 4096)
        }
    }

    Context 'kernel versions' {
        It 'counts memory.reclaim as direct reclaim before the proactive counters' {
            $old = New-MemCgroup -Name web | Add-Task -Name kv -Rss 8MB -Accesses 0 | Start-ReclaimSimulation -Swap 64MB -KernelRules V6_12
            $null = $old | Step-ReclaimSimulation
            $r = $old | Invoke-MemCgroupReclaim web 1MB
            $stat = $old | Get-MemCgroupStat web -AsObject
            ($stat | Where-Object Key -eq 'pgsteal_direct').Value | Should -Be ($r.ReclaimedBytes / 4096)
            $stat.Key | Should -Not -Contain 'pgsteal_proactive'
        }
    }

    Context 'bad input and refusals' {
        It 'fails with EAGAIN when nothing can be reclaimed' {
            { $sim | Invoke-MemCgroupReclaim web 1MB -Swappiness 0 -ErrorAction Stop } |
                Should -Throw -ErrorId 'EAGAIN,MgLru.PowerShell.Commands.InvokeMemCgroupReclaimCommand'
        }
    }
}
