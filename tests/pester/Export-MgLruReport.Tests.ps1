# Pester 5 tests for Export-MgLruReport.
BeforeAll {
    Import-Module "$PSScriptRoot/../../out/MgLru/MgLru.psd1" -Force
}

Describe 'Export-MgLruReport' {
    BeforeEach {
        $file = [System.IO.Path]::Combine($TestDrive, 'report.xlsx')
    }

    Context 'what it does' {
        It 'writes a workbook from a sweep' {
            New-MemCgroup -Name web -Limit 4MB | Add-Task -Name kv -Rss 8MB -Accesses 20000 | Invoke-Reclaim -Policy Mglru, Classic -Swap 64MB | Export-MgLruReport $file
            [System.IO.File]::Exists($file) | Should -BeTrue
            ([System.IO.FileInfo]::new($file)).Length | Should -BeGreaterThan 1000
        }

        It 'writes the same bytes for the same runs' {
            $rows = New-MemCgroup -Name web -Limit 4MB | Add-Task -Name kv -Rss 8MB -Accesses 20000 | Invoke-Reclaim -Policy Mglru, Classic -Swap 64MB
            $other = [System.IO.Path]::Combine($TestDrive, 'again.xlsx')
            $rows | Export-MgLruReport $file
            [System.Threading.Thread]::Sleep(2100)
            $rows | Export-MgLruReport $other
            [Convert]::ToBase64String([System.IO.File]::ReadAllBytes($other)) | Should -Be ([Convert]::ToBase64String([System.IO.File]::ReadAllBytes($file)))
        }
    }

    Context 'bad input and refusals' {
        It 'writes nothing with -WhatIf' {
            New-MemCgroup -Name web | Add-Task -Name kv -Rss 1MB -Accesses 0 | Invoke-Reclaim | Export-MgLruReport $file -WhatIf
            [System.IO.File]::Exists($file) | Should -BeFalse
        }

        It 'refuses a folder as the path before running anything' {
            { New-MemCgroup -Name web | Add-Task -Name kv -Rss 1MB -Accesses 0 | Invoke-Reclaim | Export-MgLruReport $TestDrive -Force -ErrorAction Stop } |
                Should -Throw -ErrorId 'PathIsFolder,MgLru.PowerShell.Commands.ExportMgLruReportCommand'
        }

        It 'refuses other objects' {
            'text' | Export-MgLruReport $file -ErrorVariable e -ErrorAction SilentlyContinue
            $e[0].FullyQualifiedErrorId | Should -Be 'UnsupportedReportInput,MgLru.PowerShell.Commands.ExportMgLruReportCommand'
        }
    }
}
