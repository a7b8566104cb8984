using KubeExpose.Core.Model;

namespace KubeExpose.Core.Routing;

/// <summary>
/// The API server's service proxy: <c>/api/v1/namespaces/NS/services/[https:]NAME:PORT/proxy/</c>, usable by anyone
/// with get on services/proxy. It picks a ready endpoint whose targetRef is a pod; hand-made endpoints answer 503.
/// Address and Url are both that path, relative to the API server.
/// </summary>
internal static class ApiServerProxyRoutes
{
    public static void Add(ServicePortAnalysis a, List<Route> routes)
    {
        if (a.Protocol != "TCP" || ServiceShape.IsExternalName(a.Service))
        {
            return; // The proxy speaks HTTP over TCP only; ExternalName has no endpoints to proxy to.
        }

        var https = a.Port.Name is "https" || a.Port.AppProtocol is "https" || a.Port.Port == 443 ? "https:" : string.Empty;
        var path = $"/api/v1/namespaces/{a.Namespace}/services/{https}{a.Name}:{a.PortLabel}/proxy/";
        // The proxy only forwards to endpoints whose targetRef is a pod: hand-made endpoints break it (all) or
        // make it a gamble per request (some).
        var podless = 0;
        for (var i = 0; i < a.Backends.Count; i++)
        {
            if (a.Backends[i].Pod is null)
            {
                podless++;
            }
        }

        var handMade = podless == 0 ? -1 : a.Diagnoses.FindIndex(d => d.Finding.Code == "KE1002");
        routes.Add(handMade < 0
            ? RouteBuilder.Make(a, Vantage.Operator, RouteKind.ApiServerProxy, path, null, url: path)
            : RouteBuilder.Make(a, Vantage.Operator, RouteKind.ApiServerProxy, path, null,
                a.Diagnoses[handMade] with { Effect = podless == a.Backends.Count ? RouteStatus.Broken : RouteStatus.Degraded }, url: path));
    }
}
