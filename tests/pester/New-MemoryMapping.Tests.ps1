# Pester 5 tests for New-MemoryMapping.
BeforeAll {
    Import-Module "$PSScriptRoot/../../out/MgLru/MgLru.psd1" -Force
}

Describe 'New-MemoryMapping' {
    Context 'what it does' {
        It 'creates a <Backend> mapping' -ForEach @(
            @{ Backend = 'Anon'; Writes = 1 }, @{ Backend = 'FileMmap'; Writes = 0 }, @{ Backend = 'FilePrivate'; Writes = 0 }, @{ Backend = 'FileRead'; Writes = 0 }
        ) {
            $m = New-MemoryMapping $Backend 8MB
            $m.Backend | Should -Be $Backend
            $m.Bytes | Should -Be 8MB
            $m.WriteFraction | Should -Be $Writes
        }

        It 'gives a task anonymous memory and a mapped file in one address space' {
            $file = New-MemoryMapping FileMmap 32KB
            $r = New-MemCgroup -Name app | Add-Task -Name app -Workload Sequential -Rss 32KB -Mapping $file -Accesses 0 | Invoke-Reclaim
            $r.PgFault | Should -Be 16
            $r.PgMajFault | Should -Be 8
        }
    }

    Context 'bad input and refusals' {
        It 'refuses a file for anonymous memory' {
            { New-MemoryMapping Anon 4MB -File x } | Should -Throw -ErrorId 'InvalidMapping,MgLru.PowerShell.Commands.NewMemoryMappingCommand'
        }
    }
}
