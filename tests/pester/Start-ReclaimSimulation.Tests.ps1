# Pester 5 tests for Start-ReclaimSimulation.
BeforeAll {
    Import-Module "$PSScriptRoot/../../out/MgLru/MgLru.psd1" -Force
}

Describe 'Start-ReclaimSimulation' {
    Context 'what it does' {
        It 'accepts the run options of Invoke-Reclaim (<Rules>)' -ForEach @(
            @{ Rules = 'V6_1' }
            @{ Rules = 'V6_14' }
        ) {
            $sim = New-MemCgroup -Name a | Add-Task -Name t -Rss 1MB | Start-ReclaimSimulation -KernelRules $Rules -PageTableWalk
            $sim.KernelRules | Should -Be $Rules
        }
    }

    Context 'bad input and refusals' {
        It 'returns a simulation that has not run yet' {
            $sim = New-MemCgroup -Name web -Limit 8MB | Add-Task -Name kv -Rss 16MB -Accesses 1000 | Start-ReclaimSimulation -Swap 64MB
            $sim.AccessesDone | Should -Be 0
            $sim.AccessesTotal | Should -Be (4096 + 1000)
            $sim.Finished | Should -BeFalse
            $sim.Memcgs | Should -Be 'web'
        }
    }
}
