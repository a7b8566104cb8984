using System.Globalization;
using System.Net;
using KubeExpose.Core.Model;

namespace KubeExpose.Core.Probing;

/// <summary>Turns what users type and what the other cmdlets return into <see cref="ProbeTarget"/>s.</summary>
public static class ProbeTargets
{
    /// <summary>
    /// Parses http://…, https://…, tcp://host:port, host:port or [v6]:port. Throws an InvalidArgument
    /// <see cref="KubeExposeException"/> naming the text and the accepted forms.
    /// </summary>
    public static ProbeTarget Parse(string text)
    {
        var trimmed = text?.Trim() ?? string.Empty;
        if (trimmed.Contains("://", StringComparison.Ordinal))
        {
            if (System.Uri.TryCreate(trimmed, UriKind.Absolute, out var uri))
            {
                if (uri.Scheme is "http" or "https")
                {
                    return FromUri(uri);
                }

                if (uri.Scheme == "tcp" && uri.Port > 0)
                {
                    return FromHostPort(uri.Host.Trim('[', ']'), uri.Port);
                }
            }

            throw Invalid(trimmed, "it is not an http://, https:// or tcp://host:port URL");
        }

        if (TrySplitHostPort(trimmed, out var host, out var port))
        {
            return FromHostPort(host, port);
        }

        throw Invalid(trimmed, "it is neither a URL nor host:port");
    }

    /// <summary>An HTTP or HTTPS URL.</summary>
    public static ProbeTarget FromUri(Uri uri)
    {
        if (!uri.IsAbsoluteUri || uri.Scheme is not ("http" or "https"))
        {
            throw Invalid(uri.OriginalString, "only absolute http:// and https:// URLs can be probed over HTTP");
        }

        return new ProbeTarget
        {
            Display = uri.OriginalString,
            Protocol = uri.Scheme == "https" ? ProbeProtocol.Https : ProbeProtocol.Http,
            Uri = uri,
            Host = uri.IdnHost.Trim('[', ']'),
            Port = uri.Port,
        };
    }

    /// <summary>A TCP endpoint.</summary>
    public static ProbeTarget FromHostPort(string host, int port)
    {
        if (string.IsNullOrWhiteSpace(host) || port is < 1 or > 65535)
        {
            throw Invalid($"{host}:{port}", "it needs a host and a port between 1 and 65535");
        }

        return new ProbeTarget
        {
            Display = FormatHostPort(host, port),
            Protocol = ProbeProtocol.Tcp,
            Host = host,
            Port = port,
        };
    }

    /// <summary>
    /// A route from Get-ServiceReachability or Publish-Workload. Pod and Node routes cannot be dialed from outside the
    /// cluster network: without <paramref name="throughApiServer"/> they come back skipped with the reason; with it, they
    /// are probed over HTTP through the API server's service proxy. The API-server proxy route is always probed that way.
    /// </summary>
    public static ProbeTarget FromRoute(Route route, bool throughApiServer)
    {
        var display = RouteDisplay(route);
        ProbeTarget Skip(string reason) => new()
        {
            Display = display, Protocol = ProbeProtocol.Tcp, Host = route.Address, Port = route.Port ?? 0, SkipReason = reason, Route = route,
        };

        if (!string.Equals(route.Protocol, "TCP", StringComparison.OrdinalIgnoreCase))
        {
            return Skip($"{route.Protocol} ports cannot be probed; Test-Endpoint speaks TCP and HTTP.");
        }

        if (route.Kind == RouteKind.ApiServerProxy)
        {
            return ThroughApiServer(route, display, route.Url ?? route.Address);
        }

        if (route.Kind == RouteKind.PortForward)
        {
            return Skip("A port-forward route needs a tunnel: start one with Start-KubeProxyTunnel and pipe the tunnel to Test-Endpoint.");
        }

        if (route.Vantage is Vantage.Pod or Vantage.Node)
        {
            if (!throughApiServer)
            {
                var where = route.Vantage == Vantage.Pod ? "inside the cluster network (from a pod)" : "on a node";
                return Skip($"{route.Kind} {display} is reachable only {where}. Use -Through ApiServer to probe the Service through the API server.");
            }

            return route.Kind == RouteKind.ExternalName
                ? Skip("An ExternalName Service has no endpoints the API server can proxy to.")
                : ThroughApiServer(route, display, ServiceProxyPath(route));
        }

        if (route.Address.StartsWith('('))
        {
            // The routing model's placeholders — "(pending)", "(no address)", "(node addresses)" — are not hosts to dial.
            var why = route.Findings.Count > 0 ? $": {route.Findings[0].Message}" : ".";
            return Skip($"{route.Kind} route has no address yet ({route.Address}, status {route.Status}){why}");
        }

        if (route.Kind == RouteKind.Ingress && route.Url is not null && System.Uri.TryCreate(route.Url, UriKind.Absolute, out var ingressUrl))
        {
            // Dial the controller's address and keep the rule's host for Host and SNI: the host need not resolve here.
            if (string.IsNullOrEmpty(route.Address))
            {
                return Skip($"The Ingress for {route.Url} has no address yet.");
            }

            return FromUri(ingressUrl) with { Display = route.Url, ConnectTo = (route.Address, route.Port ?? ingressUrl.Port), Route = route };
        }

        if (route.Url is not null && System.Uri.TryCreate(route.Url, UriKind.Absolute, out var url) && url.Scheme is "http" or "https")
        {
            return FromUri(url) with { Route = route };
        }

        if (string.IsNullOrEmpty(route.Address) || route.Port is null)
        {
            return Skip($"{route.Kind} route has no address and port yet (status {route.Status}).");
        }

        return FromHostPort(route.Address, route.Port.Value) with { Route = route };
    }

    /// <summary>The API server's service proxy path for a route's Service port: /api/v1/namespaces/NS/services/[https:]NAME:PORT/proxy/.</summary>
    public static string ServiceProxyPath(Route route)
    {
        var https = route.ServicePort is "https" || (route.Kind is RouteKind.ClusterIP or RouteKind.DnsName && route.Port == 443) ? "https:" : string.Empty;
        return $"/api/v1/namespaces/{Uri.EscapeDataString(route.Namespace)}/services/{https}{Uri.EscapeDataString(route.Service)}:{Uri.EscapeDataString(route.ServicePort)}/proxy/";
    }

    /// <summary>Splits host:port and [v6]:port; a bare IPv6 address without brackets is refused (its colons are ambiguous).</summary>
    public static bool TrySplitHostPort(string text, out string host, out int port)
    {
        host = string.Empty;
        port = 0;
        string portText;
        if (text.StartsWith('['))
        {
            var close = text.IndexOf(']');
            if (close < 0 || close + 1 >= text.Length || text[close + 1] != ':')
            {
                return false;
            }

            host = text[1..close];
            portText = text[(close + 2)..];
        }
        else
        {
            var colon = text.LastIndexOf(':');
            if (colon <= 0 || text.IndexOf(':') != colon)
            {
                return false;
            }

            host = text[..colon];
            portText = text[(colon + 1)..];
        }

        return host.Length > 0 && !host.Any(char.IsWhiteSpace) && !host.Contains('/')
            && int.TryParse(portText, NumberStyles.None, CultureInfo.InvariantCulture, out port) && port is >= 1 and <= 65535;
    }

    internal static string FormatHostPort(string host, int port) =>
        IPAddress.TryParse(host, out var ip) && ip.AddressFamily == System.Net.Sockets.AddressFamily.InterNetworkV6 ? $"[{host}]:{port}" : $"{host}:{port}";

    private static ProbeTarget ThroughApiServer(Route route, string display, string path) => new()
    {
        Display = display == path ? path : $"{display} via {path}",
        Protocol = path.Contains("/services/https:", StringComparison.Ordinal) ? ProbeProtocol.Https : ProbeProtocol.Http,
        Host = route.Address,
        Port = route.Port ?? 0,
        ApiServerPath = path,
        Route = route,
    };

    private static string RouteDisplay(Route route) =>
        route.Url ?? (route.Port is null ? route.Address : FormatHostPort(route.Address, route.Port.Value));

    private static KubeExposeException Invalid(string text, string why) => new(
        KubeExposeErrorKind.InvalidArgument,
        "InvalidProbeTarget",
        $"Cannot probe '{text}': {why}. Give http://host[:port]/path, https://…, host:port or [IPv6]:port.",
        text);
}
