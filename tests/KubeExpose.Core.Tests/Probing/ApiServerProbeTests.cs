using KubeExpose.Core.Cluster;
using KubeExpose.Core.Model;
using KubeExpose.Core.Probing;
using KubeExpose.Tests.Servers;
using Xunit;

namespace KubeExpose.Core.Tests.Probing;

/// <summary>
/// The API-server proxy probe against a loopback server standing in for the API server, reached through a real
/// kubeconfig and KubeSession: the path, the caller's credentials, the Status message on failure, one probe per path.
/// </summary>
public sealed class ApiServerProbeTests : IDisposable
{
    private readonly string _kubeconfig = Path.GetTempFileName();

    public void Dispose() => File.Delete(_kubeconfig);

    private KubeSession Connect(LoopbackHttpServer server)
    {
        File.WriteAllText(_kubeconfig, $$"""
            apiVersion: v1
            kind: Config
            current-context: test
            clusters:
            - name: test
              cluster: {server: "http://127.0.0.1:{{server.Port}}"}
            users:
            - name: tester
              user: {token: probe-token}
            contexts:
            - name: test
              context: {cluster: test, user: tester, namespace: shop}
            """);
        return KubeSession.Connect(new KubeConnectionOptions(_kubeconfig, null, null));
    }

    private static Route PodRoute(RouteKind kind, string address) => new()
    {
        Namespace = "shop", Service = "web", ServicePort = "http", Vantage = Vantage.Pod, Kind = kind, Address = address, Port = 80, Status = RouteStatus.Ready,
    };

    [Fact]
    public async Task Pod_routes_are_probed_once_per_proxy_path_with_the_callers_token()
    {
        using var server = new LoopbackHttpServer(_ => new HttpReply(200, "kubeexpose web host=web-1"));
        using var session = Connect(server);
        var routes = new[] { PodRoute(RouteKind.ClusterIP, "10.212.0.15"), PodRoute(RouteKind.DnsName, "web.shop.svc.cluster.local"), PodRoute(RouteKind.DnsName, "web.shop") };
        var targets = routes.Select(r => ProbeTargets.FromRoute(r, throughApiServer: true)).ToList();

        var results = new List<EndpointTestResult>();
        await foreach (var result in OrderedProbeRunner.RunAllAsync(targets, new EndpointTester(new ProbeOptions(), session)))
        {
            results.Add(result);
        }

        var request = Assert.Single(server.Requests);
        Assert.Equal("/api/v1/namespaces/shop/services/web:http/proxy/", request.Path);
        Assert.Equal("Bearer probe-token", request.Headers["Authorization"]);
        Assert.Equal(targets.Select(t => t.Display), results.Select(r => r.Target));
        Assert.Equal(routes, results.Select(r => r.Route));
        Assert.All(results, r =>
        {
            Assert.True(r.Success, r.Error);
            Assert.Equal("ApiServer", r.Through);
            Assert.Equal(200, r.StatusCode);
            Assert.Equal(server.Address, r.RemoteAddress);
        });
    }

    [Fact]
    public async Task A_proxy_failure_quotes_the_API_servers_message()
    {
        const string status = """{"kind":"Status","apiVersion":"v1","status":"Failure","message":"no endpoints available for service \"web\"","reason":"ServiceUnavailable","code":503}""";
        using var server = new LoopbackHttpServer(_ => new HttpReply(503, status, ContentType: "application/json"));
        using var session = Connect(server);
        var target = ProbeTargets.FromRoute(PodRoute(RouteKind.ClusterIP, "10.212.0.15"), throughApiServer: true);
        var result = await new EndpointTester(new ProbeOptions { RetryCount = 1, RetryInterval = TimeSpan.Zero }, session).TestAsync(target, CancellationToken.None);

        Assert.False(result.Success);
        Assert.Equal(2, result.Attempts);
        Assert.Equal(503, result.StatusCode);
        Assert.Equal("status 503 (ServiceUnavailable), expected 200-399: no endpoints available for service \"web\"", result.Error);
    }

    [Fact]
    public async Task A_forbidden_proxy_request_names_the_permission_needed()
    {
        const string status = """{"kind":"Status","apiVersion":"v1","status":"Failure","message":"services \"web\" is forbidden: User \"viewer\" cannot get resource \"services/proxy\" in API group \"\" in the namespace \"shop\"","reason":"Forbidden","code":403}""";
        using var server = new LoopbackHttpServer(_ => new HttpReply(403, status, ContentType: "application/json"));
        using var session = Connect(server);
        var target = ProbeTargets.FromRoute(PodRoute(RouteKind.ClusterIP, "10.212.0.15"), throughApiServer: true);
        var result = await new EndpointTester(new ProbeOptions(), session).TestAsync(target, CancellationToken.None);

        Assert.Equal(ProbeFailureKind.Forbidden, result.FailureKind);
        Assert.StartsWith("the API server refused the proxy request (status 403): services \"web\" is forbidden", result.Error);
        Assert.EndsWith("It needs get on services/proxy in namespace shop.", result.Error);
    }

    [Fact]
    public async Task Without_a_session_an_API_server_target_fails_with_the_reason()
    {
        var target = ProbeTargets.FromRoute(PodRoute(RouteKind.ClusterIP, "10.212.0.15"), throughApiServer: true);
        var result = await new EndpointTester(new ProbeOptions()).TestAsync(target, CancellationToken.None);

        Assert.False(result.Success);
        Assert.Contains("needs a kube connection", result.Error);
    }
}
