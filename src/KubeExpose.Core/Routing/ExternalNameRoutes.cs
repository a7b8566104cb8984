using KubeExpose.Core.Model;

namespace KubeExpose.Core.Routing;

/// <summary>An ExternalName Service is a CNAME in cluster DNS: the route leads outside, where the API cannot look.</summary>
internal static class ExternalNameRoutes
{
    public static void Add(ServicePortAnalysis a, string clusterDomain, List<Route> routes)
    {
        var target = a.Service.Spec?.ExternalName ?? string.Empty;
        var note = FindingCatalog.ExternalNameTarget(a.Namespace, a.Name, target);
        int? port = a.Port.Port == 0 ? null : a.Port.Port;
        routes.Add(RouteBuilder.Make(a, Vantage.Pod, RouteKind.ExternalName, target, port, note, backends: [], inherit: false));
        routes.Add(RouteBuilder.Make(a, Vantage.Pod, RouteKind.DnsName, ServiceShape.DnsName(a.Service, clusterDomain), port, note,
            backends: [], inherit: false));
    }
}
