namespace KubeExpose.Core.Probing;

/// <summary>The outcome of one attempt at one target.</summary>
public sealed record ProbeAttempt
{
    public bool Success => Failure == ProbeFailureKind.None;

    public ProbeFailureKind Failure { get; init; }

    /// <summary>The reason for a failure, in words ("connection refused", "status 503 (ServiceUnavailable), expected 200-399").</summary>
    public string? Error { get; init; }

    public int? StatusCode { get; init; }

    public double LatencyMs { get; init; }

    /// <summary>The address:port the attempt connected to, when it got that far.</summary>
    public string? RemoteAddress { get; init; }

    public CertificateInfo? Certificate { get; init; }

    public static ProbeAttempt Failed(ProbeFailureKind kind, string error, double latencyMs, string? remote = null, int? status = null, CertificateInfo? certificate = null) =>
        new() { Failure = kind, Error = error, LatencyMs = latencyMs, RemoteAddress = remote, StatusCode = status, Certificate = certificate };
}
