namespace KubeExpose.Core.Exposure;

/// <summary>What the user asked Expose-Workload for, in plain .NET types (the cmdlet and the plugin both fill it).</summary>
public sealed record ExposureRequest
{
    public required WorkloadRef Workload { get; init; }
    public string? Namespace { get; init; }

    /// <summary>ClusterIP, NodePort, LoadBalancer, Headless or ExternalName; null for the default (ClusterIP) or with <see cref="External"/>.</summary>
    public string? Type { get; init; }
    public bool External { get; init; }
    public IReadOnlyList<int>? Ports { get; init; }
    public IReadOnlyList<string>? TargetPorts { get; init; }
    public IReadOnlyList<string>? Protocols { get; init; }
    public string? ServiceName { get; init; }
    public IReadOnlyList<int>? NodePorts { get; init; }
    public IReadOnlyList<string>? ExternalIPs { get; init; }
    public string? ExternalName { get; init; }
    public string? LoadBalancerClass { get; init; }
    public IReadOnlyList<string>? LoadBalancerSourceRanges { get; init; }
    public string? ExternalTrafficPolicy { get; init; }
    public string? SessionAffinity { get; init; }
    public int? SessionAffinityTimeoutSeconds { get; init; }
    public IReadOnlyDictionary<string, string>? Labels { get; init; }
    public IReadOnlyDictionary<string, string>? Annotations { get; init; }
    public bool Ingress { get; init; }
    public IReadOnlyList<string>? IngressHosts { get; init; }
    public string? IngressPath { get; init; }
    public string? PathType { get; init; }
    public string? IngressClass { get; init; }
    public string? TlsSecret { get; init; }
    public bool HostPort { get; init; }
}
