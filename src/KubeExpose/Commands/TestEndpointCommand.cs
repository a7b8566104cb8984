using System.Collections;
using System.Management.Automation;
using System.Text.RegularExpressions;
using KubeExpose.Core;
using KubeExpose.Core.Model;
using KubeExpose.Core.Probing;

namespace KubeExpose.Commands;

/// <summary>
/// Probes HTTP, HTTPS and TCP endpoints with real retries and expectations, for pipelines and Pester.
/// </summary>
/// <remarks>
/// Test-Endpoint probes URLs (-Uri, or strings starting with http:// or https://), TCP endpoints (-TcpAddress host:port,
/// -ComputerName with -Port, or host:port strings), and the objects of the other KubeExpose cmdlets: Route objects from
/// Get-ServiceReachability (their Url, else Address:Port), Tunnel objects from Start-KubeProxyTunnel (their Url, else
/// their local endpoints) and Expose-Workload (Publish-Workload) results, KubeExpose.Exposure objects (all their Routes).
///
/// Each attempt uses a fresh connection, no proxy, and follows no redirects. It fails on a refused connection, a reset,
/// a timeout (-TimeoutSec, connect to last byte), a DNS failure, a TLS failure, a status outside -ExpectStatusCode
/// (default 200-399) or a response that does not match -ExpectContent; every one of these is retried up to -RetryCount
/// times, -RetryIntervalSec apart (Invoke-WebRequest retries only on some HTTP statuses). A rejected certificate is
/// not retried: it would be the same certificate. HTTPS results carry the server certificate's subject, issuer and
/// expiry. With -Count N, a target that succeeded is probed N-1 more times and Latency holds min/p50/p95/max; a sample
/// that fails makes the result a failure.
///
/// Routes whose vantage is Pod or Node cannot be reached from this machine: they come back with Skipped set and the
/// reason, and do not count as failures. With -Through ApiServer they are probed over HTTP through the API server's
/// service proxy (/api/v1/namespaces/NS/services/[https:]NAME:PORT/proxy/) with your kube credentials, so a Service
/// can be checked from anywhere with get on services/proxy. The API-server proxy route itself is always probed that way.
/// Ingress routes connect to the Ingress address and send the rule's host as Host header and TLS server name.
///
/// Targets are probed concurrently (at most -ThrottleLimit at once) and results are written in input order. A failed
/// target writes its result and a non-terminating error whose id names the reason (ConnectionRefused, ProbeTimedOut,
/// NameResolutionFailed, HostUnreachable, ConnectionReset, TlsHandshakeFailed, CertificateRejected,
/// UnexpectedStatusCode, UnexpectedContent, ProxyForbidden) and whose message says what to do. -Quiet writes no
/// results and no probe errors, only $true when at least one target was probed and every probed target succeeded,
/// else $false.
/// </remarks>
/// <example>
/// <code>Test-Endpoint http://127.0.0.1:8080/healthz -RetryCount 5 -ExpectContent ok</code>
/// <para>Probes a URL up to six times, expecting a 2xx/3xx status and "ok" in the body.</para>
/// </example>
/// <example>
/// <code>Get-ServiceReachability web | Test-Endpoint -Through ApiServer</code>
/// <para>Checks every route of the Service "web": External routes (NodePort, LoadBalancer, Ingress) from this machine, Pod and Node routes and the Operator route through the API server's service proxy.</para>
/// </example>
/// <example>
/// <code>Test-Endpoint -Uri https://10.211.1.10/ -HostHeader shop.example.test -ExpectStatusCode 200 -SkipCertificateCheck</code>
/// <para>Tests an Ingress rule by the controller's address before DNS points at it.</para>
/// </example>
/// <example>
/// <code>Test-Endpoint -TcpAddress redis.example.test:6379 -Send "PING`r`n" -ExpectContent '^\+PONG'</code>
/// <para>Checks a line protocol: sends PING after connecting and expects +PONG back.</para>
/// </example>
/// <example>
/// <code>Test-Endpoint http://10.211.1.10:31080/ -Count 50 | Select-Object -ExpandProperty Latency</code>
/// <para>Probes 50 times and shows min, p50, p95 and max latency in milliseconds.</para>
/// </example>
/// <example>
/// <code>Test-Endpoint -TcpAddress db.example.test:5432 -RetryCount 10 -Quiet | Should -BeTrue</code>
/// <para>A Pester assertion that a TCP port accepts connections within ten retries.</para>
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

    /// <summary>The PowerShell type name of the results, which the table view is keyed on.</summary>
    public const string ResultTypeName = "KubeExpose.EndpointTestResult";

    private EndpointTester? _tester;
    private OrderedProbeRunner? _runner;
    private int _probed;
    private bool _allSucceeded = true;

    /// <summary>What to probe from the pipeline: URL or host:port strings, Route, Tunnel or Exposure (Expose-Workload) objects.</summary>
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

    protected override void BeginProcessing()
    {
        Regex? expectContent = null;
        if (ExpectContent is not null)
        {
            try
            {
                expectContent = new Regex(ExpectContent, RegexOptions.CultureInvariant, TimeSpan.FromSeconds(1));
            }
            catch (ArgumentException e)
            {
                ThrowCoreError(new KubeExposeException(KubeExposeErrorKind.InvalidArgument, "InvalidExpectContent",
                    $"-ExpectContent '{ExpectContent}' is not a valid regular expression: {e.Message}", ExpectContent, e), ExpectContent);
            }
        }

        var headers = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        foreach (DictionaryEntry entry in Header ?? [])
        {
            headers[entry.Key.ToString()!] = LanguagePrimitives.ConvertTo<string>(entry.Value) ?? string.Empty;
        }

        var options = new ProbeOptions
        {
            Method = Method.ToUpperInvariant(),
            Headers = headers,
            HostHeader = HostHeader,
            ExpectStatusCodes = ExpectStatusCode,
            ExpectContent = expectContent,
            SkipCertificateCheck = SkipCertificateCheck,
            Send = Send,
            RetryCount = RetryCount,
            RetryInterval = TimeSpan.FromSeconds(RetryIntervalSec),
            Timeout = TimeSpan.FromSeconds(TimeoutSec),
            Count = Count,
            ThrottleLimit = ThrottleLimit,
        };
        _tester = new EndpointTester(options);
        _runner = new OrderedProbeRunner(_tester, Cancellation);
    }

    protected override void ProcessRecord()
    {
        switch (ParameterSetName)
        {
            case UriSet:
                foreach (var uri in Uri)
                {
                    Add(() => ProbeTargets.FromUri(uri), uri);
                }

                break;
            case TcpSet:
                foreach (var address in TcpAddress)
                {
                    Add(() => ProbeTargets.TrySplitHostPort(address.Trim(), out var host, out var port)
                        ? ProbeTargets.FromHostPort(host, port)
                        : throw new KubeExposeException(KubeExposeErrorKind.InvalidArgument, "InvalidProbeTarget",
                            $"-TcpAddress '{address}' is not host:port (use [address]:port for IPv6).", address), address);
                }

                break;
            case ComputerSet:
                Add(() => ProbeTargets.FromHostPort(ComputerName, Port), ComputerName);
                break;
            default:
                foreach (var item in InputObject)
                {
                    AddInput(item);
                }

                break;
        }

        WriteFinished();
    }

    protected override void EndProcessing()
    {
        ProgressRecord? progress = null;
        while (_runner!.PeekNext() is { } next)
        {
            // Poll rather than block, so Ctrl+C (StopProcessing) is noticed while a slow target is waited on.
            while (!((IAsyncResult)next).AsyncWaitHandle.WaitOne(TimeSpan.FromMilliseconds(100)))
            {
                progress ??= new ProgressRecord(ProgressActivityId, "Test-Endpoint", "Probing");
                progress.StatusDescription = $"Waiting for {_runner.Pending} target(s)";
                WriteProgress(progress);
            }

            if (next.IsCanceled)
            {
                break;
            }

            Emit(_runner.TakeNext());
        }

        if (progress is not null)
        {
            progress.RecordType = ProgressRecordType.Completed;
            WriteProgress(progress);
        }

        if (Quiet)
        {
            WriteObject(_allSucceeded && _probed > 0);
        }
    }

    /// <summary>Turns one pipeline object into targets: strings, URIs, routes, tunnels and exposure results.</summary>
    private void AddInput(PSObject? item)
    {
        var value = item?.BaseObject;
        switch (value)
        {
            case null:
                return;
            case string text:
                Add(() => ProbeTargets.Parse(text), text);
                return;
            case Uri uri:
                Add(() => uri.IsAbsoluteUri && uri.Scheme is "http" or "https" ? ProbeTargets.FromUri(uri) : ProbeTargets.Parse(uri.OriginalString), uri);
                return;
            case Route route:
                AddRoute(route);
                return;
        }

        // Tunnels and exposure results are read by property name: their types belong to other parts of the module
        // and only these properties are relied on.
        var properties = item!.Properties;
        if (properties["Routes"]?.Value is IEnumerable routes and not string)
        {
            foreach (var route in routes)
            {
                AddInput(PSObject.AsPSObject(route));
            }

            return;
        }

        if (properties["Url"]?.Value is { } url && LanguagePrimitives.ConvertTo<string>(url) is { Length: > 0 } urlText)
        {
            Add(() => ProbeTargets.Parse(urlText), item);
            return;
        }

        if (properties["LocalEndpoints"]?.Value is IEnumerable endpoints and not string)
        {
            foreach (var endpoint in endpoints)
            {
                // A port-forward endpoint reads "127.0.0.1:8080 -> 80": the local side is what to dial.
                var local = LanguagePrimitives.ConvertTo<string>(endpoint)?.Split("->")[0].Trim() ?? string.Empty;
                Add(() => ProbeTargets.Parse(local), item);
            }

            return;
        }

        if (properties["Address"]?.Value is { } address && properties["Port"]?.Value is { } port)
        {
            Add(() => ProbeTargets.FromHostPort(LanguagePrimitives.ConvertTo<string>(address), LanguagePrimitives.ConvertTo<int>(port)), item);
            return;
        }

        if (value is System.Net.EndPoint endPoint)
        {
            Add(() => ProbeTargets.Parse(endPoint.ToString()!), item);
            return;
        }

        WriteError(new ErrorRecord(
            new KubeExposeException(KubeExposeErrorKind.InvalidArgument, "UnsupportedInputObject",
                $"Test-Endpoint cannot probe a {value.GetType().FullName}. Pipe URLs or host:port strings, Route objects " +
                "(Get-ServiceReachability), Tunnel objects (Start-KubeProxyTunnel) or Publish-Workload results."),
            "UnsupportedInputObject", ErrorCategory.InvalidType, item));
    }

    private void AddRoute(Route route)
    {
        // ValidateSet accepts any casing ("apiserver"); compare the same way.
        var target = ProbeTargets.FromRoute(route, string.Equals(Through, "ApiServer", StringComparison.OrdinalIgnoreCase));
        if (target.ApiServerPath is not null && !_tester!.HasSession)
        {
            // Opening the session here, on the pipeline thread, lets a bad kubeconfig stop the command with its reason.
            _tester.UseSession(Session);
        }

        _runner!.Add(target);
    }

    private void Add(Func<ProbeTarget> parse, object target)
    {
        ProbeTarget parsed;
        try
        {
            parsed = parse();
        }
        catch (KubeExposeException e)
        {
            _allSucceeded = false;
            WriteCoreError(e, target);
            return;
        }

        _runner!.Add(parsed);
    }

    private void WriteFinished()
    {
        foreach (var result in _runner!.TakeCompleted())
        {
            Emit(result);
        }
    }

    private void Emit(EndpointTestResult result)
    {
        if (!result.Skipped)
        {
            _probed++;
            _allSucceeded &= result.Success;
        }

        if (Quiet)
        {
            return;
        }

        var output = new PSObject(result);
        output.TypeNames.Insert(0, ResultTypeName);
        WriteObject(output);
        if (!result.Skipped && !result.Success)
        {
            WriteError(ToFailureRecord(result));
        }
        else if (result.Skipped)
        {
            WriteVerbose($"Skipped {result.Target}: {result.SkipReason}");
        }
    }

    /// <summary>A failed probe as an error that names the target, the real reason and what to do about it.</summary>
    private static ErrorRecord ToFailureRecord(EndpointTestResult result)
    {
        var (id, category, kind, remedy) = result.FailureKind switch
        {
            ProbeFailureKind.ConnectionRefused => ("ConnectionRefused", ErrorCategory.ConnectionError, KubeExposeErrorKind.Connection,
                "Nothing listens there: check the address and port, and that the Service has ready endpoints."),
            ProbeFailureKind.ConnectionReset => ("ConnectionReset", ErrorCategory.ConnectionError, KubeExposeErrorKind.Connection,
                "The server, or something in between, dropped the connection."),
            ProbeFailureKind.Timeout => ("ProbeTimedOut", ErrorCategory.OperationTimeout, KubeExposeErrorKind.Timeout,
                "Nothing answered in time: a firewall or NetworkPolicy, an address this machine cannot reach, or a slow server (raise -TimeoutSec)."),
            ProbeFailureKind.NameResolution => ("NameResolutionFailed", ErrorCategory.ConnectionError, KubeExposeErrorKind.Connection,
                "Check the name; cluster DNS names resolve only inside the cluster (try -Through ApiServer with a route)."),
            ProbeFailureKind.Unreachable => ("HostUnreachable", ErrorCategory.ConnectionError, KubeExposeErrorKind.Connection,
                "This machine has no route there: pod and ClusterIP addresses are reachable only inside the cluster (try -Through ApiServer with a route)."),
            ProbeFailureKind.Tls => ("TlsHandshakeFailed", ErrorCategory.SecurityError, KubeExposeErrorKind.Connection,
                "Check that the port speaks TLS; use http:// if it does not."),
            ProbeFailureKind.CertificateRejected => ("CertificateRejected", ErrorCategory.SecurityError, KubeExposeErrorKind.Connection,
                "Trust the issuer, or add -SkipCertificateCheck to test reachability only."),
            ProbeFailureKind.UnexpectedStatus => ("UnexpectedStatusCode", ErrorCategory.InvalidResult, KubeExposeErrorKind.InvalidOperation,
                "If that status is right, say so with -ExpectStatusCode."),
            ProbeFailureKind.UnexpectedContent => ("UnexpectedContent", ErrorCategory.InvalidResult, KubeExposeErrorKind.InvalidOperation, string.Empty),
            ProbeFailureKind.Forbidden => ("ProxyForbidden", ErrorCategory.PermissionDenied, KubeExposeErrorKind.PermissionDenied, string.Empty),
            _ => ("ProbeFailed", ErrorCategory.NotSpecified, KubeExposeErrorKind.InvalidOperation, string.Empty),
        };
        var attempts = result.Attempts > 1 ? $" after {result.Attempts} attempts" : string.Empty;
        var message = $"{result.Target} failed{attempts}: {result.Error}.{(remedy.Length > 0 ? " " + remedy : string.Empty)}";
        return new ErrorRecord(new KubeExposeException(kind, id, message, result.Target), id, category, result.Target);
    }
}
