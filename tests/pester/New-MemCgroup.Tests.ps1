# Pester 5 tests for New-MemCgroup. Run with Invoke-Pester after ./build.ps1 -Task Build.
BeforeAll {
    Import-Module "$PSScriptRoot/../../out/MgLru/MgLru.psd1" -Force
}

Describe 'New-MemCgroup' {
    Context 'valid input' {
        It 'creates /<Name> with memory.max <Limit>' -ForEach @(
            @{ Name = 'web'; Limit = 64MB }
            @{ Name = 'batch'; Limit = 1GB }
        ) {
            $cg = New-MemCgroup -Name $Name -Limit $Limit
            $cg.Name | Should -Be $Name
            $cg.LimitBytes | Should -Be $Limit
            $cg.TaskCount | Should -Be 0
        }

        It 'has no limit by default' {
            (New-MemCgroup -Name free).LimitBytes | Should -Be ([long]::MaxValue)
        }

        It 'takes names from the pipeline' {
            $cgs = 'a', 'b' | New-MemCgroup -Limit 8MB
            $cgs.Name | Should -Be @('a', 'b')
        }
    }

    Context 'overhead' {
        It 'charges the overhead so that the limit leaves less room' {
            $r = New-MemCgroup -Name ok -Limit 256KB -Overhead 64KB | Add-Task -Name t -Workload Sequential -Rss 320KB -Accesses 0 | Invoke-Reclaim
            $r.PgFault | Should -Be 49
            $r.OomKill | Should -Be 1
        }
    }

    Context 'invalid input' {
        It 'rejects <Case>' -ForEach @(
            @{ Case = 'a negative limit'; Script = { New-MemCgroup -Name x -Limit -5 } }
            @{ Case = 'a limit below one page'; Script = { New-MemCgroup -Name x -Limit 100 } }
            @{ Case = 'a slash in the name'; Script = { New-MemCgroup -Name 'a/b' } }
            @{ Case = 'swappiness above 200'; Script = { New-MemCgroup -Name x -Swappiness 201 } }
        ) {
            $Script | Should -Throw -ErrorId 'ParameterArgumentValidationError,MgLru.PowerShell.Commands.NewMemCgroupCommand'
        }

        It 'refuses an overhead that fills the limit' {
            { New-MemCgroup -Name x -Limit 32MB -Overhead 32MB -ErrorAction Stop } |
                Should -Throw -ErrorId 'OverheadNotBelowLimit,MgLru.PowerShell.Commands.NewMemCgroupCommand'
        }
    }
}
