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
    public void Verify_reports_external_and_operator_routes_and_skips_what_cannot_be_probed_from_here()
    {
        var proxy = "/api/v1/namespaces/shop/services/web:http/proxy/";
        var targets = RouteVerifier.Targets([
            R(RouteKind.NodePort, RouteStatus.Ready) with { Port = 30080 },
            R(RouteKind.ClusterIP, RouteStatus.Ready) with { Port = 80, Vantage = Vantage.Pod },
            R(RouteKind.NodePort, RouteStatus.Ready) with { Port = 30080, Vantage = Vantage.Node },
            R(RouteKind.LoadBalancer, RouteStatus.Pending) with { Address = "(pending)", Port = 80 },
            R(RouteKind.ApiServerProxy, RouteStatus.Ready) with { Vantage = Vantage.Operator, Address = proxy, Url = proxy },
            R(RouteKind.NodePort, RouteStatus.Ready) with { Port = 30053, Protocol = "UDP" },
        ]);

        Assert.Equal([RouteKind.NodePort, RouteKind.LoadBalancer, RouteKind.ApiServerProxy, RouteKind.NodePort], targets.Select(t => t.Route!.Kind));
        Assert.Equal("10.0.0.1:30080", targets[0].Display);
        Assert.Null(targets[0].SkipReason);
        Assert.Contains("no address yet ((pending), status Pending)", targets[1].SkipReason);
        Assert.Equal(proxy, targets[2].ApiServerPath);
        Assert.Null(targets[2].SkipReason);
        Assert.Contains("UDP ports cannot be probed", targets[3].SkipReason);
    }

    [Fact]
    public void Verify_counts_any_answer_below_500_but_not_the_api_servers_refusal()
    {
        var options = RouteVerifier.Options(TimeSpan.FromSeconds(30));
        Assert.True(options.IsExpectedStatus(200));
        Assert.True(options.IsExpectedStatus(404));
        Assert.False(options.IsExpectedStatus(403));
        Assert.False(options.IsExpectedStatus(401));
        Assert.False(options.IsExpectedStatus(503));
        Assert.Equal("100-400, 402, 404-499", options.ExpectedStatusText);
        Assert.True(options.SkipCertificateCheck);
    }

    [Theory]
    [InlineData(30, 5, 4)]   // 5 s + 4 × (1 s + 5 s) = 29 s
    [InlineData(5, 5, 0)]
    [InlineData(2, 2, 0)]
    [InlineData(12, 5, 1)]
    public void Verify_retries_fit_the_budget_even_when_every_attempt_times_out(int budget, int attempt, int retries)
    {
        var options = RouteVerifier.Options(TimeSpan.FromSeconds(budget));
        Assert.Equal(TimeSpan.FromSeconds(attempt), options.Timeout);
        Assert.Equal(retries, options.RetryCount);
        Assert.True(options.Timeout + (options.RetryCount * (options.Timeout + options.RetryInterval)) <= TimeSpan.FromSeconds(budget));
    }
}
