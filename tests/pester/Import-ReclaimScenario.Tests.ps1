# Pester 5 tests for Import-ReclaimScenario.
BeforeAll {
    Import-Module "$PSScriptRoot/../../out/MgLru/MgLru.psd1" -Force
}

Describe 'Import-ReclaimScenario' {
    Context 'what it does' {
        It 'reads what Export-ReclaimScenario wrote' {
            $file = [System.IO.Path]::Combine($TestDrive, 'run.json')
            New-MemCgroup -Name web | Add-Task -Name kv -Rss 1MB | Export-ReclaimScenario $file -Policy Classic -Seed 9
            $s = Import-ReclaimScenario $file
            $s.Policy | Should -Be 'Classic'
            $s.Seed | Should -Be 9
            $s.Tasks | Should -Be 1
        }
    }

    Context 'bad input and refusals' {
        It 'names the line of a broken file' {
            $file = [System.IO.Path]::Combine($TestDrive, 'broken.json')
            [System.IO.File]::WriteAllText($file, "{`n  `"format`": 3")
            Import-ReclaimScenario $file -ErrorVariable e -ErrorAction SilentlyContinue
            $e[0].FullyQualifiedErrorId | Should -Be 'InvalidScenarioFile,MgLru.PowerShell.Commands.ImportReclaimScenarioCommand'
            $e[0].Exception.Message | Should -Match 'line 2'
        }

        It 'refuses run options next to a scenario' {
            $file = [System.IO.Path]::Combine($TestDrive, 'run.json')
            New-MemCgroup -Name web | Add-Task -Name kv -Rss 1MB | Export-ReclaimScenario $file -Force
            { Import-ReclaimScenario $file | Invoke-Reclaim -Swap 1GB } | Should -Throw -ErrorId 'ScenarioFixesOptions,MgLru.PowerShell.Commands.InvokeReclaimCommand'
        }
    }
}
