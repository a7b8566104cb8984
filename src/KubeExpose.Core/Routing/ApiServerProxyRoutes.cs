using KubeExpose.Core.Model;

namespace KubeExpose.Core.Routing;

/// <summary>
/// The API server's service proxy: <c>/api/v1/namespaces/NS/services/[https:]NAME:PORT/proxy/</c>, usable by anyone
/// with get on services/proxy. It picks a ready endpoint whose targetRef is a pod; hand-made endpoints answer 503.
/// Address and Url are both that path, relative to the API server.
/// </summary>
internal static class ApiServerProxyRoutes
{
    public static IEnumerable<Route> For(ServicePortAnalysis a)
    {
        if (a.Protocol != "TCP" || ServiceShape.IsExternalName(a.Service))
        {
            yield break; // The proxy speaks HTTP over TCP only; ExternalName has no endpoints to proxy to.
        }

        var https = a.Port.Name is "https" || a.Port.AppProtocol is "https" || a.Port.Port == 443 ? "https:" : string.Empty;
        var path = $"/api/v1/namespaces/{a.Namespace}/services/{https}{a.Name}:{a.PortLabel}/proxy/";
        IEnumerable<Diagnosis> extra = a.Backends.Count > 0 && a.Backends.All(b => b.Pod is null)
            ? [a.Diagnoses.FirstOrDefault(d => d.Finding.Code == "KE1002") is { } d ? d with { Effect = RouteStatus.Broken } : FindingCatalog.NoReadyEndpoints(a.Namespace, a.Name, a.PortLabel)]
            : [];
        yield return RouteBuilder.Make(a, Vantage.Operator, RouteKind.ApiServerProxy, path, null, extra, url: path);
    }
}
