# Pester 5 tests for Step-ReclaimSimulation.
BeforeAll {
    Import-Module "$PSScriptRoot/../../out/MgLru/MgLru.psd1" -Force
}

Describe 'Step-ReclaimSimulation' {
    BeforeEach {
        $sim = New-MemCgroup -Name web -Limit 8MB | Add-Task -Name kv -Rss 16MB -Accesses 20000 | Start-ReclaimSimulation -Swap 64MB -Seed 5
    }

    Context 'what it does' {
        It 'runs exactly the accesses asked for' {
            $row = $sim | Step-ReclaimSimulation -Accesses 1000
            $row.Accesses | Should -Be 1000
            $sim.AccessesDone | Should -Be 1000
        }

        It 'gives the same end state in steps as in one go' {
            1..4 | ForEach-Object { $null = $sim | Step-ReclaimSimulation -Accesses 6024 }
            $stepped = $sim | Step-ReclaimSimulation
            $whole = New-MemCgroup -Name web -Limit 8MB | Add-Task -Name kv -Rss 16MB -Accesses 20000 | Invoke-Reclaim -Swap 64MB -Seed 5
            $stepped.PgMajFault | Should -Be $whole.PgMajFault
            $stepped.PgScan | Should -Be $whole.PgScan
        }

        It 'passes the simulation on with -PassThru' {
            ($sim | Step-ReclaimSimulation -Accesses 10 -PassThru).AccessesDone | Should -Be 10
        }
    }
}
