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
    }

    Context 'bad input and refusals' {
        It 'writes nothing with -WhatIf' {
            New-MemCgroup -Name web | Add-Task -Name kv -Rss 1MB -Accesses 0 | Invoke-Reclaim | Export-MgLruReport $file -WhatIf
            [System.IO.File]::Exists($file) | Should -BeFalse
        }

        It 'refuses other objects' {
            'text' | Export-MgLruReport $file -ErrorVariable e -ErrorAction SilentlyContinue
            $e[0].FullyQualifiedErrorId | Should -Be 'UnsupportedReportInput,MgLru.PowerShell.Commands.ExportMgLruReportCommand'
        }
    }
}
