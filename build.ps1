<#
.SYNOPSIS
    Builds, tests and demonstrates the MgLru module.
.DESCRIPTION
    Build lays the module out under out/MgLru (the folder to copy into a module path).
    Test runs the xunit suites (dotnet test) and then, if Pester 5 or later is installed, the Pester
    tests in a child pwsh so the freshly built dll is not locked in this session.
    Demo runs examples/quickstart.ps1 in a child pwsh with the built module.
    Clean removes build output.
.EXAMPLE
    ./build.ps1
.EXAMPLE
    ./build.ps1 -Task Test -Configuration Release
#>
[CmdletBinding()]
param(
    [ValidateSet('Build', 'Test', 'Demo', 'Clean')]
    [string[]] $Task = @('Build'),

    [ValidateSet('Debug', 'Release')]
    [string] $Configuration = 'Debug'
)

$ErrorActionPreference = 'Stop'
$root = $PSScriptRoot
$solution = Join-Path $root 'MgLru.sln'
$moduleDir = Join-Path $root 'out/MgLru'

function Invoke-Dotnet {
    & dotnet @args
    if ($LASTEXITCODE -ne 0) { throw "dotnet $($args -join ' ') failed with exit code $LASTEXITCODE" }
}

function Invoke-Build {
    # Building src/MgLru.PowerShell copies the module files to out/MgLru (its LayoutModule target).
    Invoke-Dotnet build $solution -c $Configuration
    Write-Host "Module laid out in $moduleDir"
}

function Invoke-Test {
    Invoke-Dotnet test $solution -c $Configuration
    $pester = Get-Module -ListAvailable Pester | Where-Object { $_.Version -ge [version]'5.0' } | Select-Object -First 1
    if (-not $pester) {
        Write-Warning 'Pester 5 is not installed: skipped tests/pester (Install-Module Pester -MinimumVersion 5.0).'
        return
    }
    $script = "Import-Module Pester -MinimumVersion 5.0; `$c = New-PesterConfiguration; `$c.Run.Path = '$root/tests/pester'; `$c.Run.Exit = `$true; `$c.Output.Verbosity = 'Detailed'; Invoke-Pester -Configuration `$c"
    & (Get-Process -Id $PID).Path -NoProfile -Command $script
    if ($LASTEXITCODE -ne 0) { throw "Pester reported failures (exit code $LASTEXITCODE)" }
}

function Invoke-Demo {
    $script = "Import-Module '$moduleDir/MgLru.psd1'; & '$root/examples/quickstart.ps1'"
    & (Get-Process -Id $PID).Path -NoProfile -Command $script
    if ($LASTEXITCODE -ne 0) { throw "The demo failed (exit code $LASTEXITCODE)" }
}

function Invoke-Clean {
    Invoke-Dotnet clean $solution -c $Configuration
    foreach ($dir in @('out', 'TestResults')) {
        $path = Join-Path $root $dir
        if (Test-Path $path) { Remove-Item $path -Recurse -Force }
    }
}

foreach ($t in $Task) {
    switch ($t) {
        'Build' { Invoke-Build }
        'Test' { Invoke-Build; Invoke-Test }
        'Demo' { Invoke-Build; Invoke-Demo }
        'Clean' { Invoke-Clean }
    }
}
