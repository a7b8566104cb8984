using KubeExpose.Core.Model;

namespace KubeExpose.Core.Routing;

/// <summary>
/// spec.externalIPs: kube-proxy answers on them on every node, but Kubernetes does not route them. An externalIP
/// that is a node address is provably delivered; any other is Unknown.
/// </summary>
internal static class ExternalIpRoutes
{
    public static void Add(ServicePortAnalysis a, SnapshotIndex index, List<Route> routes)
    {
        if (a.Service.Spec?.ExternalIPs is not { Count: > 0 } ips)
        {
            return;
        }

        foreach (var ip in ips)
        {
            routes.Add(index.NodeAddresses.Contains(ip)
                ? RouteBuilder.Make(a, Vantage.External, RouteKind.ExternalIP, ip, a.Port.Port)
                : RouteBuilder.Make(a, Vantage.External, RouteKind.ExternalIP, ip, a.Port.Port, FindingCatalog.ExternalIpNotNodeAddress(a.Namespace, a.Name, ip)));
        }
    }
}
