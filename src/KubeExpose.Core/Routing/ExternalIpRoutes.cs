using KubeExpose.Core.Model;

namespace KubeExpose.Core.Routing;

/// <summary>
/// spec.externalIPs: kube-proxy answers on them on every node, but Kubernetes does not route them. An externalIP
/// that is a node address is provably delivered; any other is Unknown.
/// </summary>
internal static class ExternalIpRoutes
{
    public static IEnumerable<Route> For(ServicePortAnalysis a, SnapshotIndex index)
    {
        foreach (var ip in a.Service.Spec?.ExternalIPs ?? [])
        {
            IEnumerable<Diagnosis> extra = index.NodeAddresses.Contains(ip) ? [] : [FindingCatalog.ExternalIpNotNodeAddress(a.Namespace, a.Name, ip)];
            yield return RouteBuilder.Make(a, Vantage.External, RouteKind.ExternalIP, ip, a.Port.Port, extra);
        }
    }
}
