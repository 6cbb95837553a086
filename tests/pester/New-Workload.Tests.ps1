# Pester 5 tests for New-Workload.
BeforeAll {
    Import-Module "$PSScriptRoot/../../out/MgLru/MgLru.psd1" -Force
}

Describe 'New-Workload' {
    Context 'what it does' {
        It 'creates <Kind>' -ForEach @(
            @{ Kind = 'Zipf' }, @{ Kind = 'Gaussian' }, @{ Kind = 'HotCold' }, @{ Kind = 'Scan' }, @{ Kind = 'Uniform' }, @{ Kind = 'Sequential' }
        ) {
            (New-Workload $Kind).Kind | Should -Be $Kind
        }

        It 'drives a task' {
            $w = New-Workload HotCold -HotFraction 0.05 -HotProbability 0.95
            $r = New-MemCgroup -Name kv -Limit 4MB | Add-Task -Name kv -Workload $w -Rss 8MB -Accesses 20000 | Invoke-Reclaim -Swap 64MB
            $r.Accesses | Should -Be (2048 + 20000)
        }
    }

    Context 'bad input and refusals' {
        It 'needs one number of accesses per phase' {
            $hot = New-Workload HotCold
            { New-Workload -Phase $hot, $hot -PhaseAccesses 100 } | Should -Throw -ErrorId 'InvalidWorkload,MgLru.PowerShell.Commands.NewWorkloadCommand'
        }
    }
}
