using KubeExpose.Core.Model;

namespace KubeExpose.Core.Routing;

/// <summary>The Service's virtual IP(s): reachable from pods and, through kube-proxy on every node, from nodes.</summary>
internal static class ClusterIpRoutes
{
    public static IEnumerable<Route> For(ServicePortAnalysis a)
    {
        foreach (var ip in ServiceShape.ClusterIps(a.Service))
        {
            yield return RouteBuilder.Make(a, Vantage.Pod, RouteKind.ClusterIP, ip, a.Port.Port);
            yield return RouteBuilder.Make(a, Vantage.Node, RouteKind.ClusterIP, ip, a.Port.Port);
        }
    }
}
