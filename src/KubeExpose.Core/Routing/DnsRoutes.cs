using KubeExpose.Core.Model;

namespace KubeExpose.Core.Routing;

/// <summary>
/// Cluster DNS names of a Service (A/AAAA for the ClusterIP or, when headless, the ready pods) in the full and the
/// two short forms, and the SRV record of each named port. Names are computed, not resolved.
/// </summary>
internal static class DnsRoutes
{
    public static void Add(ServicePortAnalysis a, string clusterDomain, List<Route> routes)
    {
        if (ServiceShape.IsExternalName(a.Service))
        {
            return; // ExternalNameRoutes covers the CNAME.
        }

        var full = ServiceShape.DnsName(a.Service, clusterDomain);
        var port = PortBehindName(a);
        routes.Add(RouteBuilder.Make(a, Vantage.Pod, RouteKind.DnsName, full, port));
        var withNamespace = $"{a.Name}.{a.Namespace}";
        routes.Add(RouteBuilder.Make(a, Vantage.Pod, RouteKind.DnsName, withNamespace, port, FindingCatalog.ShortDnsName(a.Namespace, withNamespace)));
        routes.Add(RouteBuilder.Make(a, Vantage.Pod, RouteKind.DnsName, a.Name, port, FindingCatalog.ShortDnsName(a.Namespace, a.Name)));

        if (!string.IsNullOrEmpty(a.Port.Name))
        {
            // SRV records exist only for named ports: _name._proto.svc.ns.svc.domain.
            var protocol = a.Protocol switch { "TCP" => "tcp", "UDP" => "udp", "SCTP" => "sctp", var other => other.ToLowerInvariant() };
            var srv = $"_{a.Port.Name}._{protocol}.{full}";
            routes.Add(RouteBuilder.Make(a, Vantage.Pod, RouteKind.DnsSrv, srv, port));
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
