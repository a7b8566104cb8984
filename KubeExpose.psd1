@{
    RootModule           = 'KubeExpose.dll'
    ModuleVersion        = '0.1.0'
    GUID                 = '5f0c7a52-2d2e-4c57-9a3b-6f1d1f4c2e71'
    Author               = 'KubeExpose contributors'
    CompanyName          = 'KubeExpose'
    Copyright            = '(c) KubeExpose contributors. MIT License.'
    Description          = 'Make Kubernetes workloads reachable and prove that they are: expose any workload every way, list every route to a Service with the truth about each, port-forward that survives, and probes for pipelines.'
    CompatiblePSEditions = @('Core')
    PowerShellVersion    = '7.4'
    FormatsToProcess     = @(
        'Formats/Route.format.ps1xml'
        'Formats/ExposureResult.format.ps1xml'
        'Formats/Tunnel.format.ps1xml'
        'Formats/EndpointTestResult.format.ps1xml'
    )
    CmdletsToExport      = @(
        'Publish-Workload'
        'Get-ServiceReachability'
        'Start-KubeProxyTunnel'
        'Get-KubeProxyTunnel'
        'Stop-KubeProxyTunnel'
        'Test-Endpoint'
    )
    FunctionsToExport    = @()
    VariablesToExport    = @()
    AliasesToExport      = @('Expose-Workload')
    PrivateData          = @{
        PSData = @{
            Tags       = @('kubernetes', 'kubectl', 'k8s', 'service', 'ingress', 'port-forward', 'PSEdition_Core', 'Linux', 'MacOS', 'Windows')
            ProjectUri = 'https://github.com/kubeexpose/kubeexpose'
            LicenseUri = 'https://github.com/kubeexpose/kubeexpose/blob/main/LICENSE'
        }
    }
}
