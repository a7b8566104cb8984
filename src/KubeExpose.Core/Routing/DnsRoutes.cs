using KubeExpose.Core.Model;

namespace KubeExpose.Core.Routing;

/// <summary>
/// Cluster DNS names of a Service (A/AAAA for the ClusterIP or, when headless, the ready pods) in the full and the
/// two short forms, and the SRV record of each named port. Names are computed, not resolved.
/// </summary>
internal static class DnsRoutes
{
    public static IEnumerable<Route> For(ServicePortAnalysis a, string clusterDomain)
    {
        if (ServiceShape.IsExternalName(a.Service))
        {
            yield break; // ExternalNameRoutes covers the CNAME.
        }

        var full = ServiceShape.DnsName(a.Service, clusterDomain);
        yield return RouteBuilder.Make(a, Vantage.Pod, RouteKind.DnsName, full, a.Port.Port);
        foreach (var shortName in new[] { $"{a.Name}.{a.Namespace}", a.Name })
        {
            yield return RouteBuilder.Make(a, Vantage.Pod, RouteKind.DnsName, shortName, a.Port.Port, [FindingCatalog.ShortDnsName(a.Namespace, shortName)]);
        }

        if (!string.IsNullOrEmpty(a.Port.Name))
        {
            // SRV records exist only for named ports: _name._proto.svc.ns.svc.domain.
            var srv = $"_{a.Port.Name}._{a.Protocol.ToLowerInvariant()}.{full}";
            yield return RouteBuilder.Make(a, Vantage.Pod, RouteKind.DnsSrv, srv, a.Port.Port);
        }
    }
}
