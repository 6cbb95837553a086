# Pester 5 tests for New-ReclaimCostModel.
BeforeAll {
    Import-Module "$PSScriptRoot/../../out/MgLru/MgLru.psd1" -Force
}

Describe 'New-ReclaimCostModel' {
    Context 'what it does' {
        It 'has documented defaults' {
            $c = New-ReclaimCostModel
            $c.AccessNs | Should -Be 100
            $c.ZramWriteNs | Should -Be 5000
        }

        It 'makes simulated time follow the costs' {
            $run = { param($costs) New-MemCgroup -Name kv -Limit 4MB | Add-Task -Name kv -Rss 8MB -Accesses 20000 | Invoke-Reclaim -Swap 64MB -CostModel $costs }
            $fast = & $run (New-ReclaimCostModel)
            $slow = & $run (New-ReclaimCostModel -ZramWriteNs 50000)
            $slow.PgSteal | Should -Be $fast.PgSteal
            $slow.SimulatedMs | Should -BeGreaterThan $fast.SimulatedMs
            $slow.ProfileSwapOutPct | Should -BeGreaterThan $fast.ProfileSwapOutPct
        }
    }

    Context 'bad input and refusals' {
        It 'rejects a negative cost' {
            { New-ReclaimCostModel -AccessNs -1 } | Should -Throw -ErrorId 'ParameterArgumentValidationError,MgLru.PowerShell.Commands.NewReclaimCostModelCommand'
        }
    }
}
