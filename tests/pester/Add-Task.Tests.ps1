# Pester 5 tests for Add-Task.
BeforeAll {
    Import-Module "$PSScriptRoot/../../out/MgLru/MgLru.psd1" -Force
}

Describe 'Add-Task' {
    Context 'chaining' {
        It 'adds the task and passes the cgroup on' {
            $cg = New-MemCgroup -Name web -Limit 64MB | Add-Task -Name a -Rss 8MB | Add-Task -Name b -Rss 4MB
            $cg.Name | Should -Be 'web'
            $cg.Tasks.Name | Should -Be @('a', 'b')
            $cg.RssBytes | Should -Be 12MB
        }

        It 'accepts workload <Workload>' -ForEach @(
            @{ Workload = 'Sequential' }
            @{ Workload = 'Uniform' }
            @{ Workload = 'Zipf' }
        ) {
            $cg = New-MemCgroup -Name w | Add-Task -Name t -Rss 1MB -Workload $Workload
            $cg.Tasks[0].Workload.Kind | Should -Be $Workload
        }
    }

    Context 'invalid input' {
        It 'rejects an Rss below one page' {
            { New-MemCgroup -Name x | Add-Task -Name t -Rss 0 } |
                Should -Throw -ErrorId 'ParameterArgumentValidationError,MgLru.PowerShell.Commands.AddTaskCommand'
        }

        It 'rejects an unknown workload' {
            { New-MemCgroup -Name x | Add-Task -Name t -Rss 1MB -Workload Bogus } |
                Should -Throw -ErrorId 'ParameterArgumentTransformationError,MgLru.PowerShell.Commands.AddTaskCommand'
        }

        It 'needs -Rss for a generated workload' {
            { New-MemCgroup -Name x | Add-Task -Name t -ErrorAction Stop } |
                Should -Throw -ErrorId 'InvalidTask,MgLru.PowerShell.Commands.AddTaskCommand'
        }
    }
}
