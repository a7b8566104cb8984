using KubeExpose.Core.Model;

namespace KubeExpose.Core.Exposure;

/// <summary>What Publish-Workload did: the objects it wrote (or would write) and the routes they give.</summary>
public sealed record ExposureResult
{
    public required string Namespace { get; init; }
    public required string Workload { get; init; }
    public required string Service { get; init; }
    public IReadOnlyList<Route> Routes { get; init; } = [];
}
