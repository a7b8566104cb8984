using KubeExpose.Core.Model;

namespace KubeExpose.Core.Routing;

/// <summary>
/// The docker-links style variables kubelet injects into pods of the same namespace:
/// NAME_SERVICE_HOST, NAME_SERVICE_PORT and NAME_SERVICE_PORT_PORTNAME — but only into pods created after the Service.
/// </summary>
internal static class EnvVarRoutes
{
    public static IEnumerable<Route> For(ServicePortAnalysis a, SnapshotIndex index)
    {
        if (ServiceShape.ClusterIps(a.Service).Count == 0)
        {
            yield break; // Headless and ExternalName Services get no variables.
        }

        var prefix = a.Name.ToUpperInvariant().Replace('-', '_');
        var portVariable = string.IsNullOrEmpty(a.Port.Name)
            ? $"{prefix}_SERVICE_PORT"
            : $"{prefix}_SERVICE_PORT_{a.Port.Name.ToUpperInvariant().Replace('-', '_')}";
        var (older, olderCount) = a.Service.Metadata.CreationTimestamp is { } created
            ? index.PodsWithServiceLinksCreatedBefore(a.Namespace, created, 8)
            : ([], 0);
        yield return RouteBuilder.Make(a, Vantage.Pod, RouteKind.EnvVar, $"${prefix}_SERVICE_HOST:${portVariable}", a.Port.Port,
            [FindingCatalog.EnvVarCaveat(a.Namespace, a.Name, older, olderCount)]);
    }
}
