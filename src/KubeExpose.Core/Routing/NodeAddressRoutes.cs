using k8s.Models;
using KubeExpose.Core.Model;

namespace KubeExpose.Core.Routing;

/// <summary>
/// Spreads a port over node addresses: InternalIP for clients on a node (Node vantage), ExternalIP for clients
/// outside (External vantage). A node without an ExternalIP still gets an External route on its InternalIP, marked
/// Unknown: the API cannot say whether outside clients reach it.
/// </summary>
internal static class NodeAddressRoutes
{
    /// <summary>Routes on every address of <paramref name="nodes"/>; <paramref name="perNode"/> adds diagnoses that depend on the node (for example externalTrafficPolicy Local).</summary>
    public static IEnumerable<Route> For(ServicePortAnalysis a, SnapshotIndex index, RouteKind kind, int port,
        IEnumerable<V1Node> nodes, Func<V1Node, IEnumerable<Diagnosis>> perNode, IReadOnlyList<Backend>? backends = null, bool inherit = true)
    {
        if (!index.NodesReadable)
        {
            var unreadable = FindingCatalog.NodesUnreadable(index.Snapshot.Unreadable["nodes"]);
            yield return RouteBuilder.Make(a, Vantage.Node, kind, "(node addresses)", port, [unreadable], backends: backends, inherit: inherit);
            yield return RouteBuilder.Make(a, Vantage.External, kind, "(node addresses)", port, [unreadable], backends: backends, inherit: inherit);
            yield break;
        }

        foreach (var node in nodes)
        {
            var name = node.Metadata.Name;
            var extra = perNode(node).ToList();
            if (node.Status?.Conditions?.Any(c => c.Type == "Ready" && c.Status == "True") != true)
            {
                extra.Add(FindingCatalog.NodeNotReady(name));
            }

            // Loops over the address list (InternalIPs, then ExternalIPs, each in listed order) rather than two LINQ
            // lists per node: this runs for every node of every NodePort Service port.
            var addresses = node.Status?.Addresses ?? [];
            var hasExternal = false;
            foreach (var x in addresses)
            {
                if (x.Type == "InternalIP")
                {
                    yield return RouteBuilder.Make(a, Vantage.Node, kind, x.Address, port, extra, backends: backends, inherit: inherit);
                }
            }

            foreach (var x in addresses)
            {
                if (x.Type == "ExternalIP")
                {
                    hasExternal = true;
                    yield return RouteBuilder.Make(a, Vantage.External, kind, x.Address, port, extra, backends: backends, inherit: inherit);
                }
            }

            if (!hasExternal)
            {
                foreach (var x in addresses)
                {
                    if (x.Type == "InternalIP")
                    {
                        yield return RouteBuilder.Make(a, Vantage.External, kind, x.Address, port, [.. extra, FindingCatalog.NodeNoExternalIp(name)],
                            backends: backends, inherit: inherit);
                    }
                }
            }
        }
    }
}
