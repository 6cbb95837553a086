# Pester 5 tests for Get-LruGen.
BeforeAll {
    Import-Module "$PSScriptRoot/../../out/MgLru/MgLru.psd1" -Force
}

Describe 'Get-LruGen' {
    BeforeAll {
        $sim = New-MemCgroup -Name t -Limit 1MB | Add-Task -Name kv -Rss 40KB -Accesses 0 | Start-ReclaimSimulation
        $null = $sim | Step-ReclaimSimulation
    }

    Context 'what it does' {
        It 'prints the kernel format: ten faulted pages in max_seq - 1' {
            $text = $sim | Get-LruGen
            $text | Should -Match "(?m)^memcg     2 /t$"
            $text | Should -Match "(?m)^          2          0         10           0 $"
        }

        It 'gives rows with -AsObject' {
            $rows = $sim | Get-LruGen -AsObject | Where-Object MemcgPath -eq '/t'
            $rows.Seq | Should -Be @(0, 1, 2, 3)
            ($rows | Where-Object Seq -eq 2).AnonPages | Should -Be 10
        }

        It 'prints tiers and walk statistics with -Full' {
            ($sim | Get-LruGen -Full) | Should -Match '\d+T +\d+Y +\d+F +\d+A'
        }
    }
}
