using KubeExpose.Core.Model;
using KubeExpose.Core.Probing;
using Xunit;

namespace KubeExpose.Core.Tests.Probing;

public sealed class ProbeTargetsTests
{
    [Theory]
    [InlineData("http://web.example.test/healthz", ProbeProtocol.Http, "web.example.test", 80)]
    [InlineData("https://10.211.1.10:8443/", ProbeProtocol.Https, "10.211.1.10", 8443)]
    [InlineData("tcp://db.example.test:5432", ProbeProtocol.Tcp, "db.example.test", 5432)]
    [InlineData("10.211.1.10:30080", ProbeProtocol.Tcp, "10.211.1.10", 30080)]
    [InlineData(" localhost:22 ", ProbeProtocol.Tcp, "localhost", 22)]
    [InlineData("[fd00::10]:443", ProbeProtocol.Tcp, "fd00::10", 443)]
    [InlineData("http://[::1]:8080/", ProbeProtocol.Http, "::1", 8080)]
    public void Strings_parse_into_targets(string text, ProbeProtocol protocol, string host, int port)
    {
        var target = ProbeTargets.Parse(text);
        Assert.Equal(protocol, target.Protocol);
        Assert.Equal(host, target.Host);
        Assert.Equal(port, target.Port);
        Assert.Null(target.SkipReason);
    }

    [Fact]
    public void An_IPv6_target_displays_with_brackets() => Assert.Equal("[fd00::10]:443", ProbeTargets.Parse("[fd00::10]:443").Display);

    [Theory]
    [InlineData("web")]
    [InlineData("web:http")]
    [InlineData("web:0")]
    [InlineData("web:70000")]
    [InlineData("fd00::10")]
    [InlineData("ftp://example.test/")]
    [InlineData("")]
    public void Anything_else_is_refused_with_the_accepted_forms(string text)
    {
        var error = Assert.Throws<KubeExposeException>(() => ProbeTargets.Parse(text));
        Assert.Equal("InvalidProbeTarget", error.ErrorId);
        Assert.Equal(KubeExposeErrorKind.InvalidArgument, error.Kind);
        Assert.Contains("host:port", error.Message);
    }

    private static Route MakeRoute(Vantage vantage, RouteKind kind, string address, int? port, string? url = null, string protocol = "TCP", string servicePort = "http") => new()
    {
        Namespace = "shop",
        Service = "web",
        ServicePort = servicePort,
        Protocol = protocol,
        Vantage = vantage,
        Kind = kind,
        Address = address,
        Port = port,
        Url = url,
        Status = RouteStatus.Ready,
    };

    [Fact]
    public void An_external_NodePort_route_is_a_TCP_target_at_its_address()
    {
        var route = MakeRoute(Vantage.External, RouteKind.NodePort, "10.211.1.10", 31080);
        var target = ProbeTargets.FromRoute(route, throughApiServer: false);

        Assert.Equal(ProbeProtocol.Tcp, target.Protocol);
        Assert.Equal("10.211.1.10:31080", target.Display);
        Assert.Same(route, target.Route);
        Assert.Null(target.SkipReason);
    }

    [Fact]
    public void A_pod_route_is_skipped_with_the_reason_unless_through_the_API_server()
    {
        var route = MakeRoute(Vantage.Pod, RouteKind.ClusterIP, "10.212.0.15", 80);
        var skipped = ProbeTargets.FromRoute(route, throughApiServer: false);
        Assert.Equal("ClusterIP 10.212.0.15:80 is reachable only inside the cluster network (from a pod). Use -Through ApiServer to probe the Service through the API server.", skipped.SkipReason);

        var proxied = ProbeTargets.FromRoute(route, throughApiServer: true);
        Assert.Null(proxied.SkipReason);
        Assert.Equal("/api/v1/namespaces/shop/services/web:http/proxy/", proxied.ApiServerPath);
        Assert.Equal("10.212.0.15:80 via /api/v1/namespaces/shop/services/web:http/proxy/", proxied.Display);
    }

    [Fact]
    public void A_node_route_is_skipped_too()
    {
        var target = ProbeTargets.FromRoute(MakeRoute(Vantage.Node, RouteKind.HostNetwork, "10.211.0.10", 8080), throughApiServer: false);
        Assert.Contains("only on a node", target.SkipReason);
    }

    [Fact]
    public void The_API_server_proxy_route_always_goes_through_the_API_server()
    {
        const string path = "/api/v1/namespaces/shop/services/https:web:443/proxy/";
        var target = ProbeTargets.FromRoute(MakeRoute(Vantage.Operator, RouteKind.ApiServerProxy, path, null, path), throughApiServer: false);

        Assert.Equal(path, target.ApiServerPath);
        Assert.Equal(path, target.Display);
        Assert.Equal(ProbeProtocol.Https, target.Protocol);
    }

    [Fact]
    public void An_ingress_route_dials_its_address_and_keeps_the_rule_URL()
    {
        var target = ProbeTargets.FromRoute(MakeRoute(Vantage.External, RouteKind.Ingress, "10.211.1.10", 443, "https://shop.example.test/cart"), throughApiServer: false);

        Assert.Equal(ProbeProtocol.Https, target.Protocol);
        Assert.Equal(new Uri("https://shop.example.test/cart"), target.Uri);
        Assert.Equal(("10.211.1.10", 443), target.ConnectTo);
    }

    [Fact]
    public void UDP_pending_and_port_forward_routes_are_skipped_with_reasons()
    {
        Assert.Contains("UDP ports cannot be probed", ProbeTargets.FromRoute(MakeRoute(Vantage.External, RouteKind.NodePort, "10.211.1.10", 31053, protocol: "UDP"), false).SkipReason);
        Assert.Contains("no address and port yet", ProbeTargets.FromRoute(MakeRoute(Vantage.External, RouteKind.LoadBalancer, "", 80), false).SkipReason);
        Assert.Contains("Start-KubeProxyTunnel", ProbeTargets.FromRoute(MakeRoute(Vantage.Operator, RouteKind.PortForward, "web", 80), false).SkipReason);
    }

    [Fact]
    public void Routing_model_placeholders_are_skipped_not_dialed()
    {
        var pending = MakeRoute(Vantage.External, RouteKind.LoadBalancer, "(pending)", 80) with
        {
            Status = RouteStatus.Pending,
            Findings = [new Finding("KE0000", FindingSeverity.Warning, "no load balancer address yet")],
        };
        Assert.Equal("LoadBalancer route has no address yet ((pending), status Pending): no load balancer address yet",
            ProbeTargets.FromRoute(pending, false).SkipReason);
        Assert.Contains("no address yet ((no address)",
            ProbeTargets.FromRoute(MakeRoute(Vantage.External, RouteKind.Ingress, "(no address)", 80, "http://shop.example.test/"), false).SkipReason);
        Assert.Contains("no address yet ((node addresses)",
            ProbeTargets.FromRoute(MakeRoute(Vantage.External, RouteKind.NodePort, "(node addresses)", 30080), false).SkipReason);
    }
}
