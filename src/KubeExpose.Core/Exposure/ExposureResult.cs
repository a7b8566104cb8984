using KubeExpose.Core.Model;
using KubeExpose.Core.Probing;

namespace KubeExpose.Core.Exposure;

/// <summary>
/// What Expose-Workload did: the objects it wrote (or would write), how the workload is reached and why, and the routes.
/// The PowerShell type name is KubeExpose.Exposure.
/// </summary>
public sealed record ExposureResult
{
    public required string Namespace { get; init; }

    /// <summary>The workload as kubectl names it: <c>deployment/web</c>.</summary>
    public required string Workload { get; init; }
    public required string Service { get; init; }

    /// <summary>The Ingress name, when one was written.</summary>
    public string? Ingress { get; init; }

    /// <summary>The Service type written: ClusterIP, NodePort, LoadBalancer, Headless or ExternalName.</summary>
    public required string Type { get; init; }

    /// <summary>How the workload is reached: the Service type, or Ingress.</summary>
    public required string Method { get; init; }

    /// <summary>Why that method (with -External: the evidence this cluster gave).</summary>
    public required string Reason { get; init; }

    /// <summary>None, Client or Server.</summary>
    public string DryRun { get; init; } = "None";

    /// <summary>
    /// True when this call applied the exposure to the cluster (see <see cref="Changes"/> for what was created, updated
    /// or already as asked); false for a dry run, which only returns the manifests.
    /// </summary>
    public bool Applied => DryRun == "None";

    /// <summary>What happened to each object.</summary>
    public IReadOnlyList<ObjectChange> Changes { get; init; } = [];

    /// <summary>True when at least one object was created.</summary>
    public bool Created => Changes.Any(c => c.Change == ChangeKind.Created);

    /// <summary>True when at least one object was created or updated.</summary>
    public bool Changed => Changes.Any(c => c.Change is ChangeKind.Created or ChangeKind.Updated);

    /// <summary>True when every object already was as asked and nothing was written.</summary>
    public bool Unchanged => Changes.Count > 0 && Changes.All(c => c.Change == ChangeKind.Unchanged);

    /// <summary>The manifests (as sent, or as the server returned them in server dry run), as YAML.</summary>
    public required string Yaml { get; init; }

    /// <summary>The routes to the Service from the routing model (empty in client dry run).</summary>
    public IReadOnlyList<Route> Routes { get; init; } = [];

    /// <summary>
    /// With -Verify: Test-Endpoint's result for each External and Operator route — Success, or the failure and its
    /// reason, or Skipped with the reason when the route cannot be probed from here (no address yet, UDP, port-forward).
    /// </summary>
    public IReadOnlyList<EndpointTestResult> Verification { get; init; } = [];

    public IReadOnlyList<string> Warnings { get; init; } = [];

    /// <summary>One line per change, for the table view.</summary>
    public string Summary => string.Join(", ", Changes.Select(c => c.ToString()));
}
