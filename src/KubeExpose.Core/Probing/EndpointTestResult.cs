namespace KubeExpose.Core.Probing;

/// <summary>The outcome of probing one target.</summary>
public sealed record EndpointTestResult
{
    public required string Target { get; init; }
    public bool Success { get; init; }
}
