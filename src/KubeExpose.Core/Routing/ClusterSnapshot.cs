using k8s.Models;

namespace KubeExpose.Core.Routing;

/// <summary>
/// Everything the routing model reads, captured at one moment: the model is a pure function of this.
/// Endpoints are already reduced to <see cref="EndpointGroup"/>s, so v1 EndpointSlices, v1beta1 EndpointSlices and
/// v1 Endpoints give the model the same input.
/// </summary>
public sealed class ClusterSnapshot
{
    public IReadOnlyList<V1Service> Services { get; init; } = [];
    public IReadOnlyList<V1Pod> Pods { get; init; } = [];
    public IReadOnlyList<EndpointGroup> Endpoints { get; init; } = [];
    public IReadOnlyList<V1Node> Nodes { get; init; } = [];
    public IReadOnlyList<V1Ingress> Ingresses { get; init; } = [];
    public IReadOnlyList<V1IngressClass> IngressClasses { get; init; } = [];

    /// <summary>Secrets by name and type only: the model never needs (or reads) their data.</summary>
    public IReadOnlyList<SecretInfo> Secrets { get; init; } = [];

    /// <summary>Kinds the reader could not list (for example nodes when RBAC forbids it), with the reason.
    /// Routes that depend on them come out Unknown instead of wrong.</summary>
    public IReadOnlyDictionary<string, string> Unreadable { get; init; } = new Dictionary<string, string>();

    /// <summary>The API the endpoints came from: <c>discovery.k8s.io/v1</c>, <c>discovery.k8s.io/v1beta1</c> or <c>v1/Endpoints</c>.</summary>
    public string EndpointSource { get; init; } = "discovery.k8s.io/v1";

    /// <summary>The cluster DNS domain used to compose service names.</summary>
    public string ClusterDomain { get; init; } = "cluster.local";
}
