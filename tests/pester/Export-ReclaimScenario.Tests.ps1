# Pester 5 tests for Export-ReclaimScenario.
BeforeAll {
    Import-Module "$PSScriptRoot/../../out/MgLru/MgLru.psd1" -Force
}

Describe 'Export-ReclaimScenario' {
    BeforeEach {
        $file = [System.IO.Path]::Combine($TestDrive, 'run.json')
    }

    Context 'what it does' {
        It 'writes a file that re-runs exactly' {
            $cg = New-MemCgroup -Name web -Limit 4MB | Add-Task -Name kv -Rss 8MB -Accesses 20000
            $direct = $cg | Invoke-Reclaim -PageTableWalk -Swap 64MB -Seed 3
            $cg | Export-ReclaimScenario $file -PageTableWalk -Swap 64MB -Seed 3
            $again = Import-ReclaimScenario $file | Invoke-Reclaim
            $again.PgMajFault | Should -Be $direct.PgMajFault
            $again.SimulatedMs | Should -Be $direct.SimulatedMs
        }
    }

    Context 'bad input and refusals' {
        It 'writes nothing with -WhatIf' {
            New-MemCgroup -Name web | Add-Task -Name kv -Rss 1MB | Export-ReclaimScenario $file -WhatIf
            [System.IO.File]::Exists($file) | Should -BeFalse
        }

        It 'keeps an existing file unless -Force' {
            [System.IO.File]::WriteAllText($file, 'mine')
            { New-MemCgroup -Name web | Add-Task -Name kv -Rss 1MB | Export-ReclaimScenario $file } | Should -Throw -ErrorId 'FileExists,MgLru.PowerShell.Commands.ExportReclaimScenarioCommand'
            [System.IO.File]::ReadAllText($file) | Should -Be 'mine'
        }
    }
}
