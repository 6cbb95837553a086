# Pester 5 tests for Import-AccessTrace.
BeforeAll {
    Import-Module "$PSScriptRoot/../../out/MgLru/MgLru.psd1" -Force
    $dir = [System.IO.Path]::Combine([System.IO.Path]::GetTempPath(), [guid]::NewGuid().ToString())
    $null = [System.IO.Directory]::CreateDirectory($dir)
}

AfterAll {
    [System.IO.Directory]::Delete($dir, $true)
}

Describe 'Import-AccessTrace' {
    Context 'what it does' {
        It 'reads <Name>' -ForEach @(
            @{ Name = 'hex, octal and decimal ids'; Text = "0x10`n`n020`n16`n"; Requests = 3; Objects = 1 }
            @{ Name = 'distinct ids'; Text = "1`n2`n3`n"; Requests = 3; Objects = 3 }
        ) {
            $path = [System.IO.Path]::Combine($dir, 't.txt')
            [System.IO.File]::WriteAllText($path, $Text)
            $t = Import-AccessTrace $path -Format Txt
            $t.Requests | Should -Be $Requests
            $t.Objects | Should -Be $Objects
        }

        It 'replays under an exact LRU with the miss ratio of an LRU cache' {
            $path = [System.IO.Path]::Combine($dir, 'loop.txt')
            [System.IO.File]::WriteAllLines($path, [string[]](1..3000 | ForEach-Object { $_ % 1200 }))
            $trace = Import-AccessTrace $path -Format Txt
            $r = New-MemCgroup -Name cache -Limit 4000KB | Add-Task -Name replay -Workload $trace | Invoke-Reclaim -Policy Lru -Swap 16MB
            $r.MissRatio | Should -Be 1
        }
    }

    Context 'backend and advice' {
        It 'carries -Backend into Add-Task: a shared file mapping major-faults every first touch' {
            $path = [System.IO.Path]::Combine($dir, 't.u32')
            [System.IO.File]::WriteAllBytes($path, [byte[]](0..19 | ForEach-Object { [System.BitConverter]::GetBytes([uint32]($_ % 10)) } | ForEach-Object { $_ }))
            $trace = Import-AccessTrace $path -Format U32 -Backend FileMmap -VmaFlags RandRead
            $trace.Backend | Should -Be 'FileMmap'
            $trace.VmaFlags | Should -Be 'RandRead'
            $r = New-MemCgroup -Name lab -Limit 1MB | Add-Task -Name t -Workload $trace | Invoke-Reclaim -Swap 1MB
            $r.PgMajFault | Should -Be 10
            $r = New-MemCgroup -Name lab -Limit 1MB | Add-Task -Name t -Workload $trace -Backend Anon | Invoke-Reclaim -Swap 1MB
            $r.PgMajFault | Should -Be 0
        }
    }

    Context 'bad input and refusals' {
        It 'names the line of a malformed id' {
            $path = [System.IO.Path]::Combine($dir, 'bad.txt')
            [System.IO.File]::WriteAllText($path, "1`n2`nthree`n")
            { Import-AccessTrace $path -Format Txt -ErrorAction Stop } | Should -Throw -ErrorId 'MalformedTrace,MgLru.PowerShell.Commands.ImportAccessTraceCommand'
        }
    }
}
