using KubeExpose.Core.Model;

namespace KubeExpose.Core.Probing;

/// <summary>
/// The outcome of probing one target. The PowerShell type name is KubeExpose.EndpointTestResult.
/// </summary>
public sealed record EndpointTestResult
{
    /// <summary>What was probed: the URL or host:port given, or the route's address (with the API path when probed through the API server).</summary>
    public required string Target { get; init; }

    /// <summary>TCP, HTTP or HTTPS.</summary>
    public required string Protocol { get; init; }

    /// <summary>True when an attempt met every expectation (and, with -Count, every later sample did too).</summary>
    public bool Success { get; init; }

    /// <summary>True when the target was not probed because it cannot be reached from here; <see cref="SkipReason"/> says why.</summary>
    public bool Skipped { get; init; }

    public string? SkipReason { get; init; }

    /// <summary>The HTTP status of the last response, when there was one.</summary>
    public int? StatusCode { get; init; }

    /// <summary>The latency of the deciding attempt in milliseconds; with -Count, the median of the samples.</summary>
    public double? LatencyMs { get; init; }

    /// <summary>min/p50/p95/max over the samples when -Count is above 1.</summary>
    public LatencyStatistics? Latency { get; init; }

    /// <summary>How many attempts it took to succeed, or were made before giving up (retries + 1 at most).</summary>
    public int Attempts { get; init; }

    /// <summary>The address:port connected to (the API server's for proxied probes).</summary>
    public string? RemoteAddress { get; init; }

    /// <summary>The real reason for a failure: connection refused, timed out after N s, TLS: …, status 503 … expected 200-399.</summary>
    public string? Error { get; init; }

    public ProbeFailureKind FailureKind { get; init; }

    /// <summary>The HTTPS server's certificate: subject, issuer, expiry.</summary>
    public CertificateInfo? Certificate { get; init; }

    /// <summary>Direct, or ApiServer when the probe went through the API server's service proxy.</summary>
    public string Through { get; init; } = "Direct";

    /// <summary>The route the target came from, when it came from one.</summary>
    public Route? Route { get; init; }

    /// <summary>A result for a target that is not probed.</summary>
    public static EndpointTestResult ForSkipped(ProbeTarget target) => new()
    {
        Target = target.Display,
        Protocol = ProtocolName(target),
        Skipped = true,
        SkipReason = target.SkipReason,
        Route = target.Route,
        Through = target.ApiServerPath is null ? "Direct" : "ApiServer",
    };

    internal static string ProtocolName(ProbeTarget target) => target.Protocol.ToString().ToUpperInvariant();

    public override string ToString() =>
        $"{Target} {(Skipped ? "Skipped" : Success ? "Success" : "Failed")}{(Error is null ? string.Empty : $": {Error}")}";
}
