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
    /// <summary>
    /// When nodes cannot be read: one Node and one External route that say so, instead of a route per address.
    /// Returns false (and adds nothing) when nodes are readable.
    /// </summary>
    public static bool AddUnreadable(ServicePortAnalysis a, SnapshotIndex index, RouteKind kind, int port, List<Route> routes,
        IReadOnlyList<Backend>? backends = null, bool inherit = true)
    {
        if (index.NodesReadable)
        {
            return false;
        }

        var unreadable = FindingCatalog.NodesUnreadable(index.Snapshot.Unreadable["nodes"]);
        routes.Add(RouteBuilder.Make(a, Vantage.Node, kind, "(node addresses)", port, unreadable, backends: backends, inherit: inherit));
        routes.Add(RouteBuilder.Make(a, Vantage.External, kind, "(node addresses)", port, unreadable, backends: backends, inherit: inherit));
        return true;
    }

    /// <summary>Routes on every address of <paramref name="node"/>; <paramref name="extra"/> are diagnoses that depend on the node (for example externalTrafficPolicy Local).</summary>
    public static void Add(ServicePortAnalysis a, RouteKind kind, int port, V1Node node, IReadOnlyList<Diagnosis> extra, List<Route> routes,
        IReadOnlyList<Backend>? backends = null, bool inherit = true)
    {
        var name = node.Metadata.Name;
        if (!IsReady(node))
        {
            extra = [.. extra, FindingCatalog.NodeNotReady(name)];
        }

        // Loops over the address list (InternalIPs, then ExternalIPs, each in listed order) rather than two LINQ
        // lists per node: this runs for every node of every NodePort Service port.
        // Indexed loops: foreach over the API's IList boxes an enumerator, and this runs per node per port.
        var addresses = node.Status?.Addresses ?? Array.Empty<V1NodeAddress>();
        var hasExternal = false;
        for (var i = 0; i < addresses.Count; i++)
        {
            var x = addresses[i];
            if (x.Type == "InternalIP")
            {
                routes.Add(RouteBuilder.Make(a, Vantage.Node, kind, x.Address, port, extra, backends: backends, inherit: inherit));
            }
        }

        for (var i = 0; i < addresses.Count; i++)
        {
            var x = addresses[i];
            if (x.Type == "ExternalIP")
            {
                hasExternal = true;
                routes.Add(RouteBuilder.Make(a, Vantage.External, kind, x.Address, port, extra, backends: backends, inherit: inherit));
            }
        }

        if (!hasExternal)
        {
            for (var i = 0; i < addresses.Count; i++)
            {
                var x = addresses[i];
                if (x.Type == "InternalIP")
                {
                    routes.Add(RouteBuilder.Make(a, Vantage.External, kind, x.Address, port, [.. extra, FindingCatalog.NodeNoExternalIp(name)],
                        backends: backends, inherit: inherit));
                }
            }
        }
    }

    private static bool IsReady(V1Node node)
    {
        var conditions = node.Status?.Conditions ?? Array.Empty<V1NodeCondition>();
        for (var i = 0; i < conditions.Count; i++)
        {
            if (conditions[i].Type == "Ready" && conditions[i].Status == "True")
            {
                return true;
            }
        }

        return false;
    }
}
