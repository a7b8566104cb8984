using System.Text.Json.Nodes;
using KubeExpose.Core.Cluster;
using KubeExpose.Core.Model;
using Xunit;

namespace KubeExpose.Core.Tests.Exposure;

public sealed class ApplyLogicTests
{
    private static JsonNode Service(string resourceVersion, string type, string time) => JsonNode.Parse("""
        {"apiVersion":"v1","kind":"Service",
         "metadata":{"name":"web","namespace":"shop","resourceVersion":"RV","uid":"u1",
                     "managedFields":[{"manager":"kubeexpose","operation":"Apply","time":"TIME"}]},
         "spec":{"type":"TYPE","ports":[{"port":80}]},
         "status":{"loadBalancer":{}}}
        """.Replace("RV", resourceVersion).Replace("TIME", time).Replace("TYPE", type))!;

    [Fact]
    public void Same_content_ignores_what_the_server_bumps_on_every_write() =>
        Assert.True(ObjectComparison.SameContent(Service("10", "ClusterIP", "t1"), Service("11", "ClusterIP", "t2")));

    [Fact]
    public void A_spec_change_is_a_change()
    {
        Assert.False(ObjectComparison.SameContent(Service("10", "ClusterIP", "t1"), Service("10", "NodePort", "t1")));
        Assert.False(ObjectComparison.SameContent(null, Service("10", "ClusterIP", "t1")));
    }

    private static Route R(RouteKind kind, RouteStatus status) => new()
    {
        Namespace = "shop", Service = "web", ServicePort = "http", Vantage = Vantage.External, Kind = kind, Address = "10.0.0.1", Status = status,
    };

    [Fact]
    public void Wait_waits_for_pending_and_broken_routes_but_not_unknown_ones()
    {
        var waiting = RouteReadiness.Waiting([
            R(RouteKind.ClusterIP, RouteStatus.Ready), R(RouteKind.LoadBalancer, RouteStatus.Pending),
            R(RouteKind.NodePort, RouteStatus.Unknown), R(RouteKind.Ingress, RouteStatus.Broken), R(RouteKind.EnvVar, RouteStatus.Broken),
        ]);
        Assert.Equal([RouteKind.LoadBalancer, RouteKind.Ingress], waiting.Select(r => r.Kind));
    }

    [Fact]
    public void Only_external_routes_with_an_address_and_port_are_probed()
    {
        Assert.True(RouteProber.IsProbed(R(RouteKind.NodePort, RouteStatus.Ready) with { Port = 30080 }));
        Assert.False(RouteProber.IsProbed(R(RouteKind.NodePort, RouteStatus.Ready)));
        Assert.False(RouteProber.IsProbed(R(RouteKind.LoadBalancer, RouteStatus.Pending) with { Port = 80 }));
        Assert.False(RouteProber.IsProbed(R(RouteKind.ClusterIP, RouteStatus.Ready) with { Port = 80, Vantage = Vantage.Pod }));
    }
}
