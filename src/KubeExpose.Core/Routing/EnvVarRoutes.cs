using KubeExpose.Core.Model;

namespace KubeExpose.Core.Routing;

/// <summary>
/// The docker-links style variables kubelet injects into pods of the same namespace:
/// NAME_SERVICE_HOST, NAME_SERVICE_PORT and NAME_SERVICE_PORT_PORTNAME — but only into pods created after the Service.
/// </summary>
internal static class EnvVarRoutes
{
    public static void Add(ServicePortAnalysis a, SnapshotIndex index, List<Route> routes)
    {
        if (a.ClusterIps.Count == 0)
        {
            return; // Headless and ExternalName Services get no variables.
        }

        var prefix = a.Name.ToUpperInvariant().Replace('-', '_');
        var address = string.IsNullOrEmpty(a.Port.Name)
            ? $"${prefix}_SERVICE_HOST:${prefix}_SERVICE_PORT"
            : $"${prefix}_SERVICE_HOST:${prefix}_SERVICE_PORT_{a.Port.Name.ToUpperInvariant().Replace('-', '_')}";
        var (podsByAge, olderCount) = a.Service.Metadata.CreationTimestamp is { } created
            ? index.PodsWithServiceLinksCreatedBefore(a.Namespace, created)
            : ([], 0);
        routes.Add(RouteBuilder.Make(a, Vantage.Pod, RouteKind.EnvVar, address, a.Port.Port,
            FindingCatalog.EnvVarCaveat(a.Namespace, a.Name, podsByAge, olderCount)));
    }
}
