# Pester 5 tests for Get-LruGenAging.
BeforeAll {
    Import-Module "$PSScriptRoot/../../out/MgLru/MgLru.psd1" -Force
}

Describe 'Get-LruGenAging' {
    BeforeAll {
        $sim = New-MemCgroup -Name web -Limit 8MB | Add-Task -Name kv -Rss 16MB -Accesses 20000 | Start-ReclaimSimulation -PageTableWalk -Swap 64MB
        $row = $sim | Step-ReclaimSimulation
    }

    Context 'what it does' {
        It 'has one row per aging, ending at the run''s max_seq' {
            $agings = @($sim | Get-LruGenAging web)
            $agings.Count | Should -Be $row.AgingRuns
            $agings[0].MaxSeq | Should -Be 4
            $agings[-1].MaxSeq | Should -Be $row.MaxSeq
        }

        It 'adds up to the run''s walk counters' {
            $ptes = 0; $young = 0
            foreach ($a in $sim | Get-LruGenAging web) { $ptes += $a.Ptes; $young += $a.YoungPtes }
            $ptes | Should -Be $row.WalkPtes
            $young | Should -Be $row.WalkYoungPtes
        }

        It 'names should_run_aging''s reason for each' {
            foreach ($a in $sim | Get-LruGenAging web) {
                if ($a.Trigger -eq 'TwoGenerations') { $a.GenerationsBefore | Should -Be 2 } else { $a.GenerationsBefore | Should -Be 3 }
            }
        }
    }

    Context 'bad input and refusals' {
        It 'says when there is no such memcg' {
            $sim | Get-LruGenAging nosuch -ErrorVariable e -ErrorAction SilentlyContinue
            $e[0].FullyQualifiedErrorId | Should -Be 'MemCgroupNotFound,MgLru.PowerShell.Commands.GetLruGenAgingCommand'
        }
    }
}
