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

    Context 'bad input and refusals' {
        It 'fails with EAGAIN when nothing can be reclaimed' {
            { $sim | Invoke-MemCgroupReclaim web 1MB -Swappiness 0 -ErrorAction Stop } |
                Should -Throw -ErrorId 'EAGAIN,MgLru.PowerShell.Commands.InvokeMemCgroupReclaimCommand'
        }
    }
}
