using KubeExpose.Core.Model;

namespace KubeExpose.Core.Cluster;

/// <summary>Which routes -Wait waits for: those that become Ready once pods, load balancers and Ingress controllers catch up.</summary>
public static class RouteReadiness
{
    private static readonly HashSet<RouteKind> Awaited =
        [RouteKind.ClusterIP, RouteKind.NodePort, RouteKind.LoadBalancer, RouteKind.Ingress, RouteKind.Headless, RouteKind.ExternalIP, RouteKind.HostPort];

    /// <summary>The routes still Pending or Broken. Unknown routes are not waited for: the API cannot prove them either way.</summary>
    public static IReadOnlyList<Route> Waiting(IReadOnlyList<Route> routes) =>
        routes.Where(r => Awaited.Contains(r.Kind) && r.Status is RouteStatus.Pending or RouteStatus.Broken).ToList();
}
