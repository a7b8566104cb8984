#Requires -Modules @{ ModuleName = 'Pester'; ModuleVersion = '5.0' }
# Test-Endpoint in Pester 5 against servers this file starts on 127.0.0.1 (build first: ./build.ps1).
# The last Context checks a real Service when KUBEEXPOSE_PESTER_SERVICE names one in the current kube context.

BeforeDiscovery {
    $clusterService = $env:KUBEEXPOSE_PESTER_SERVICE
}

BeforeAll {
    Import-Module (Join-Path $PSScriptRoot '../../out/KubeExpose/KubeExpose.psd1') -Force

    function Get-FreePort {
        $probe = [System.Net.Sockets.TcpListener]::new([System.Net.IPAddress]::Loopback, 0)
        $probe.Start()
        try { $probe.LocalEndpoint.Port } finally { $probe.Stop() }
    }

    # A TCP port that accepts connections (the kernel completes the handshake from the backlog).
    $script:tcp = [System.Net.Sockets.TcpListener]::new([System.Net.IPAddress]::Loopback, 0)
    $script:tcp.Start()
    $script:tcpAddress = "127.0.0.1:$($script:tcp.LocalEndpoint.Port)"

    # A port that refuses.
    $script:refused = "127.0.0.1:$(Get-FreePort)"

    # An HTTP server: /fail answers 503, every other path 200 "ok". It runs in a thread job; stopping the listener
    # from here ends the job.
    $script:prefix = "http://127.0.0.1:$(Get-FreePort)/"
    $script:listener = [System.Net.HttpListener]::new()
    $script:listener.Prefixes.Add($script:prefix)
    $script:listener.Start()
    $script:server = Start-ThreadJob -ArgumentList $script:listener -ScriptBlock {
        param($listener)
        while ($listener.IsListening) {
            try { $context = $listener.GetContext() } catch { break }
            $context.Response.StatusCode = if ($context.Request.Url.AbsolutePath -eq '/fail') { 503 } else { 200 }
            $body = [System.Text.Encoding]::UTF8.GetBytes('ok')
            $context.Response.OutputStream.Write($body, 0, $body.Length)
            $context.Response.Close()
        }
    }

    # Test-Endpoint's retries are what automation needs to wait for a server to come up.
    Test-Endpoint -Uri $script:prefix -RetryCount 50 -RetryIntervalSec 0.1 -Quiet | Should -BeTrue
}

AfterAll {
    $script:listener.Stop()
    $script:tcp.Stop()
    $script:server | Wait-Job -Timeout 5 | Out-Null
    $script:server | Remove-Job -Force
}

Describe 'Test-Endpoint' {
    It 'returns $true for a URL that answers' {
        Test-Endpoint -Uri "$($script:prefix)healthz" -Quiet | Should -BeTrue
    }

    It 'returns a KubeExpose.EndpointTestResult with the status' {
        $result = Test-Endpoint "$($script:prefix)healthz"
        $result.PSObject.TypeNames[0] | Should -Be 'KubeExpose.EndpointTestResult'
        $result.Success | Should -BeTrue
        $result.StatusCode | Should -Be 200
        $result.Attempts | Should -Be 1
    }

    It 'fails a refused port after every retry, with an error naming the reason' {
        $result = Test-Endpoint $script:refused -RetryCount 2 -RetryIntervalSec 0 -ErrorVariable failures -ErrorAction SilentlyContinue
        $result.Success | Should -BeFalse
        $result.Attempts | Should -Be 3
        $result.Error | Should -BeLike 'connection refused*'
        $failures[0].FullyQualifiedErrorId | Should -BeExactly 'ConnectionRefused,KubeExpose.Commands.TestEndpointCommand'
    }

    It 'checks the status code' {
        Test-Endpoint "$($script:prefix)fail" -Quiet | Should -BeFalse
        Test-Endpoint "$($script:prefix)fail" -ExpectStatusCode 503 -Quiet | Should -BeTrue
    }

    It 'checks content' {
        Test-Endpoint $script:prefix -ExpectContent '^ok$' -Quiet | Should -BeTrue
        Test-Endpoint $script:prefix -ExpectContent 'nope' -Quiet | Should -BeFalse
    }

    It 'probes TCP ports' {
        Test-Endpoint -TcpAddress $script:tcpAddress -Quiet | Should -BeTrue
        Test-Endpoint -TcpAddress $script:refused -Quiet | Should -BeFalse
    }

    It 'keeps the input order of piped targets' {
        $results = $script:refused, $script:prefix, $script:tcpAddress | Test-Endpoint -ErrorAction SilentlyContinue
        $results.Target | Should -Be @($script:refused, $script:prefix, $script:tcpAddress)
        $results.Success | Should -Be @($false, $true, $true)
    }

    It 'reports latency statistics with -Count' {
        $latency = (Test-Endpoint $script:prefix -Count 5).Latency
        $latency.Count | Should -Be 5
        $latency.Min | Should -BeLessOrEqual $latency.P50
        $latency.P95 | Should -BeLessOrEqual $latency.Max
    }

    Context 'a Service on the current cluster' -Skip:(-not $clusterService) {
        It 'answers on every External and Operator route' {
            Get-ServiceReachability $env:KUBEEXPOSE_PESTER_SERVICE -Vantage External, Operator |
                Test-Endpoint -Through ApiServer -RetryCount 5 -Quiet | Should -BeTrue
        }
    }
}
