#Requires -Version 7.4
<#
.SYNOPSIS
    Builds, tests, packages and installs the KubeExpose module.
.DESCRIPTION
    Build stages the importable module at out/KubeExpose (manifest, cmdlet assembly, formats, help, dependencies/).
    Test runs every xunit suite (dotnet test) and, where Pester 5 is installed, the Pester files under tests/Pester.
    Package zips the staged module and the kubectl plugin into out/. Install copies the module into the user's module
    path and the kubectl-expose2 plugin onto PATH.
.EXAMPLE
    ./build.ps1
    Builds the module in Release configuration into out/KubeExpose.
.EXAMPLE
    ./build.ps1 -Task Test
    Builds, then runs every test suite.
.EXAMPLE
    ./build.ps1 -Task Install
    Builds and installs the module and the kubectl plugin for the current user.
#>
[CmdletBinding()]
param(
    [ValidateSet('Build', 'Test', 'Package', 'Install', 'Clean')]
    [string] $Task = 'Build',

    [ValidateSet('Debug', 'Release')]
    [string] $Configuration = 'Release'
)

$ErrorActionPreference = 'Stop'
$root = $PSScriptRoot
$out = Join-Path $root 'out'

function Invoke-Dotnet {
    & dotnet @args
    if ($LASTEXITCODE -ne 0) { throw "dotnet $($args -join ' ') failed with exit code $LASTEXITCODE" }
}

function Invoke-Build {
    Invoke-Dotnet build (Join-Path $root 'KubeExpose.sln') -c $Configuration
}

function Invoke-Test {
    Invoke-Dotnet test (Join-Path $root 'KubeExpose.sln') -c $Configuration
    $pester = Get-Module -ListAvailable Pester | Where-Object Version -ge '5.0' | Select-Object -First 1
    if ($pester) {
        Import-Module $pester
        $result = Invoke-Pester -Path (Join-Path $root 'tests/Pester') -PassThru -Output Detailed
        if ($result.FailedCount -gt 0) { throw "$($result.FailedCount) Pester test(s) failed" }
    }
    else {
        Write-Warning 'Pester 5 is not installed: skipped tests/Pester (Install-Module Pester -MinimumVersion 5.0).'
    }
}

function Invoke-Package {
    $version = (Import-PowerShellDataFile (Join-Path $root 'KubeExpose.psd1')).ModuleVersion
    Compress-Archive -Path (Join-Path $out 'KubeExpose') -DestinationPath (Join-Path $out "KubeExpose-$version.zip") -Force
    if (Test-Path (Join-Path $out 'bin')) {
        Compress-Archive -Path (Join-Path $out 'bin/*') -DestinationPath (Join-Path $out "kubectl-expose2-$version.zip") -Force
        # The krew archive (tar.gz) and out/krew/expose2.yaml with its real sha256.
        Invoke-Dotnet build (Join-Path $root 'src/kubectl-expose2') -c $Configuration -t:PackageKrew
    }
}

function Invoke-Install {
    $modules = ($env:PSModulePath -split [IO.Path]::PathSeparator)[0]
    $target = Join-Path $modules 'KubeExpose'
    Remove-Item $target -Recurse -Force -ErrorAction Ignore
    Copy-Item (Join-Path $out 'KubeExpose') $target -Recurse
    Write-Host "Installed the module to $target"
    $plugin = Join-Path $out 'bin'
    if (-not (Test-Path $plugin)) { return }
    if ($IsWindows) {
        Write-Host "Add the kubectl plugin to PATH: `$env:PATH = '$plugin' + [IO.Path]::PathSeparator + `$env:PATH"
        return
    }
    # A copy of out/bin (so a clean build does not break the installed plugin), linked into ~/.local/bin.
    $lib = Join-Path $HOME '.local/lib/kubectl-expose2'
    $bin = Join-Path $HOME '.local/bin'
    Remove-Item $lib -Recurse -Force -ErrorAction Ignore
    New-Item -ItemType Directory -Force -Path $lib, $bin | Out-Null
    Copy-Item (Join-Path $plugin '*') $lib -Recurse
    foreach ($name in 'kubectl-expose2', 'kubectl_complete-expose2') {
        $link = Join-Path $bin $name
        Remove-Item $link -Force -ErrorAction Ignore
        New-Item -ItemType SymbolicLink -Path $link -Target (Join-Path $lib $name) | Out-Null
    }
    Write-Host "Installed the kubectl plugin: $bin/kubectl-expose2 -> $lib (try: kubectl expose2 --help)"
    if (($env:PATH -split [IO.Path]::PathSeparator) -notcontains $bin) {
        Write-Warning "$bin is not on PATH: add it so kubectl finds the plugin."
    }
}

switch ($Task) {
    'Clean' { Remove-Item $out -Recurse -Force -ErrorAction Ignore; Invoke-Dotnet clean (Join-Path $root 'KubeExpose.sln') }
    'Build' { Invoke-Build }
    'Test' { Invoke-Build; Invoke-Test }
    'Package' { Invoke-Build; Invoke-Package }
    'Install' { Invoke-Build; Invoke-Install }
}
