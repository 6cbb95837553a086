# Pester 5 tests for Invoke-LruGenCommand: the kernel's lru_gen write semantics and errnos.
BeforeAll {
    Import-Module "$PSScriptRoot/../../out/MgLru/MgLru.psd1" -Force
}

Describe 'Invoke-LruGenCommand' {
    BeforeEach {
        $sim = New-MemCgroup -Name web -Limit 8MB | Add-Task -Name kv -Rss 4MB -Accesses 0 | Start-ReclaimSimulation -Swap 64MB
        $null = $sim | Step-ReclaimSimulation
    }

    Context 'what it does' {
        It 'ages memcg 2 by one generation' {
            $sim | Invoke-LruGenCommand '+ 2 0 3'
            ($sim | Step-ReclaimSimulation -Accesses 0).MaxSeq | Should -Be 4
        }

        It 'fails with <Errno> for <Command>' -ForEach @(
            @{ Command = '- 2 0 2'; Errno = 'EINVAL' }
            @{ Command = '+ 2 0 9'; Errno = 'EINVAL' }
            @{ Command = '+ 9 0 3'; Errno = 'EINVAL' }
            @{ Command = '+ 2 0'; Errno = 'EINVAL' }
            @{ Command = '* 2 0 3'; Errno = 'EINVAL' }
        ) {
            { $sim | Invoke-LruGenCommand $Command -ErrorAction Stop } | Should -Throw -ErrorId "$Errno,MgLru.PowerShell.Commands.InvokeLruGenCommandCommand"
        }

        It 'stops a write at the first failing command' {
            $sim | Invoke-LruGenCommand "+ 2 0 3`n+ 2 0 99`n+ 2 0 4" -ErrorAction SilentlyContinue
            ($sim | Step-ReclaimSimulation -Accesses 0).MaxSeq | Should -Be 4
        }
    }
}
