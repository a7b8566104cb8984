using KubeExpose.Core.Model;

namespace KubeExpose.Core.Routing;

/// <summary>The load balancer's address(es) from status.loadBalancer.ingress, or one Pending route while there is none.</summary>
internal static class LoadBalancerRoutes
{
    public static IEnumerable<Route> For(ServicePortAnalysis a)
    {
        if (ServiceShape.Type(a.Service) != "LoadBalancer")
        {
            yield break;
        }

        var ingress = a.Service.Status?.LoadBalancer?.Ingress ?? [];
        var addresses = ingress.Select(i => i.Ip ?? i.Hostname).Where(x => !string.IsNullOrEmpty(x)).ToList();
        if (addresses.Count == 0)
        {
            yield return RouteBuilder.Make(a, Vantage.External, RouteKind.LoadBalancer, "(pending)", a.Port.Port,
                [FindingCatalog.LoadBalancerPending(a.Namespace, a.Name)]);
            yield break;
        }

        foreach (var address in addresses)
        {
            yield return RouteBuilder.Make(a, Vantage.External, RouteKind.LoadBalancer, address!, a.Port.Port);
        }
    }
}
