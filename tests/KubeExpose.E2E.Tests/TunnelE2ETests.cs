using System.Diagnostics;
using System.Management.Automation;
using System.Net;
using System.Security.Cryptography;
using System.Text.RegularExpressions;
using KubeExpose.Tests;
using Xunit;

namespace KubeExpose.E2E.Tests;

/// <summary>
/// Start-KubeProxyTunnel against the real kubelet and API server of the local cluster: pages through the tunnel,
/// pod replacement and rollouts, concurrency, a byte-exact 256 MiB transfer, spreading over replicas, refused
/// connections, and the API proxy compared with kubectl proxy.
/// </summary>
[Collection(ClusterCollection.Name)]
public sealed class TunnelE2ETests : IDisposable
{
    private readonly ClusterFixture _cluster;
    private readonly List<string> _namespaces = [];
    private readonly List<ModuleHost> _hosts = [];

    public TunnelE2ETests(ClusterFixture cluster) => _cluster = cluster;

    private string Namespace(string prefix)
    {
        var ns = _cluster.NewNamespace(prefix);
        _namespaces.Add(ns);
        return ns;
    }

    private ModuleHost Host()
    {
        var host = _cluster.NewModuleHost();
        _hosts.Add(host);
        return host;
    }

    private static PSObject Start(ModuleHost host, string arguments) =>
        host.Run($"Start-KubeProxyTunnel {arguments}").AssertSuccess().Output.Single();

    private static T Property<T>(PSObject tunnel, string name) => (T)tunnel.Properties[name].Value;

    private static string Url(PSObject tunnel) => Property<string>(tunnel, "Url");

    /// <summary>One HTTP GET on its own TCP connection (so each request is one forwarded connection).</summary>
    private static async Task<string> GetAsync(string url)
    {
        using var client = new HttpClient(new SocketsHttpHandler { UseProxy = false, PooledConnectionLifetime = TimeSpan.Zero })
        {
            Timeout = TimeSpan.FromSeconds(60),
        };
        client.DefaultRequestHeaders.ConnectionClose = true;
        return await client.GetStringAsync(url);
    }

    private string PodNames(string ns, string selector) =>
        _cluster.Kubectl("-n", ns, "get", "pods", "-l", selector, "-o", "jsonpath={.items[*].metadata.name}").AssertSuccess().Output;

    [SkippableFact]
    public async Task Forwards_a_deployment_and_serves_its_page()
    {
        _cluster.Require();
        var ns = Namespace("tun-page");
        _cluster.DeployWeb(ns, "web");
        var host = Host();
        var tunnel = Start(host, $"deploy/web :80 -Namespace {ns}");
        Assert.Equal("Ready", tunnel.Properties["State"].Value.ToString());
        Assert.Equal("deploy/web", Property<string>(tunnel, "Target"));

        var page = await GetAsync(Url(tunnel));
        var pod = PodNames(ns, "app=web").Trim();
        Assert.Contains(pod, page, StringComparison.Ordinal);
        Assert.Equal([pod], Property<IReadOnlyList<string>>(tunnel, "CurrentPods"));
        Assert.True(Property<long>(tunnel, "BytesOut") > 0);
    }

    [SkippableFact]
    public async Task Survives_pod_deletion_and_a_rollout()
    {
        _cluster.Require();
        var ns = Namespace("tun-heal");
        _cluster.DeployWeb(ns, "web");
        var host = Host();
        var tunnel = Start(host, $"deploy/web :80 -Namespace {ns}");
        var first = PodNames(ns, "app=web").Trim();
        Assert.Contains(first, await GetAsync(Url(tunnel)), StringComparison.Ordinal);

        _cluster.Kubectl("-n", ns, "delete", "pod", first, "--wait=false").AssertSuccess();
        ClusterFixture.WaitFor(() => PodNames(ns, "app=web").Split(' ', StringSplitOptions.RemoveEmptyEntries).Any(p => p != first),
            TimeSpan.FromSeconds(60), "a replacement pod");
        var second = PodNames(ns, "app=web").Split(' ', StringSplitOptions.RemoveEmptyEntries).Single(p => p != first);
        ClusterFixture.WaitFor(() => _cluster.Kubectl("-n", ns, "get", "pod", second, "-o", "jsonpath={.status.conditions[?(@.type==\"Ready\")].status}").Output == "True",
            TimeSpan.FromSeconds(120), $"pod {second} Ready");

        // The same tunnel object, no restart: the next connection lands on the replacement.
        Assert.Contains(second, await GetAsync(Url(tunnel)), StringComparison.Ordinal);
        Assert.True(Property<long>(tunnel, "Reconnects") > 0);
        Assert.Equal("Ready", tunnel.Properties["State"].Value.ToString());

        _cluster.Kubectl("-n", ns, "rollout", "restart", "deploy/web").AssertSuccess();
        _cluster.Kubectl("-n", ns, "rollout", "status", "deploy/web", "--timeout=120s").AssertSuccess();
        ClusterFixture.WaitFor(() => PodNames(ns, "app=web").Split(' ', StringSplitOptions.RemoveEmptyEntries).Length == 1, TimeSpan.FromSeconds(60), "the old pod gone");
        var third = PodNames(ns, "app=web").Trim();
        Assert.NotEqual(second, third);
        Assert.Contains(third, await GetAsync(Url(tunnel)), StringComparison.Ordinal);
        var listed = host.Run($"Get-KubeProxyTunnel -Id {Property<int>(tunnel, "Id")}").AssertSuccess().Output.Single();
        Assert.Equal([third], Property<IReadOnlyList<string>>(listed, "CurrentPods"));
    }

    [SkippableFact]
    public async Task Hundred_concurrent_connections_succeed_and_spread_over_two_replicas()
    {
        _cluster.Require();
        var ns = Namespace("tun-many");
        _cluster.DeployWeb(ns, "web", replicas: 2);
        var host = Host();
        var tunnel = Start(host, $"deploy/web :80 -Namespace {ns}");
        var pages = await Task.WhenAll(Enumerable.Range(0, 100).Select(_ => GetAsync(Url(tunnel))));
        var pods = PodNames(ns, "app=web").Split(' ', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(2, pods.Length);
        Assert.All(pages, p => Assert.Contains(pods, pod => p.Contains(pod, StringComparison.Ordinal)));
        var counts = pods.Select(pod => pages.Count(p => p.Contains(pod, StringComparison.Ordinal))).ToArray();
        Assert.Equal(100, counts.Sum());
        Assert.Equal(50, counts[0]); // strict round-robin over the two ready pods
        Assert.Equal(100L, Property<long>(tunnel, "TotalConnections"));
    }

    [SkippableFact]
    public async Task Forwards_a_service_port_to_its_target_port()
    {
        _cluster.Require();
        var ns = Namespace("tun-svc");
        _cluster.DeployWeb(ns, "web", replicas: 2);
        _cluster.Kubectl("-n", ns, "expose", "deploy/web", "--port=8080", "--target-port=http", "--name=web").AssertSuccess();
        var host = Host();
        var tunnel = Start(host, $"svc/web :8080 -Namespace {ns}");
        Assert.Contains("web-", await GetAsync(Url(tunnel)), StringComparison.Ordinal);
        Assert.Equal(2, Property<IReadOnlyList<string>>(tunnel, "CurrentPods").Count);

        var udp = host.Run($"Start-KubeProxyTunnel svc/web :9999 -Namespace {ns}");
        Assert.Contains(udp.Errors, e => e.FullyQualifiedErrorId.StartsWith("ServicePortNotFound,", StringComparison.Ordinal));
    }

    [SkippableFact]
    public async Task A_refused_connection_does_not_stop_the_tunnel()
    {
        _cluster.Require();
        var ns = Namespace("tun-refuse");
        _cluster.DeployWeb(ns, "web");
        var host = Host();
        // Port 81 has no listener in the pod: the kubelet reports "connection refused" on the error channel.
        var tunnel = Start(host, $"deploy/web :80,:81 -Namespace {ns}");
        var endpoints = Property<IReadOnlyList<string>>(tunnel, "LocalEndpoints");
        var refusedPort = int.Parse(Regex.Match(endpoints.First(e => e.StartsWith("127.0.0.1:", StringComparison.Ordinal) && e.EndsWith("-> 81", StringComparison.Ordinal)), @":(\d+) ->").Groups[1].Value);

        await Assert.ThrowsAnyAsync<HttpRequestException>(() => GetAsync($"http://127.0.0.1:{refusedPort}/"));
        ClusterFixture.WaitFor(() => Property<string?>(tunnel, "LastError")?.Contains("refused", StringComparison.OrdinalIgnoreCase) == true,
            TimeSpan.FromSeconds(30), "the refused connection recorded on the tunnel");
        for (var i = 0; i < 3; i++)
        {
            Assert.Contains("web-", await GetAsync(Url(tunnel)), StringComparison.Ordinal);
        }

        Assert.Equal("Ready", tunnel.Properties["State"].Value.ToString());
    }

    [SkippableFact]
    public async Task Wait_keeps_the_tunnel_in_the_foreground_until_ctrl_c_then_stops_it()
    {
        _cluster.Require();
        var ns = Namespace("tun-wait");
        _cluster.DeployWeb(ns, "web");
        var host = Host();
        using var ps = PowerShell.Create();
        ps.Runspace = host.Runspace;
        ps.AddScript($"Start-KubeProxyTunnel deploy/web :80 -Namespace {ns} -Wait");
        var output = new PSDataCollection<PSObject>();
        var running = ps.BeginInvoke<PSObject, PSObject>(null, output);

        // The tunnel object comes out once it is Ready, while the command stays in the foreground.
        ClusterFixture.WaitFor(() => output.Count > 0 || running.IsCompleted, TimeSpan.FromSeconds(120), "the tunnel object from -Wait");
        Assert.False(running.IsCompleted); // (enumerating the running pipeline's streams here would block)
        var tunnel = output[0];
        Assert.Equal("Ready", tunnel.Properties["State"].Value.ToString());
        Assert.Contains("web-", await GetAsync(Url(tunnel)), StringComparison.Ordinal);
        Assert.Equal(PSInvocationState.Running, ps.InvocationStateInfo.State);

        ps.Stop(); // what Ctrl+C does to the running command
        Assert.ThrowsAny<PipelineStoppedException>(() => ps.EndInvoke(running));
        Assert.Equal(PSInvocationState.Stopped, ps.InvocationStateInfo.State);
        Assert.Equal("Stopped", tunnel.Properties["State"].Value.ToString());
        using var probe = new System.Net.Sockets.TcpClient();
        await Assert.ThrowsAnyAsync<System.Net.Sockets.SocketException>(() => probe.ConnectAsync("127.0.0.1", new Uri(Url(tunnel)).Port));
        var id = Property<int>(tunnel, "Id");
        var stillRunning = host.Run($"@(Get-KubeProxyTunnel | Where-Object {{ $_.Id -eq {id} -and $_.State -ne 'Stopped' }}).Count").AssertSuccess().Output.Single();
        Assert.Equal(0, (int)stillRunning.BaseObject);
    }

    [SkippableFact]
    public async Task A_256_MiB_transfer_is_byte_exact()
    {
        _cluster.Require();
        var ns = Namespace("tun-big");
        _cluster.ApplyYaml($$$"""
            apiVersion: v1
            kind: Pod
            metadata: {name: big, namespace: {{{ns}}}, labels: {app: big}}
            spec:
              terminationGracePeriodSeconds: 1
              containers:
              - name: big
                image: kubeexpose.local/web:1
                imagePullPolicy: Never
                command: ["/bin/sh", "-c", "mkdir -p /data && dd if=/dev/urandom of=/data/big bs=1048576 count=256 2>/dev/null && sha256sum /data/big | cut -d' ' -f1 > /data/big.sha256 && exec httpd -f -p 8080 -h /data"]
                ports: [{name: files, containerPort: 8080}]
                readinessProbe: {tcpSocket: {port: 8080}, periodSeconds: 1}
            """);
        _cluster.WaitForPods(ns, "app=big", 1, TimeSpan.FromSeconds(180));
        var host = Host();
        var tunnel = Start(host, $"pod/big :files -Namespace {ns}");

        var expected = (await GetAsync(Url(tunnel) + "big.sha256")).Trim();
        using var client = new HttpClient(new SocketsHttpHandler { UseProxy = false }) { Timeout = TimeSpan.FromMinutes(5) };
        await using var body = await client.GetStreamAsync(Url(tunnel) + "big");
        using var sha = SHA256.Create();
        var buffer = new byte[1 << 20];
        long total = 0;
        int read;
        while ((read = await body.ReadAsync(buffer)) > 0)
        {
            sha.TransformBlock(buffer, 0, read, null, 0);
            total += read;
        }

        sha.TransformFinalBlock([], 0, 0);
        Assert.Equal(256L * 1024 * 1024, total);
        Assert.Equal(expected, Convert.ToHexStringLower(sha.Hash!));
    }

    [SkippableFact]
    public async Task Api_proxy_serves_the_api_and_the_service_proxy_like_kubectl_proxy()
    {
        _cluster.Require();
        var ns = Namespace("tun-api");
        _cluster.DeployWeb(ns, "web");
        _cluster.Kubectl("-n", ns, "expose", "deploy/web", "--port=80", "--name=web").AssertSuccess();
        ClusterFixture.WaitFor(() => _cluster.Kubectl("-n", ns, "get", "endpoints", "web", "-o", "jsonpath={.subsets[*].addresses[*].ip}").Output.Length > 0,
            TimeSpan.FromSeconds(60), "endpoints of web");
        var host = Host();
        var tunnel = Start(host, $"-ApiProxy -Port 0 -Service svc/web:80 -Namespace {ns}");
        var url = Url(tunnel);
        var baseUrl = new Uri(url).GetLeftPart(UriPartial.Authority);
        Assert.Equal($"{baseUrl}/api/v1/namespaces/{ns}/services/web:80/proxy/", url);

        using var client = new HttpClient(new SocketsHttpHandler { UseProxy = false });
        var page = await client.GetStringAsync(url);
        Assert.Contains(PodNames(ns, "app=web").Trim(), page, StringComparison.Ordinal);
        var namespaces = await client.GetAsync($"{baseUrl}/api/v1/namespaces");
        Assert.Equal(HttpStatusCode.OK, namespaces.StatusCode);
        Assert.Contains(ns, await namespaces.Content.ReadAsStringAsync(), StringComparison.Ordinal);

        var pod = PodNames(ns, "app=web").Trim();
        var exec = await client.PostAsync($"{baseUrl}/api/v1/namespaces/{ns}/pods/{pod}/exec?command=ls", null);
        Assert.Equal(HttpStatusCode.Forbidden, exec.StatusCode);
        using var foreign = new HttpRequestMessage(HttpMethod.Get, $"{baseUrl}/api/v1/namespaces");
        foreign.Headers.Host = "evil.example";
        Assert.Equal(HttpStatusCode.Forbidden, (await client.SendAsync(foreign)).StatusCode);

        // The same requests through the real kubectl proxy give the same answers.
        using var kubectl = StartKubectlProxy();
        var kubectlBase = kubectl.BaseUrl;
        Assert.Equal(page, await client.GetStringAsync($"{kubectlBase}/api/v1/namespaces/{ns}/services/web:80/proxy/"));
        var kubectlExec = await client.PostAsync($"{kubectlBase}/api/v1/namespaces/{ns}/pods/{pod}/exec?command=ls", null);
        Assert.Equal(exec.StatusCode, kubectlExec.StatusCode);
        Assert.Equal(await kubectlExec.Content.ReadAsStringAsync(), await exec.Content.ReadAsStringAsync());
        var ours = await client.GetStringAsync($"{baseUrl}/api/v1/namespaces/{ns}/services/web");
        var theirs = await client.GetStringAsync($"{kubectlBase}/api/v1/namespaces/{ns}/services/web");
        Assert.Equal(theirs, ours);

        var refused = host.Run("Start-KubeProxyTunnel -ApiProxy -Port 0 -Address 0.0.0.0");
        Assert.Contains(refused.Errors, e => e.FullyQualifiedErrorId.StartsWith("RemoteAccessNotAllowed,", StringComparison.Ordinal));
    }

    [SkippableFact]
    public async Task Api_proxy_passes_watches_and_websocket_upgrades()
    {
        _cluster.Require();
        var ns = Namespace("tun-watch");
        var host = Host();
        var tunnel = Start(host, $"-ApiProxy -Port 0 -Namespace {ns}");
        var baseUrl = new Uri(Url(tunnel)).GetLeftPart(UriPartial.Authority);
        using var client = new HttpClient(new SocketsHttpHandler { UseProxy = false }) { Timeout = Timeout.InfiniteTimeSpan };
        using var response = await client.GetAsync($"{baseUrl}/api/v1/namespaces/{ns}/configmaps?watch=true", HttpCompletionOption.ResponseHeadersRead);
        using var reader = new StreamReader(await response.Content.ReadAsStreamAsync());
        _cluster.Kubectl("-n", ns, "create", "configmap", "watched", "--from-literal=a=b").AssertSuccess();
        string? line;
        do
        {
            line = await reader.ReadLineAsync().WaitAsync(TimeSpan.FromSeconds(60));
        }
        while (line is not null && !line.Contains("\"watched\"", StringComparison.Ordinal));
        Assert.NotNull(line);

        // A WebSocket port-forward through the proxy (an upgrade the filter allows) reaches the pod.
        _cluster.DeployWeb(ns, "web");
        var pod = PodNames(ns, "app=web").Trim();
        using var ws = new System.Net.WebSockets.ClientWebSocket();
        ws.Options.AddSubProtocol("v4.channel.k8s.io");
        await ws.ConnectAsync(new Uri($"{baseUrl.Replace("http", "ws", StringComparison.Ordinal)}/api/v1/namespaces/{ns}/pods/{pod}/portforward?ports=80"), CancellationToken.None);
        Assert.Equal("v4.channel.k8s.io", ws.SubProtocol);
    }

    [SkippableFact]
    public void A_user_without_port_forward_rights_is_told_at_start()
    {
        _cluster.Require();
        Skip.If(_cluster.ViewerKubeConfig.Length == 0, "cluster.sh env exports no viewer kubeconfig");
        var ns = Namespace("tun-rbac");
        _cluster.DeployWeb(ns, "web");
        var host = Host();
        var result = host.Run($"Start-KubeProxyTunnel deploy/web :80 -Namespace {ns} -KubeConfig '{_cluster.ViewerKubeConfig}'");
        var error = result.Exception is IContainsErrorRecord e ? e.ErrorRecord : Assert.Single(result.Errors);
        Assert.Equal("PortForwardForbidden,KubeExpose.Commands.StartKubeProxyTunnelCommand", error.FullyQualifiedErrorId);
        Assert.Equal(ErrorCategory.PermissionDenied, error.CategoryInfo.Category);
        // kubectl agrees that this user may not port-forward.
        Assert.Equal("no", _cluster.KubectlWith(_cluster.ViewerKubeConfig, "auth", "can-i", "create", "pods/portforward", "-n", ns).Output.Trim());
    }

    private sealed class KubectlProxy(Process process, string baseUrl) : IDisposable
    {
        public string BaseUrl { get; } = baseUrl;

        public void Dispose()
        {
            process.Kill(entireProcessTree: true);
            process.WaitForExit();
            process.Dispose();
        }
    }

    private KubectlProxy StartKubectlProxy()
    {
        var psi = new ProcessStartInfo("kubectl") { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var a in new[] { "--kubeconfig", _cluster.KubeConfig, "proxy", "--port=0" })
        {
            psi.ArgumentList.Add(a);
        }

        var process = Process.Start(psi)!;
        var line = process.StandardOutput.ReadLine() ?? throw new Xunit.Sdk.XunitException($"kubectl proxy printed nothing: {process.StandardError.ReadToEnd()}");
        var address = Regex.Match(line, @"Starting to serve on (\S+)").Groups[1].Value;
        return new KubectlProxy(process, $"http://{address}");
    }

    public void Dispose()
    {
        foreach (var host in _hosts)
        {
            host.Run("Stop-KubeProxyTunnel -All");
            host.Dispose();
        }

        foreach (var ns in _namespaces)
        {
            _cluster.Kubectl("delete", "namespace", ns, "--wait=false");
        }
    }
}
