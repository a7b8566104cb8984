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
        var port = PortBehindName(a);
        yield return RouteBuilder.Make(a, Vantage.Pod, RouteKind.DnsName, full, port);
        foreach (var shortName in new[] { $"{a.Name}.{a.Namespace}", a.Name })
        {
            yield return RouteBuilder.Make(a, Vantage.Pod, RouteKind.DnsName, shortName, port, [FindingCatalog.ShortDnsName(a.Namespace, shortName)]);
        }

        if (!string.IsNullOrEmpty(a.Port.Name))
        {
            // SRV records exist only for named ports: _name._proto.svc.ns.svc.domain.
            var srv = $"_{a.Port.Name}._{a.Protocol.ToLowerInvariant()}.{full}";
            yield return RouteBuilder.Make(a, Vantage.Pod, RouteKind.DnsSrv, srv, port);
        }
    }

    /// <summary>
    /// The port a client connects to after resolving the name: the Service port for a ClusterIP, but for a headless
    /// Service the name resolves to pod IPs, so it is the pods' target port (null when the pods disagree).
    /// </summary>
    private static int? PortBehindName(ServicePortAnalysis a)
    {
        if (!ServiceShape.IsHeadless(a.Service))
        {
            return a.Port.Port;
        }

        var ports = a.Backends.Select(b => b.Port).Distinct().ToList();
        return ports.Count == 1 ? ports[0]
            : ports.Count == 0 && int.TryParse(a.Port.TargetPort?.Value ?? a.Port.Port.ToString(System.Globalization.CultureInfo.InvariantCulture), out var n) ? n
            : null;
    }
}
