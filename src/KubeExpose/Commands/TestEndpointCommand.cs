using System.Collections;
using System.Management.Automation;
using KubeExpose.Core.Probing;

namespace KubeExpose.Commands;

/// <summary>
/// Probes HTTP, HTTPS and TCP endpoints with real retries and expectations, for pipelines and Pester.
/// </summary>
/// <remarks>
/// Test-Endpoint probes URLs, host:port pairs, and the objects of the other KubeExpose cmdlets (routes, tunnels,
/// exposure results). It retries on refused connections, resets, timeouts, DNS failures and unexpected statuses alike,
/// checks status codes and content, and reports the real reason for a failure. Routes that cannot be reached from this
/// machine are returned as Skipped with the reason, unless -Through ApiServer probes them through the API server.
/// -Quiet returns only $true or $false.
/// </remarks>
/// <example>
/// <code>Test-Endpoint http://127.0.0.1:8080/healthz -RetryCount 5 -ExpectContent ok</code>
/// <para>Probes a URL up to six times, expecting a 2xx/3xx status and "ok" in the body.</para>
/// </example>
/// <example>
/// <code>Get-ServiceReachability web -Vantage External,Operator | Test-Endpoint -Through ApiServer</code>
/// <para>Checks that every External and Operator route of the Service "web" really answers.</para>
/// </example>
/// <example>
/// <code>Test-Endpoint -TcpAddress db.example.test:5432 -Quiet | Should -BeTrue</code>
/// <para>A Pester assertion that a TCP port accepts connections.</para>
/// </example>
[Cmdlet(VerbsDiagnostic.Test, "Endpoint", DefaultParameterSetName = InputSet)]
[OutputType(typeof(EndpointTestResult), ParameterSetName = [InputSet, UriSet, TcpSet, ComputerSet])]
[OutputType(typeof(bool))]
public sealed class TestEndpointCommand : KubeCmdlet
{
    private const string InputSet = "InputObject";
    private const string UriSet = "Uri";
    private const string TcpSet = "Tcp";
    private const string ComputerSet = "ComputerName";

    /// <summary>What to probe from the pipeline: URL or host:port strings, Route, Tunnel or ExposureResult objects.</summary>
    [Parameter(Mandatory = true, Position = 0, ValueFromPipeline = true, ParameterSetName = InputSet)]
    public PSObject[] InputObject { get; set; } = [];

    /// <summary>HTTP or HTTPS URLs to probe.</summary>
    [Parameter(Mandatory = true, ParameterSetName = UriSet)]
    public Uri[] Uri { get; set; } = [];

    /// <summary>TCP endpoints to probe, as host:port ([v6]:port for IPv6).</summary>
    [Parameter(Mandatory = true, ParameterSetName = TcpSet)]
    [ValidateNotNullOrEmpty]
    public string[] TcpAddress { get; set; } = [];

    /// <summary>The host to probe over TCP, with -Port.</summary>
    [Parameter(Mandatory = true, ParameterSetName = ComputerSet)]
    [ValidateNotNullOrEmpty]
    public string ComputerName { get; set; } = null!;

    /// <summary>The TCP port to probe on -ComputerName.</summary>
    [Parameter(Mandatory = true, ParameterSetName = ComputerSet)]
    [ValidateRange(1, 65535)]
    public int Port { get; set; }

    /// <summary>The HTTP method. Defaults to GET.</summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    public string Method { get; set; } = "GET";

    /// <summary>Extra HTTP request headers, as a hashtable.</summary>
    [Parameter]
    public Hashtable? Header { get; set; }

    /// <summary>The Host header to send, to test an Ingress rule by address.</summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    public string? HostHeader { get; set; }

    /// <summary>The HTTP status codes that count as success. Defaults to 200-399.</summary>
    [Parameter]
    [ValidateRange(100, 599)]
    public int[]? ExpectStatusCode { get; set; }

    /// <summary>A regular expression the response (HTTP body or TCP reply) must match.</summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    public string? ExpectContent { get; set; }

    /// <summary>Accept any server certificate. Off by default: a bad certificate is a failure with the reason.</summary>
    [Parameter]
    public SwitchParameter SkipCertificateCheck { get; set; }

    /// <summary>Text to send after a TCP connect (for banner or line protocols); the reply is matched with -ExpectContent.</summary>
    [Parameter]
    public string? Send { get; set; }

    /// <summary>How many times to retry a failed probe (refused, reset, timeout, DNS failure, unexpected status or content). Defaults to 0.</summary>
    [Parameter]
    [ValidateRange(0, 1000)]
    public int RetryCount { get; set; }

    /// <summary>Seconds between retries. Defaults to 1.</summary>
    [Parameter]
    [ValidateRange(0, 3600)]
    public double RetryIntervalSec { get; set; } = 1;

    /// <summary>Seconds one attempt may take. Defaults to 10.</summary>
    [Parameter]
    [ValidateRange(0.001, 3600)]
    public double TimeoutSec { get; set; } = 10;

    /// <summary>Probe each target this many times (after it first succeeds) and report latency min/p50/p95/max.</summary>
    [Parameter]
    [ValidateRange(1, 100000)]
    public int Count { get; set; } = 1;

    /// <summary>Return only $true (every target succeeded) or $false.</summary>
    [Parameter]
    public SwitchParameter Quiet { get; set; }

    /// <summary>Direct (default): connect from this machine. ApiServer: probe HTTP Service routes through the API-server service proxy with your credentials.</summary>
    [Parameter]
    [ValidateSet("Direct", "ApiServer")]
    public string Through { get; set; } = "Direct";

    /// <summary>How many targets to probe at once. Defaults to 8.</summary>
    [Parameter]
    [ValidateRange(1, 256)]
    public int ThrottleLimit { get; set; } = 8;

    protected override void ProcessRecord() => throw new NotImplementedException("Test-Endpoint lands with its own issue.");
}
