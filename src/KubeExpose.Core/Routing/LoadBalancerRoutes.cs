using KubeExpose.Core.Model;

namespace KubeExpose.Core.Routing;

/// <summary>The load balancer's address(es) from status.loadBalancer.ingress, or one Pending route while there is none.</summary>
internal static class LoadBalancerRoutes
{
    public static void Add(ServicePortAnalysis a, List<Route> routes)
    {
        if (ServiceShape.Type(a.Service) != "LoadBalancer")
        {
            return;
        }

        var added = false;
        foreach (var ingress in a.Service.Status?.LoadBalancer?.Ingress ?? [])
        {
            if ((ingress.Ip ?? ingress.Hostname) is { Length: > 0 } address)
            {
                routes.Add(RouteBuilder.Make(a, Vantage.External, RouteKind.LoadBalancer, address, a.Port.Port));
                added = true;
            }
        }

        if (!added)
        {
            routes.Add(RouteBuilder.Make(a, Vantage.External, RouteKind.LoadBalancer, "(pending)", a.Port.Port,
                FindingCatalog.LoadBalancerPending(a.Namespace, a.Name)));
        }
    }
}
