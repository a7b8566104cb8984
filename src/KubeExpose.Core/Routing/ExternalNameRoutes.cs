using KubeExpose.Core.Model;

namespace KubeExpose.Core.Routing;

/// <summary>An ExternalName Service is a CNAME in cluster DNS: the route leads outside, where the API cannot look.</summary>
internal static class ExternalNameRoutes
{
    public static IEnumerable<Route> For(ServicePortAnalysis a, string clusterDomain)
    {
        var target = a.Service.Spec?.ExternalName ?? string.Empty;
        var note = FindingCatalog.ExternalNameTarget(a.Namespace, a.Name, target);
        int? port = a.Port.Port == 0 ? null : a.Port.Port;
        yield return RouteBuilder.Make(a, Vantage.Pod, RouteKind.ExternalName, target, port, [note], backends: [], inherit: false);
        yield return RouteBuilder.Make(a, Vantage.Pod, RouteKind.DnsName, ServiceShape.DnsName(a.Service, clusterDomain), port, [note],
            backends: [], inherit: false);
    }
}
