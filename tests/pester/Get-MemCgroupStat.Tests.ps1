# Pester 5 tests for Get-MemCgroupStat.
BeforeAll {
    Import-Module "$PSScriptRoot/../../out/MgLru/MgLru.psd1" -Force
}

Describe 'Get-MemCgroupStat' {
    BeforeAll {
        $sim = New-MemCgroup -Name web -Limit 8MB | Add-Task -Name kv -Rss 16MB -Accesses 10000 | Start-ReclaimSimulation -Swap 64MB
        $row = $sim | Step-ReclaimSimulation
    }

    Context 'what it does' {
        It 'prints key value lines with the kernel names' {
            $text = $sim | Get-MemCgroupStat web
            $text | Should -Match "(?m)^pgmajfault $($row.PgMajFault)$"
            $text | Should -Match "(?m)^pgscan $($row.PgScan)$"
        }

        It 'gives objects with -AsObject whose anon bytes match the resident pages' {
            $anon = $sim | Get-MemCgroupStat web -AsObject | Where-Object Key -eq 'anon'
            $anon.Value | Should -Be ($row.ResidentPages * 4096)
        }

        It 'prints the key set of the kernel the rules stand for' {
            $old = New-MemCgroup -Name web -Limit 8MB | Add-Task -Name kv -Rss 16MB -Accesses 10000 | Start-ReclaimSimulation -Swap 64MB -KernelRules V6_1
            $null = $old | Step-ReclaimSimulation
            $keys = ($old | Get-MemCgroupStat web -AsObject).Key
            $keys | Should -Contain 'pgscan_direct'
            $keys | Should -Not -Contain 'pgscan_khugepaged'
            $keys | Should -Not -Contain 'pgdemote_kswapd'
            ($sim | Get-MemCgroupStat web -AsObject).Key | Should -Contain 'pgscan_proactive'
        }

        It 'prints memory.events with -Events' {
            $text = $sim | Get-MemCgroupStat web -Events
            $text | Should -Match "(?m)^max $($row.MemoryMaxEvents)$"
            $text | Should -Match '(?m)^oom_kill 0$'
        }

        It 'reports an unknown memcg as ObjectNotFound' {
            { $sim | Get-MemCgroupStat nope -ErrorAction Stop } | Should -Throw -ErrorId 'MemCgroupNotFound,MgLru.PowerShell.Commands.GetMemCgroupStatCommand'
        }
    }
}
