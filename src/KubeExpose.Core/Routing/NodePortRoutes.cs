using KubeExpose.Core.Model;

namespace KubeExpose.Core.Routing;

/// <summary>
/// NodePort on every node address. With externalTrafficPolicy Local a node forwards only to its own ready pods, so
/// nodes without one get a Broken route and the others keep the port's verdict.
/// </summary>
internal static class NodePortRoutes
{
    public static void Add(ServicePortAnalysis a, SnapshotIndex index, List<Route> routes)
    {
        if (!ServiceShape.HasNodePorts(a.Service) || a.Port.NodePort is not { } nodePort)
        {
            return;
        }

        var local = ServiceShape.LocalTrafficPolicy(a.Service);
        var backends = local ? a.Backends : null;
        if (NodeAddressRoutes.AddUnreadable(a, index, RouteKind.NodePort, nodePort, routes, backends))
        {
            return;
        }

        foreach (var node in index.Snapshot.Nodes)
        {
            IReadOnlyList<Diagnosis> extra = local && !a.NodesWithReadyBackend.Contains(node.Metadata.Name)
                ? [FindingCatalog.LocalPolicyNoLocalPod(a.Namespace, a.Name, node.Metadata.Name)]
                : [];
            NodeAddressRoutes.Add(a, RouteKind.NodePort, nodePort, node, extra, routes, backends);
        }
    }
}
