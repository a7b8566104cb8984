namespace KubeExpose.Core.Exposure;

/// <summary>What the cluster has shown about itself that decides how to expose: read once, then planning is pure.</summary>
public sealed record ClusterFacts
{
    /// <summary>A LoadBalancer Service that has an address (namespace/name), or null when none was seen.</summary>
    public string? ProvisionedLoadBalancer { get; init; }

    /// <summary>
    /// A LoadBalancer Service (namespace/name) that has waited for an address longer than a provisioner would take,
    /// or null: evidence that load balancers are not being provisioned now, whatever older ones show.
    /// </summary>
    public string? StalePendingLoadBalancer { get; init; }

    /// <summary>The IngressClasses: name and whether it is marked default.</summary>
    public IReadOnlyList<IngressClassFact> IngressClasses { get; init; } = [];

    /// <summary>False when IngressClasses could not be read (RBAC); the decision then says so.</summary>
    public bool IngressClassesReadable { get; init; } = true;

    /// <summary>Node ports in use, with the Service (namespace/name) that holds each.</summary>
    public IReadOnlyDictionary<int, string> NodePortsInUse { get; init; } = new Dictionary<int, string>();

    /// <summary>The node port range. The API does not publish it; the default is the apiserver's.</summary>
    public int NodePortMin { get; init; } = 30000;
    public int NodePortMax { get; init; } = 32767;

    /// <summary>The type of the Secret named by -TlsSecret, or null when it does not exist.</summary>
    public string? TlsSecretType { get; init; }
}

/// <summary>One IngressClass.</summary>
public sealed record IngressClassFact(string Name, bool IsDefault, string? Controller);
