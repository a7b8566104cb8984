using KubeExpose.Core.Model;

namespace KubeExpose.Core.Routing;

/// <summary>The Service's virtual IP(s): reachable from pods and, through kube-proxy on every node, from nodes.</summary>
internal static class ClusterIpRoutes
{
    public static void Add(ServicePortAnalysis a, List<Route> routes)
    {
        for (var i = 0; i < a.ClusterIps.Count; i++)
        {
            var ip = a.ClusterIps[i];
            routes.Add(RouteBuilder.Make(a, Vantage.Pod, RouteKind.ClusterIP, ip, a.Port.Port));
            routes.Add(RouteBuilder.Make(a, Vantage.Node, RouteKind.ClusterIP, ip, a.Port.Port));
        }
    }
}
