@{
    RootModule           = 'MgLru.dll'
    ModuleVersion        = '0.1.0'
    GUID                 = '5f0c8b3e-2a57-4d1e-9a3f-6b1f4c2d7e90'
    Author               = 'MgLru contributors'
    CompanyName          = 'MgLru contributors'
    Copyright            = '(c) MgLru contributors. MIT License.'
    Description          = 'A simulator of Linux page reclaim: the Multi-Gen LRU (generations, tiers, PID controller, page-table-walk aging), memory cgroups, swap and NUMA memory tiers (demotion, promotion), driven from PowerShell pipelines.'
    CompatiblePSEditions = @('Core', 'Desktop')
    PowerShellVersion    = '5.1'
    FormatsToProcess     = @('MgLru.format.ps1xml')
    TypesToProcess       = @('MgLru.types.ps1xml')
    CmdletsToExport      = @(
        'New-MemCgroup'
        'New-MemoryMapping'
        'New-NumaNode'
        'Get-NumaNodeStat'
        'Get-ReclaimTimeline'
        'Compare-Reclaim'
        'Export-ReclaimScenario'
        'Import-ReclaimScenario'
        'Export-MgLruReport'
        'Add-Task'
        'Invoke-Reclaim'
        'Start-ReclaimSimulation'
        'Step-ReclaimSimulation'
        'Invoke-LruGenCommand'
        'Get-LruGen'
        'Get-LruGenAging'
        'Get-MemCgroupStat'
        'Invoke-MemCgroupReclaim'
        'New-ReclaimCostModel'
        'Move-Task'
        'Import-AccessTrace'
        'New-Workload'
    )
    FunctionsToExport    = @()
    VariablesToExport    = @()
    AliasesToExport      = @()
    PrivateData          = @{
        PSData = @{
            Tags         = @('Linux', 'Kernel', 'MGLRU', 'LRU', 'Memory', 'Reclaim', 'Cgroup', 'Simulation', 'PSEdition_Core', 'PSEdition_Desktop', 'Windows', 'MacOS')
            ProjectUri   = 'https://example.invalid/mglru'
            LicenseUri   = 'https://opensource.org/licenses/MIT'
            ReleaseNotes = 'Walking skeleton: New-MemCgroup, Add-Task, Invoke-Reclaim over the MGLRU engine.'
        }
    }
}
