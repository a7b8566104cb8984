namespace KubeExpose.Core.Model;

/// <summary>Where a client stands when it uses a route.</summary>
public enum Vantage
{
    /// <summary>Inside the cluster network: a pod.</summary>
    Pod,
    /// <summary>On a node of the cluster (host network).</summary>
    Node,
    /// <summary>Outside the cluster network: can reach node and load-balancer addresses only.</summary>
    External,
    /// <summary>Anyone with API access: through the API server (service proxy, port-forward).</summary>
    Operator,
}
