#Requires -Modules @{ ModuleName = 'Pester'; ModuleVersion = '5.0' }
# The module's import checks in Pester 5, against the staged module (build first: ./build.ps1).

BeforeAll {
    $manifest = Join-Path $PSScriptRoot '../../out/KubeExpose/KubeExpose.psd1'
}

Describe 'KubeExpose module' {
    It 'imports without warnings' {
        $warnings = $null
        Import-Module $manifest -Force -WarningVariable warnings -ErrorAction Stop
        $warnings | Should -BeNullOrEmpty
    }

    It 'exports exactly the declared commands' {
        Import-Module $manifest -Force
        (Get-Command -Module KubeExpose -CommandType Cmdlet).Name | Sort-Object |
            Should -Be @('Get-KubeProxyTunnel', 'Get-ServiceReachability', 'Publish-Workload', 'Start-KubeProxyTunnel', 'Stop-KubeProxyTunnel', 'Test-Endpoint')
    }

    It 'resolves Expose-Workload to Publish-Workload' {
        Import-Module $manifest -Force
        (Get-Command Expose-Workload).ResolvedCommand.Name | Should -Be 'Publish-Workload'
    }

    It 'has a valid manifest' {
        { Test-ModuleManifest $manifest -ErrorAction Stop } | Should -Not -Throw
    }

    It '<_> has help with a synopsis and at least two examples' -ForEach @(
        'Publish-Workload', 'Get-ServiceReachability', 'Start-KubeProxyTunnel', 'Get-KubeProxyTunnel', 'Stop-KubeProxyTunnel', 'Test-Endpoint'
    ) {
        Import-Module $manifest -Force
        $help = Get-Help $_ -Full
        $help.Synopsis | Should -Not -BeNullOrEmpty
        @($help.examples.example).Count | Should -BeGreaterOrEqual 2
    }
}
