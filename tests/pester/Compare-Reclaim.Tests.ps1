# Pester 5 tests for Compare-Reclaim.
BeforeAll {
    Import-Module "$PSScriptRoot/../../out/MgLru/MgLru.psd1" -Force
}

Describe 'Compare-Reclaim' {
    Context 'a sweep of two policies' {
        BeforeAll {
            $rows = New-MemCgroup -Name web -Limit 4MB | Add-Task -Name kv -Rss 8MB -Accesses 20000 | Invoke-Reclaim -Policy Mglru, Classic -Swap 64MB
            $cmp = @($rows | Compare-Reclaim)
        }
        It 'labels the runs by their policy' {
            $cmp[0].BaselineRun | Should -Be 'Mglru'
            $cmp[0].Run | Should -Be 'Classic'
        }
        It 'carries both values and their difference' {
            $maj = $cmp | Where-Object Metric -eq 'PgMajFault'
            $maj.Baseline | Should -Be $rows[0].PgMajFault
            $maj.Value | Should -Be $rows[1].PgMajFault
            $maj.Difference | Should -Be ($rows[1].PgMajFault - $rows[0].PgMajFault)
        }
    }

    It 'needs two rows' {
        $one = New-MemCgroup -Name web | Add-Task -Name kv -Rss 1MB -Accesses 0 | Invoke-Reclaim
        { $one | Compare-Reclaim } | Should -Throw -ErrorId 'NeedTwoRuns,MgLru.PowerShell.Commands.CompareReclaimCommand'
    }
}
