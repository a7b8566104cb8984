using KubeExpose.Core.Model;

namespace KubeExpose.Core.Routing;

/// <summary>
/// NodePort on every node address. With externalTrafficPolicy Local a node forwards only to its own ready pods, so
/// nodes without one get a Broken route and the others keep the port's verdict.
/// </summary>
internal static class NodePortRoutes
{
    public static IEnumerable<Route> For(ServicePortAnalysis a, SnapshotIndex index)
    {
        if (!ServiceShape.HasNodePorts(a.Service) || a.Port.NodePort is not { } nodePort)
        {
            return [];
        }

        var local = ServiceShape.LocalTrafficPolicy(a.Service);
        var withPods = a.NodesWithReadyBackend;
        return NodeAddressRoutes.For(a, index, RouteKind.NodePort, nodePort, index.Nodes.Values,
            node => local && !withPods.Contains(node.Metadata.Name)
                ? [FindingCatalog.LocalPolicyNoLocalPod(a.Namespace, a.Name, node.Metadata.Name)]
                : Array.Empty<Diagnosis>(),
            backends: local ? a.Backends : null);
    }
}
