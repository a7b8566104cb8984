namespace KubeExpose.Core.Model;

/// <summary>
/// One way for a client standing at <see cref="Vantage"/> to reach one port of one Service, and the truth about it.
/// </summary>
public sealed record Route
{
    public required string Namespace { get; init; }
    public required string Service { get; init; }
    /// <summary>The Service port's name, or its number when unnamed.</summary>
    public required string ServicePort { get; init; }
    public string Protocol { get; init; } = "TCP";
    public required Vantage Vantage { get; init; }
    public required RouteKind Kind { get; init; }
    /// <summary>The address a client uses: an IP, a DNS name, an environment variable name or an API path.</summary>
    public required string Address { get; init; }
    public int? Port { get; init; }
    /// <summary>A URL to use when the route is HTTP-shaped (Ingress, API-server proxy), else null.</summary>
    public string? Url { get; init; }
    public required RouteStatus Status { get; init; }
    public IReadOnlyList<Finding> Findings { get; init; } = [];
    public IReadOnlyList<Backend> Backends { get; init; } = [];

    public override string ToString() => $"{Kind} {Url ?? (Port is null ? Address : $"{Address}:{Port}")} {Status}";
}
