using System.Diagnostics;
using System.Text.Json;
using System.Text.RegularExpressions;
using Xunit;

namespace KubeExpose.E2E.Tests;

/// <summary>
/// Proves, with plain kubectl and curl only (no KubeExpose code), that the local cluster of tests/e2e/cluster.sh
/// offers every route the product reasons about: pods on the real kubelet, ClusterIP, NodePort on both node
/// addresses, LoadBalancer (and Pending when provisioning is off), Ingress through nginx, hostPort, hostNetwork,
/// the API server's service proxy, port-forward, a read-only user, and an outside client that cannot reach
/// ClusterIPs or pod IPs. If one of these fails, the product's E2E verdicts about that route mean nothing.
/// </summary>
[Collection(ClusterCollection.Name)]
public sealed class ReferenceTests : IDisposable
{
    private const string InternalIp = "10.211.0.10";
    private const string ExternalIp = "10.211.1.10";
    private static readonly TimeSpan RouteTimeout = TimeSpan.FromSeconds(60);

    private readonly ClusterFixture _cluster;
    private string? _ns;

    public ReferenceTests(ClusterFixture cluster) => _cluster = cluster;

    private string Ns => _ns ??= _cluster.NewNamespace("ref");

    public void Dispose()
    {
        if (_ns is not null)
        {
            _cluster.Kubectl("delete", "namespace", _ns, "--wait=false");
        }
    }

    [SkippableFact]
    public void Deployment_pods_run_on_the_real_kubelet_with_pod_network_addresses()
    {
        _cluster.Require();
        _cluster.DeployWeb(Ns, "web", replicas: 2);

        var pods = Pods("app=web");
        Assert.Equal(2, pods.Count);
        foreach (var pod in pods)
        {
            Assert.Equal("Running", pod.GetProperty("status").GetProperty("phase").GetString());
            Assert.Equal("kx-node", pod.GetProperty("spec").GetProperty("nodeName").GetString());
            Assert.StartsWith("10.213.", pod.GetProperty("status").GetProperty("podIP").GetString());
            var containerId = pod.GetProperty("status").GetProperty("containerStatuses")[0].GetProperty("containerID").GetString();
            Assert.StartsWith("containerd://", containerId);
        }

        Assert.NotEqual(PodIp(pods[0]), PodIp(pods[1]));
        // The page names the pod: the two replicas answer differently on their own addresses.
        foreach (var pod in pods)
        {
            var name = pod.GetProperty("metadata").GetProperty("name").GetString()!;
            Assert.Contains($"host={name}", HostCurl($"http://{PodIp(pod)}/some/path").AssertSuccess().Output);
        }
    }

    [SkippableFact]
    public void Node_reports_version_1_20_2_and_an_InternalIP_and_an_ExternalIP()
    {
        _cluster.Require();
        var version = JsonDocument.Parse(_cluster.Kubectl("get", "--raw", "/version").AssertSuccess().Output).RootElement;
        Assert.Equal("v1.20.2", version.GetProperty("gitVersion").GetString());

        var node = JsonDocument.Parse(_cluster.Kubectl("get", "node", "kx-node", "-o", "json").AssertSuccess().Output).RootElement;
        var addresses = node.GetProperty("status").GetProperty("addresses").EnumerateArray()
            .ToDictionary(a => a.GetProperty("type").GetString()!, a => a.GetProperty("address").GetString()!);
        Assert.Equal(InternalIp, addresses["InternalIP"]);
        // Patched in by cluster.sh up; it must survive the kubelet's periodic status updates.
        Assert.Equal(ExternalIp, addresses["ExternalIP"]);
        Assert.Equal("v1.20.2", node.GetProperty("status").GetProperty("nodeInfo").GetProperty("kubeletVersion").GetString());
        Assert.Equal(InternalIp, _cluster.NodeInternalIp);
        Assert.Equal(ExternalIp, _cluster.NodeExternalIp);
        Assert.DoesNotContain("uninitialized", _cluster.Kubectl("get", "node", "kx-node", "-o", "jsonpath={.spec.taints}").Output);
    }

    [SkippableFact]
    public void ClusterIP_answers_from_the_node_and_balances_over_both_replicas()
    {
        _cluster.Require();
        _cluster.DeployWeb(Ns, "web", replicas: 2);
        _cluster.Kubectl("-n", Ns, "expose", "deployment/web", "--port", "80", "--target-port", "80").AssertSuccess();
        var clusterIp = ServiceField("web", "{.spec.clusterIP}");
        Assert.StartsWith("10.212.", clusterIp);

        var seen = new HashSet<string>();
        for (var i = 0; i < 60 && seen.Count < 2; i++)
        {
            var r = HostCurl($"http://{clusterIp}/");
            if (r.ExitCode == 0)
            {
                seen.Add(HostName(r.Output));
            }
            else
            {
                Thread.Sleep(500); // kube-proxy has not written the rules yet
            }
        }

        var podNames = Pods("app=web").Select(p => p.GetProperty("metadata").GetProperty("name").GetString()!).ToHashSet();
        Assert.Equal(podNames, seen);
    }

    [SkippableFact]
    public void NodePort_answers_on_both_node_addresses_from_outside()
    {
        _cluster.Require();
        _cluster.DeployWeb(Ns, "web", replicas: 2);
        _cluster.Kubectl("-n", Ns, "expose", "deployment/web", "--type", "NodePort", "--port", "80").AssertSuccess();
        var nodePort = ServiceField("web", "{.spec.ports[0].nodePort}");

        foreach (var address in new[] { InternalIp, ExternalIp })
        {
            var r = OutsideCurlUntilSuccess($"http://{address}:{nodePort}/");
            Assert.Contains("kubeexpose web host=web-", r.Output);
        }
    }

    [SkippableFact]
    public void Outside_cannot_reach_a_ClusterIP_or_a_pod_IP_but_reaches_the_NodePort_of_the_same_Service()
    {
        _cluster.Require();
        _cluster.DeployWeb(Ns, "web", replicas: 1);
        _cluster.Kubectl("-n", Ns, "expose", "deployment/web", "--type", "NodePort", "--port", "80").AssertSuccess();
        var clusterIp = ServiceField("web", "{.spec.clusterIP}");
        var nodePort = ServiceField("web", "{.spec.ports[0].nodePort}");
        var podIp = PodIp(Pods("app=web")[0]);

        // Control first: the outside client and the Service work, so the failures below are about the route.
        OutsideCurlUntilSuccess($"http://{ExternalIp}:{nodePort}/");
        HostCurlUntilSuccess($"http://{clusterIp}/");

        Assert.NotEqual(0, _cluster.Outside("curl", "-sS", "-m", "3", $"http://{clusterIp}/").ExitCode);
        Assert.NotEqual(0, _cluster.Outside("curl", "-sS", "-m", "3", $"http://{podIp}/").ExitCode);
    }

    [SkippableFact]
    public void LoadBalancer_gets_an_address_from_the_pool_that_answers_from_outside()
    {
        _cluster.Require();
        EnsureLoadBalancers("on");
        _cluster.DeployWeb(Ns, "web", replicas: 2);
        _cluster.Kubectl("-n", Ns, "expose", "deployment/web", "--type", "LoadBalancer", "--port", "8080", "--target-port", "80").AssertSuccess();

        var ip = WaitForLoadBalancerIp("web");
        Assert.StartsWith("10.214.0.", ip);
        var r = OutsideCurlUntilSuccess($"http://{ip}:8080/");
        Assert.Contains("kubeexpose web host=web-", r.Output);
    }

    [SkippableFact]
    public void LoadBalancer_stays_pending_while_provisioning_is_off_and_gets_an_address_when_it_is_back()
    {
        _cluster.Require();
        _cluster.DeployWeb(Ns, "web", replicas: 1);
        try
        {
            EnsureLoadBalancers("off");
            Assert.Contains("lb-controller", Script("status").Output);
            Assert.DoesNotContain("running", Script("status").Output.Split('\n').Single(l => l.StartsWith("lb-controller")));
            _cluster.Kubectl("-n", Ns, "expose", "deployment/web", "--type", "LoadBalancer", "--port", "80").AssertSuccess();
            // The controller polls every second; three of its periods without it are enough to see it is really off.
            Thread.Sleep(3000);
            Assert.Equal("", ServiceField("web", "{.status.loadBalancer.ingress}"));
        }
        finally
        {
            EnsureLoadBalancers("on");
        }

        Assert.StartsWith("10.214.0.", WaitForLoadBalancerIp("web"));
    }

    [SkippableFact]
    public void Ingress_routes_by_host_path_and_TLS_through_nginx_from_outside()
    {
        _cluster.Require();
        _cluster.DeployWeb(Ns, "alpha", replicas: 1);
        _cluster.DeployWeb(Ns, "beta", replicas: 1);
        _cluster.Kubectl("-n", Ns, "expose", "deployment/alpha", "--port", "80").AssertSuccess();
        _cluster.Kubectl("-n", Ns, "expose", "deployment/beta", "--port", "8080", "--target-port", "80").AssertSuccess();
        var (cert, key) = SelfSignedCertificate("alpha.kx.test");
        _cluster.Kubectl("-n", Ns, "create", "secret", "tls", "alpha-tls", "--cert", cert, "--key", key).AssertSuccess();

        // No ingressClassName: the default class (kx-nginx) is filled in by the API server.
        _cluster.ApplyYaml($$$"""
            apiVersion: networking.k8s.io/v1
            kind: Ingress
            metadata: {name: web, namespace: {{{Ns}}}}
            spec:
              tls:
              - {hosts: [alpha.kx.test], secretName: alpha-tls}
              rules:
              - host: alpha.kx.test
                http:
                  paths:
                  - path: /
                    pathType: Prefix
                    backend:
                      service:
                        name: alpha
                        port: {number: 80}
              - host: beta.kx.test
                http:
                  paths:
                  - path: /api
                    pathType: Prefix
                    backend:
                      service:
                        name: beta
                        port: {number: 8080}
                  - path: /exact
                    pathType: Exact
                    backend:
                      service:
                        name: alpha
                        port: {number: 80}
            """);
        Assert.Equal("kx-nginx", _cluster.Kubectl("-n", Ns, "get", "ingress", "web", "-o", "jsonpath={.spec.ingressClassName}").Output);
        ClusterFixture.WaitFor(
            () => _cluster.Kubectl("-n", Ns, "get", "ingress", "web", "-o", "jsonpath={.status.loadBalancer.ingress[0].ip}").Output == ExternalIp,
            RouteTimeout, "the Ingress status address");

        string Get(string host, string path, string scheme = "http", int expected = 200)
        {
            var port = scheme == "https" ? 443 : 80;
            string[] args = ["-sS", "-m", "5", "-o", "-", "-w", "\n%{http_code}", "--resolve", $"{host}:{port}:{ExternalIp}"];
            if (scheme == "https")
            {
                args = [.. args, "--cacert", cert];
            }

            CommandResult r = default!;
            ClusterFixture.WaitFor(() =>
            {
                r = _cluster.Outside(["curl", .. args, $"{scheme}://{host}{path}"]);
                return r.ExitCode == 0 && r.Output.TrimEnd().EndsWith(expected.ToString());
            }, RouteTimeout, $"{scheme}://{host}{path} to answer {expected} from outside (last: {r?.Output}{r?.Error})");
            return r.Output;
        }

        Assert.Contains("host=alpha-", Get("alpha.kx.test", "/any/path"));
        Assert.Contains("path=/any/path", Get("alpha.kx.test", "/any/path"));
        Assert.Contains("host=beta-", Get("beta.kx.test", "/api"));
        Assert.Contains("host=beta-", Get("beta.kx.test", "/api/v1/items"));
        Assert.Contains("host=alpha-", Get("beta.kx.test", "/exact"));
        Get("beta.kx.test", "/apix", expected: 404);       // Prefix matches whole path elements only
        Get("beta.kx.test", "/exact/more", expected: 404); // Exact is exact
        Get("nobody.kx.test", "/", expected: 404);          // unknown host: the default backend
        Assert.Contains("host=alpha-", Get("alpha.kx.test", "/", "https")); // verified against the Secret's certificate
    }

    [SkippableFact]
    public void HostPort_answers_on_both_node_addresses_from_outside()
    {
        _cluster.Require();
        _cluster.ApplyYaml($$$"""
            apiVersion: v1
            kind: Pod
            metadata: {name: hostport, namespace: {{{Ns}}}, labels: {app: hostport}}
            spec:
              terminationGracePeriodSeconds: 1
              containers:
              - name: web
                image: kubeexpose.local/web:1
                imagePullPolicy: Never
                ports: [{containerPort: 80, hostPort: 18080}]
            """);
        _cluster.WaitForPods(Ns, "app=hostport", 1);
        foreach (var address in new[] { InternalIp, ExternalIp })
        {
            Assert.Contains("host=hostport", OutsideCurlUntilSuccess($"http://{address}:18080/").Output);
        }
    }

    [SkippableFact]
    public void HostNetwork_pod_listens_on_the_node_address()
    {
        _cluster.Require();
        _cluster.ApplyYaml($$$"""
            apiVersion: v1
            kind: Pod
            metadata: {name: hostnet, namespace: {{{Ns}}}, labels: {app: hostnet}}
            spec:
              terminationGracePeriodSeconds: 1
              hostNetwork: true
              containers:
              - name: web
                image: kubeexpose.local/web:1
                imagePullPolicy: Never
                env: [{name: HTTP_PORT, value: "18081"}, {name: TLS_PORT, value: "0"}]
                ports: [{containerPort: 18081}]
            """);
        _cluster.WaitForPods(Ns, "app=hostnet", 1);
        Assert.Equal(InternalIp, _cluster.Kubectl("-n", Ns, "get", "pod", "hostnet", "-o", "jsonpath={.status.podIP}").Output);
        Assert.Contains("kubeexpose web host=", OutsideCurlUntilSuccess($"http://{InternalIp}:18081/").Output);
    }

    [SkippableFact]
    public void Api_server_service_proxy_reaches_the_pods()
    {
        _cluster.Require();
        _cluster.DeployWeb(Ns, "web", replicas: 1);
        _cluster.Kubectl("-n", Ns, "expose", "deployment/web", "--port", "80").AssertSuccess();
        CommandResult r = default!;
        ClusterFixture.WaitFor(() =>
        {
            r = _cluster.Kubectl("get", "--raw", $"/api/v1/namespaces/{Ns}/services/web:80/proxy/hello");
            return r.ExitCode == 0;
        }, RouteTimeout, $"the service proxy to answer (last: {r?.Error})");
        Assert.Contains("kubeexpose web host=web-", r.Output);
        Assert.Contains("path=/hello", r.Output);
    }

    [SkippableFact]
    public void Port_forward_reaches_a_pod_through_the_kubelet()
    {
        _cluster.Require();
        _cluster.DeployWeb(Ns, "web", replicas: 1);
        var psi = new ProcessStartInfo("kubectl") { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var a in new[] { "--kubeconfig", _cluster.KubeConfig, "-n", Ns, "port-forward", "deployment/web", ":80" })
        {
            psi.ArgumentList.Add(a);
        }

        using var forward = Process.Start(psi)!;
        try
        {
            // "Forwarding from 127.0.0.1:41234 -> 80"
            var line = forward.StandardOutput.ReadLineAsync().WaitAsync(TimeSpan.FromSeconds(60)).GetAwaiter().GetResult();
            var port = Regex.Match(line ?? "", @"127\.0\.0\.1:(\d+)").Groups[1].Value;
            Assert.False(string.IsNullOrEmpty(port), $"kubectl port-forward printed: {line}");
            Assert.Contains("kubeexpose web host=web-", HostCurl($"http://127.0.0.1:{port}/").AssertSuccess().Output);
        }
        finally
        {
            forward.Kill(entireProcessTree: true);
        }
    }

    [SkippableFact]
    public void Viewer_reads_everything_it_needs_but_cannot_create()
    {
        _cluster.Require();
        var viewer = _cluster.ViewerKubeConfig;
        Assert.True(File.Exists(viewer), $"viewer kubeconfig {viewer}");
        _cluster.KubectlWith(viewer, "-n", Ns, "get", "pods,services,endpoints,ingresses").AssertSuccess();
        _cluster.KubectlWith(viewer, "get", "nodes").AssertSuccess();
        var create = _cluster.KubectlWith(viewer, "-n", Ns, "create", "configmap", "nope", "--from-literal", "a=b");
        Assert.NotEqual(0, create.ExitCode);
        Assert.Contains("forbidden", create.Error, StringComparison.OrdinalIgnoreCase);
        Assert.Equal("no", _cluster.KubectlWith(viewer, "-n", Ns, "auth", "can-i", "create", "services").Output.Trim());
        Assert.Equal("yes", _cluster.Kubectl("-n", Ns, "auth", "can-i", "create", "services").Output.Trim());
    }

    [SkippableFact]
    public void Web_image_serves_TLS_on_8443_with_the_pod_name_in_the_certificate()
    {
        _cluster.Require();
        _cluster.DeployWeb(Ns, "web", replicas: 1);
        var pod = Pods("app=web")[0];
        var name = pod.GetProperty("metadata").GetProperty("name").GetString()!;
        var r = ClusterFixture.Run("bash", ["-c", $"echo | openssl s_client -connect {PodIp(pod)}:8443 2>/dev/null | openssl x509 -noout -subject"], TimeSpan.FromSeconds(20));
        Assert.Contains($"CN = {name}", r.Output);
    }

    // --- helpers ---

    private CommandResult Script(params string[] args) =>
        ClusterFixture.Run("bash", [ClusterFixture.ScriptPath, .. args], TimeSpan.FromSeconds(60));

    private void EnsureLoadBalancers(string mode) => _cluster.SetLoadBalancerProvisioning(mode == "on");

    private List<JsonElement> Pods(string selector) =>
        JsonDocument.Parse(_cluster.Kubectl("-n", Ns, "get", "pods", "-l", selector, "-o", "json").AssertSuccess().Output)
            .RootElement.GetProperty("items").EnumerateArray().ToList();

    private static string PodIp(JsonElement pod) => pod.GetProperty("status").GetProperty("podIP").GetString()!;

    private string ServiceField(string name, string jsonPath) =>
        _cluster.Kubectl("-n", Ns, "get", "service", name, "-o", $"jsonpath={jsonPath}").AssertSuccess().Output.Trim();

    private string WaitForLoadBalancerIp(string service)
    {
        var ip = "";
        ClusterFixture.WaitFor(() => (ip = ServiceField(service, "{.status.loadBalancer.ingress[0].ip}")) != "", RouteTimeout,
            $"a LoadBalancer address for {service}");
        return ip;
    }

    private static string HostName(string page) => Regex.Match(page, @"host=(\S+)").Groups[1].Value;

    private static CommandResult HostCurl(string url) =>
        ClusterFixture.Run("curl", ["-sS", "-m", "5", "--fail", url], TimeSpan.FromSeconds(20));

    private static CommandResult HostCurlUntilSuccess(string url)
    {
        CommandResult r = default!;
        ClusterFixture.WaitFor(() => (r = HostCurl(url)).ExitCode == 0, RouteTimeout, $"{url} from the node (last: {r?.Error})");
        return r;
    }

    private CommandResult OutsideCurlUntilSuccess(string url)
    {
        CommandResult r = default!;
        ClusterFixture.WaitFor(() => (r = _cluster.Outside("curl", "-sS", "-m", "5", "--fail", url)).ExitCode == 0, RouteTimeout,
            $"{url} from kx-outside (last: {r?.Error})");
        return r;
    }

    private static (string Cert, string Key) SelfSignedCertificate(string host)
    {
        var dir = Directory.CreateTempSubdirectory("kx-tls-").FullName;
        var cert = Path.Combine(dir, "tls.crt");
        var key = Path.Combine(dir, "tls.key");
        ClusterFixture.Run("openssl", ["req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "2", "-subj", $"/CN={host}",
            "-addext", $"subjectAltName=DNS:{host}", "-keyout", key, "-out", cert], TimeSpan.FromSeconds(30)).AssertSuccess();
        return (cert, key);
    }
}
