using System.Net.Sockets;
using System.Text;
using KubeExpose.Core.Cluster;
using KubeExpose.Core.Tunnels;
using Xunit;

namespace KubeExpose.Core.Tests.Tunnels;

/// <summary>
/// A real port-forward tunnel (listeners, pod watch, v4.channel.k8s.io WebSockets) against <see cref="FakeApiServer"/>
/// on loopback: spreading over pods, moving off pods that go away or cannot be streamed to, and surviving a refused
/// connection. The same behaviours are checked against the real kubelet in the E2E suite.
/// </summary>
public sealed class PortForwardLoopbackTests : IAsyncLifetime
{
    private readonly FakeApiServer _api = new();
    private Tunnel? _tunnel;

    public Task InitializeAsync() => Task.CompletedTask;

    private async Task<Tunnel> StartAsync(string ports = ":80", int podTimeoutSec = 10)
    {
        var start = await TunnelFactory.StartPortForwardAsync(
            new PortForwardRequest(new KubeConnectionOptions(_api.KubeConfig), "deploy/web", [ports], ["127.0.0.1"], TimeSpan.FromSeconds(podTimeoutSec)),
            Guid.NewGuid(), null, CancellationToken.None);
        _tunnel = start.Tunnel;
        return _tunnel;
    }

    private static int LocalPort(Tunnel tunnel) => new Uri(tunnel.Url!).Port;

    // Connects, reads the pod's greeting line, sends a payload and reads it back.
    private static async Task<string> ExchangeAsync(Tunnel tunnel, string payload = "ping")
    {
        using var client = new TcpClient();
        await client.ConnectAsync("127.0.0.1", LocalPort(tunnel));
        var stream = client.GetStream();
        var reader = new StreamReader(stream, Encoding.UTF8);
        var pod = await reader.ReadLineAsync() ?? throw new IOException("no greeting");
        await stream.WriteAsync(Encoding.UTF8.GetBytes(payload + "\n"));
        Assert.Equal(payload, await reader.ReadLineAsync());
        return pod;
    }

    private static async Task WaitUntilAsync(Func<bool> condition)
    {
        for (var i = 0; i < 200 && !condition(); i++)
        {
            await Task.Delay(50);
        }

        Assert.True(condition());
    }

    [Fact]
    public async Task Connections_spread_round_robin_over_ready_pods_only()
    {
        _api.SetPod("web-a");
        _api.SetPod("web-b");
        _api.SetPod("web-unready", ready: false);
        var tunnel = await StartAsync();
        Assert.Equal(TunnelState.Ready, tunnel.State);
        Assert.Equal(["web-a", "web-b"], tunnel.CurrentPods);

        var pods = new List<string>();
        for (var i = 0; i < 6; i++)
        {
            pods.Add(await ExchangeAsync(tunnel));
        }

        Assert.Equal(3, pods.Count(p => p == "web-a"));
        Assert.Equal(3, pods.Count(p => p == "web-b"));
        Assert.False(_api.Streams.ContainsKey("web-unready"));
        Assert.Equal(6, tunnel.TotalConnections);
        await WaitUntilAsync(() => tunnel.ActiveConnections == 0);
        Assert.True(tunnel.BytesIn >= 6 * 5 && tunnel.BytesOut >= 6 * (6 + 5));
    }

    [Fact]
    public async Task A_deleted_pod_is_left_and_its_replacement_used()
    {
        _api.SetPod("web-old");
        var tunnel = await StartAsync();
        Assert.Equal("web-old", await ExchangeAsync(tunnel));

        _api.DeletePod("web-old");
        await WaitUntilAsync(() => tunnel.State == TunnelState.Reconnecting);
        Assert.Empty(tunnel.CurrentPods);
        Assert.True(tunnel.Reconnects >= 1);

        // A connection made while no pod is usable waits for the replacement instead of failing.
        var pending = ExchangeAsync(tunnel);
        await Task.Delay(300);
        _api.SetPod("web-new");
        Assert.Equal("web-new", await pending);
        Assert.Equal(TunnelState.Ready, tunnel.State);
    }

    [Fact]
    public async Task A_pod_that_cannot_be_streamed_to_is_skipped()
    {
        _api.SetPod("web-a", behaviour: FakeApiServer.Behaviour.Gone);
        _api.SetPod("web-b");
        var tunnel = await StartAsync();
        for (var i = 0; i < 4; i++)
        {
            Assert.Equal("web-b", await ExchangeAsync(tunnel));
        }

        Assert.True(tunnel.Reconnects >= 1);
        Assert.Contains("web-a", tunnel.LastError, StringComparison.Ordinal);
        Assert.Equal(TunnelState.Ready, tunnel.State);
    }

    [Fact]
    public async Task A_refused_connection_is_recorded_and_the_tunnel_keeps_serving()
    {
        _api.SetPod("web-a", behaviour: FakeApiServer.Behaviour.Refuse);
        var tunnel = await StartAsync();
        using (var client = new TcpClient())
        {
            await client.ConnectAsync("127.0.0.1", LocalPort(tunnel));
            var read = await client.GetStream().ReadAsync(new byte[16]);
            Assert.Equal(0, read); // closed by the tunnel after the pod refused
        }

        await WaitUntilAsync(() => tunnel.LastError?.Contains("connection refused", StringComparison.Ordinal) == true);
        _api.SetPod("web-a");
        Assert.Equal("web-a", await ExchangeAsync(tunnel));
        Assert.Equal(TunnelState.Ready, tunnel.State);
    }

    [Fact]
    public async Task Many_concurrent_connections_all_succeed_with_large_payloads()
    {
        _api.SetPod("web-a");
        _api.SetPod("web-b");
        var tunnel = await StartAsync();
        var payload = new string('x', 200_000);
        var pods = await Task.WhenAll(Enumerable.Range(0, 100).Select(_ => ExchangeAsync(tunnel, payload)));
        Assert.Equal(50, pods.Count(p => p == "web-a"));
        Assert.Equal(100, tunnel.TotalConnections);
    }

    [Fact]
    public async Task Missing_port_forward_permission_fails_at_start()
    {
        _api.SetPod("web-a");
        _api.PortForwardAllowed = false;
        var e = await Assert.ThrowsAsync<KubeExposeException>(() => StartAsync());
        Assert.Equal("PortForwardForbidden", e.ErrorId);
        Assert.Equal(KubeExposeErrorKind.PermissionDenied, e.Kind);
        Assert.Contains("pods/portforward", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task No_usable_pod_at_start_times_out_naming_the_pods()
    {
        _api.SetPod("web-a", ready: false);
        var e = await Assert.ThrowsAsync<KubeExposeException>(() => StartAsync(podTimeoutSec: 1));
        Assert.Equal("NoReadyPod", e.ErrorId);
        Assert.Contains("web-a (Running, not ready)", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_bare_port_name_listens_on_the_container_port_number_and_stop_closes_it()
    {
        _api.SetPod("web-a");
        var start = await TunnelFactory.StartPortForwardAsync(
            new PortForwardRequest(new KubeConnectionOptions(_api.KubeConfig), "deploy/web", ["0:http"], ["127.0.0.1"]), Guid.NewGuid(), null, CancellationToken.None);
        _tunnel = start.Tunnel;
        Assert.EndsWith(" -> http", Assert.Single(_tunnel.LocalEndpoints), StringComparison.Ordinal);
        Assert.Equal("web-a", await ExchangeAsync(_tunnel));
        var port = LocalPort(_tunnel);
        await _tunnel.StopAsync();
        Assert.Equal(TunnelState.Stopped, _tunnel.State);
        using var client = new TcpClient();
        await Assert.ThrowsAnyAsync<SocketException>(() => client.ConnectAsync("127.0.0.1", port));
    }

    public async Task DisposeAsync()
    {
        if (_tunnel is not null)
        {
            await _tunnel.StopAsync();
        }

        await _api.DisposeAsync();
    }
}
