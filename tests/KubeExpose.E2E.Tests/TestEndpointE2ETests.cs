using System.Management.Automation;
using KubeExpose.Tests;
using Xunit;

namespace KubeExpose.E2E.Tests;

/// <summary>
/// Test-Endpoint fed by Get-ServiceReachability on the local cluster: External routes answer from this machine,
/// the Operator route answers through the API server, Pod routes are skipped (or proxied with -Through ApiServer),
/// and a Service whose selector matches nothing fails with the real reason.
/// </summary>
[Collection(ClusterCollection.Name)]
public sealed class TestEndpointE2ETests : IDisposable
{
    private readonly ClusterFixture _cluster;
    private string? _ns;

    public TestEndpointE2ETests(ClusterFixture cluster) => _cluster = cluster;

    private string Ns => _ns ??= _cluster.NewNamespace("probe");

    public void Dispose()
    {
        if (_ns is not null)
        {
            _cluster.Kubectl("delete", "namespace", _ns, "--wait=false");
        }
    }

    // Flattens results to plain values: the test assembly does not load the module's types.
    private const string Flatten = """
        ForEach-Object {
            [pscustomobject]@{
                Target = $_.Target; Vantage = "$($_.Route.Vantage)"; Kind = "$($_.Route.Kind)"; Success = $_.Success
                Skipped = $_.Skipped; SkipReason = $_.SkipReason; Error = $_.Error; Failure = "$($_.FailureKind)"
                Through = $_.Through; StatusCode = $_.StatusCode; Attempts = $_.Attempts
            }
        }
        """;

    private sealed record Row(string Target, string Vantage, string Kind, bool Success, bool Skipped, string? SkipReason, string? Error, string Failure, string Through, int? StatusCode);

    private static List<Row> Rows(ScriptResult result) => result.Output.Select(o => new Row(
        (string)o.Properties["Target"].Value, (string)o.Properties["Vantage"].Value, (string)o.Properties["Kind"].Value,
        (bool)o.Properties["Success"].Value, (bool)o.Properties["Skipped"].Value, o.Properties["SkipReason"].Value as string,
        o.Properties["Error"].Value as string, (string)o.Properties["Failure"].Value, (string)o.Properties["Through"].Value,
        o.Properties["StatusCode"].Value as int?)).ToList();

    private void ExposeWeb(string name)
    {
        _cluster.DeployWeb(Ns, name);
        _cluster.Kubectl("-n", Ns, "expose", "deployment", name, "--type", "NodePort", "--port", "80", "--target-port", "80").AssertSuccess();
        ClusterFixture.WaitFor(
            () => _cluster.Kubectl("-n", Ns, "get", "endpoints", name, "-o", "jsonpath={.subsets[*].addresses[*].ip}").Output.Trim().Length > 0,
            TimeSpan.FromSeconds(60), $"endpoints of service {name} in {Ns}");
    }

    [SkippableFact]
    public void External_routes_answer_from_here_the_Operator_route_through_the_API_server_and_Pod_routes_are_skipped()
    {
        _cluster.Require();
        ExposeWeb("web");
        using var host = _cluster.NewModuleHost();

        var direct = host.Run($"Get-ServiceReachability web -Namespace {Ns} | Test-Endpoint -RetryCount 20 -RetryIntervalSec 1 -TimeoutSec 5 | {Flatten}");
        Assert.Null(direct.Exception);
        var rows = Rows(direct);

        var external = rows.Where(r => r.Vantage == "External" && r.Kind == "NodePort").ToList();
        Assert.NotEmpty(external);
        Assert.All(external, r => Assert.True(r.Success, $"{r.Target}: {r.Error}"));
        Assert.Contains(external, r => r.Target.StartsWith("10.211.1.10:", StringComparison.Ordinal));

        var pod = rows.Where(r => r.Vantage == "Pod").ToList();
        Assert.NotEmpty(pod);
        Assert.All(pod, r =>
        {
            Assert.True(r.Skipped, r.Target);
            Assert.False(r.Success);
            Assert.Contains("-Through ApiServer", r.SkipReason);
        });
        Assert.Empty(direct.Errors.Where(e => pod.Any(p => Equals(e.TargetObject, p.Target))));

        var proxied = host.Run($"Get-ServiceReachability web -Namespace {Ns} | Test-Endpoint -Through apiserver -ExpectContent 'kubeexpose web host=web-' -RetryCount 20 -RetryIntervalSec 1 -TimeoutSec 5 | {Flatten}");
        Assert.Null(proxied.Exception);
        var viaApi = Rows(proxied);
        var operatorRoute = Assert.Single(viaApi, r => r.Vantage == "Operator" && r.Kind == "ApiServerProxy");
        Assert.True(operatorRoute.Success, operatorRoute.Error);
        Assert.Equal("ApiServer", operatorRoute.Through);
        Assert.Equal(200, operatorRoute.StatusCode);
        Assert.All(viaApi.Where(r => r.Vantage == "Pod"), r =>
        {
            Assert.False(r.Skipped, r.SkipReason);
            Assert.Equal("ApiServer", r.Through);
            Assert.True(r.Success, $"{r.Target}: {r.Error}");
        });

        var quiet = host.Run($"Get-ServiceReachability web -Namespace {Ns} -Vantage External,Operator | Test-Endpoint -Quiet -RetryCount 5");
        Assert.Equal(true, Assert.Single(quiet.Output).BaseObject);
    }

    [SkippableFact]
    public void A_NodePort_answers_HTTP_with_the_pod_page()
    {
        _cluster.Require();
        ExposeWeb("page");
        var nodePort = _cluster.Kubectl("-n", Ns, "get", "service", "page", "-o", "jsonpath={.spec.ports[0].nodePort}").AssertSuccess().Output.Trim();
        using var host = _cluster.NewModuleHost();

        var result = host.Run($"Test-Endpoint http://10.211.1.10:{nodePort}/healthz -ExpectContent 'host=page-.* path=/healthz' -RetryCount 20 -RetryIntervalSec 1 -Count 3 | {Flatten}").AssertSuccess();
        var row = Assert.Single(Rows(result));
        Assert.True(row.Success, row.Error);
        Assert.Equal(200, row.StatusCode);
    }

    [SkippableFact]
    public void A_Service_whose_selector_matches_nothing_fails_with_the_reason()
    {
        _cluster.Require();
        _cluster.ApplyYaml($$"""
            apiVersion: v1
            kind: Service
            metadata: {name: broken, namespace: {{Ns}}}
            spec:
              type: NodePort
              selector: {app: nothing-here}
              ports:
              - {name: http, port: 80, targetPort: 80}
            """);
        using var host = _cluster.NewModuleHost();

        var result = host.Run($"Get-ServiceReachability broken -Namespace {Ns} -Vantage External,Operator | Test-Endpoint -Through ApiServer -TimeoutSec 3 | {Flatten}");
        Assert.Null(result.Exception);
        var rows = Rows(result);

        var external = rows.Where(r => r.Vantage == "External" && r.Kind == "NodePort").ToList();
        Assert.NotEmpty(external);
        Assert.All(external, r =>
        {
            Assert.False(r.Success);
            Assert.False(r.Skipped);
            Assert.NotNull(r.Error);
        });

        var operatorRoute = Assert.Single(rows, r => r.Kind == "ApiServerProxy");
        Assert.False(operatorRoute.Success);
        Assert.Equal(503, operatorRoute.StatusCode);
        Assert.Contains("status 503", operatorRoute.Error);
        Assert.Contains("no endpoints available", operatorRoute.Error);

        Assert.Equal(rows.Count, result.Errors.Count);
        Assert.Contains(result.Errors, e => e.FullyQualifiedErrorId == "UnexpectedStatusCode,KubeExpose.Commands.TestEndpointCommand");

        var quiet = host.Run($"Get-ServiceReachability broken -Namespace {Ns} | Test-Endpoint -Through ApiServer -TimeoutSec 3 -Quiet");
        Assert.Equal(false, Assert.Single(quiet.Output).BaseObject);
        Assert.Empty(quiet.Errors);
    }

    [SkippableFact]
    public void An_Ingress_route_is_probed_at_the_controller_address_with_the_rule_host()
    {
        _cluster.Require();
        ExposeWeb("shop");
        var host = $"{Ns}.kx.test";
        _cluster.ApplyYaml($$"""
            apiVersion: networking.k8s.io/v1
            kind: Ingress
            metadata: {name: shop, namespace: {{Ns}}}
            spec:
              rules:
              - host: {{host}}
                http:
                  paths:
                  - path: /
                    pathType: Prefix
                    backend:
                      service:
                        name: shop
                        port: {number: 80}
            """);
        ClusterFixture.WaitFor(
            () => _cluster.Kubectl("-n", Ns, "get", "ingress", "shop", "-o", "jsonpath={.status.loadBalancer.ingress[0].ip}").Output == "10.211.1.10",
            TimeSpan.FromSeconds(60), "the Ingress status address");
        using var module = _cluster.NewModuleHost();

        var routed = module.Run($"Get-ServiceReachability shop -Namespace {Ns} -Vantage External | Where-Object Kind -eq Ingress | Test-Endpoint -ExpectContent 'host=shop-' -RetryCount 30 -RetryIntervalSec 1 | {Flatten}").AssertSuccess();
        var row = Assert.Single(Rows(routed));
        Assert.True(row.Success, row.Error);
        Assert.Equal($"http://{host}/", row.Target);
        Assert.Equal(200, row.StatusCode);

        // The same check by hand: the controller's address with the rule's host; another host gets nginx's 404.
        var byHand = module.Run($"Test-Endpoint http://10.211.1.10/ -HostHeader {host} -ExpectContent 'host=shop-' -RetryCount 10 -Quiet").AssertSuccess();
        Assert.Equal(true, Assert.Single(byHand.Output).BaseObject);
        var wrongHost = module.Run($"Test-Endpoint http://10.211.1.10/ -HostHeader nobody.{host} | {Flatten}");
        var miss = Assert.Single(Rows(wrongHost));
        Assert.Equal(404, miss.StatusCode);
        Assert.Equal("status 404 (NotFound), expected 200-399", miss.Error);
    }
}
