using System.Net;
using System.Net.Sockets;
using System.Net.WebSockets;
using System.Text;
using k8s;
using KubeExpose.Core.Tunnels;
using Xunit;

namespace KubeExpose.Core.Tests.Tunnels;

/// <summary>
/// The API proxy against a fake API server on loopback, all over real sockets: filters, credentials, bodies,
/// streaming, keep-alive and upgraded (WebSocket) connections.
/// </summary>
public sealed class ApiProxyLoopbackTests : IAsyncLifetime
{
    private const string Token = "fake-admin-token";
    private readonly HttpListener _upstream = new();
    private readonly List<(string Method, string Path, string? Authorization, string? Host, string Body)> _seen = [];
    private Tunnel _tunnel = null!;
    private ApiProxyServer _proxy = null!;
    private Task _serving = Task.CompletedTask;
    private int _upstreamPort;

    public Task InitializeAsync() => StartAsync(new ProxyFilter(), "/");

    private async Task StartAsync(ProxyFilter filter, string prefix)
    {
        if (_proxy is not null)
        {
            await _proxy.StopAsync();
        }

        if (!_upstream.IsListening)
        {
            _upstreamPort = FreePort();
            _upstream.Prefixes.Add($"http://127.0.0.1:{_upstreamPort}/");
            _upstream.Start();
            _serving = ServeUpstreamAsync();
        }

        var transport = new ClusterTransport(new KubernetesClientConfiguration { Host = $"http://127.0.0.1:{_upstreamPort}", AccessToken = Token });
        _tunnel = new Tunnel(TunnelRegistry.Default.NextId(), TunnelKind.ApiProxy, "fake", "default");
        _proxy = new ApiProxyServer(transport, filter, prefix, _tunnel);
        _proxy.Start(ListenAddresses.Parse(["127.0.0.1"]), 0);
    }

    private static int FreePort()
    {
        using var probe = new TcpListener(IPAddress.Loopback, 0);
        probe.Start();
        return ((IPEndPoint)probe.LocalEndpoint).Port;
    }

    private async Task ServeUpstreamAsync()
    {
        while (_upstream.IsListening)
        {
            HttpListenerContext context;
            try
            {
                context = await _upstream.GetContextAsync();
            }
            catch (Exception)
            {
                return;
            }

            _ = Task.Run(() => AnswerAsync(context));
        }
    }

    private async Task AnswerAsync(HttpListenerContext context)
    {
        var request = context.Request;
        var body = await new StreamReader(request.InputStream).ReadToEndAsync();
        lock (_seen)
        {
            _seen.Add((request.HttpMethod, request.RawUrl!, request.Headers["Authorization"], request.Headers["Host"], body));
        }

        var response = context.Response;
        if (request.IsWebSocketRequest)
        {
            var ws = (await context.AcceptWebSocketAsync("v4.channel.k8s.io")).WebSocket;
            var buffer = new byte[1024];
            while (true)
            {
                var r = await ws.ReceiveAsync(buffer, CancellationToken.None);
                if (r.MessageType == WebSocketMessageType.Close)
                {
                    await ws.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, null, CancellationToken.None);
                    return;
                }

                await ws.SendAsync(buffer.AsMemory(0, r.Count), r.MessageType, r.EndOfMessage, CancellationToken.None);
            }
        }

        if (request.RawUrl == "/stream")
        {
            response.SendChunked = true;
            for (var i = 0; i < 3; i++)
            {
                var line = Encoding.UTF8.GetBytes($"{{\"event\":{i}}}\n");
                await response.OutputStream.WriteAsync(line);
                await response.OutputStream.FlushAsync();
                await Task.Delay(50);
            }

            response.Close();
            return;
        }

        var answer = Encoding.UTF8.GetBytes(request.HttpMethod == "POST" ? $"echo:{body}" : $"{{\"path\":\"{request.RawUrl}\"}}");
        response.StatusCode = request.RawUrl!.Contains("missing", StringComparison.Ordinal) ? 404 : 200;
        response.ContentType = "application/json";
        response.ContentLength64 = answer.Length;
        await response.OutputStream.WriteAsync(answer);
        response.Close();
    }

    private HttpClient Client(string? host = null)
    {
        var client = new HttpClient(new SocketsHttpHandler { UseProxy = false }) { BaseAddress = new Uri(_proxy.BaseUrl) };
        if (host is not null)
        {
            client.DefaultRequestHeaders.Host = host;
        }

        return client;
    }

    [Fact]
    public async Task Get_passes_with_the_kubeconfig_token_and_the_upstream_host()
    {
        using var client = Client();
        var response = await client.GetAsync("/api/v1/namespaces?limit=1");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("{\"path\":\"/api/v1/namespaces?limit=1\"}", await response.Content.ReadAsStringAsync());
        Assert.Equal("application/json", response.Content.Headers.ContentType?.MediaType);
        var seen = _seen.Single(s => s.Path == "/api/v1/namespaces?limit=1");
        Assert.Equal($"Bearer {Token}", seen.Authorization);
        Assert.Equal($"127.0.0.1:{_upstreamPort}", seen.Host);
        Assert.Equal(1, _tunnel.TotalConnections);
    }

    [Fact]
    public async Task Upstream_status_codes_pass_through()
    {
        using var client = Client();
        Assert.Equal(HttpStatusCode.NotFound, (await client.GetAsync("/api/v1/missing")).StatusCode);
    }

    [Fact]
    public async Task Exec_attach_and_foreign_hosts_get_kubectls_403()
    {
        using var client = Client();
        foreach (var path in new[] { "/api/v1/namespaces/default/pods/web/exec?command=sh", "/api/v1/namespaces/default/pods/web/attach",
                     "/api/v1/namespaces/default/pods/web/ex%65c" })
        {
            var response = await client.PostAsync(path, new StringContent("x"));
            Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
            Assert.Equal("Forbidden\n", await response.Content.ReadAsStringAsync());
        }

        using var foreign = Client("evil.example");
        Assert.Equal(HttpStatusCode.Forbidden, (await foreign.GetAsync("/api/v1/namespaces")).StatusCode);
        Assert.DoesNotContain(_seen, s => s.Path.Contains("exec", StringComparison.Ordinal) || s.Path.Contains("attach", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Request_bodies_pass_with_length_and_chunked()
    {
        using var client = Client();
        var fixedLength = await client.PostAsync("/api/v1/namespaces", new StringContent("{\"a\":1}"));
        Assert.Equal("echo:{\"a\":1}", await fixedLength.Content.ReadAsStringAsync());

        var chunked = new StreamContent(new MemoryStream(Encoding.UTF8.GetBytes(new string('z', 100_000))));
        var request = new HttpRequestMessage(HttpMethod.Post, "/api/v1/big") { Content = chunked };
        request.Headers.TransferEncodingChunked = true;
        var response = await client.SendAsync(request);
        Assert.Equal("echo:" + new string('z', 100_000), await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task Streamed_responses_arrive_piece_by_piece()
    {
        using var client = Client();
        using var response = await client.GetAsync("/stream", HttpCompletionOption.ResponseHeadersRead);
        using var reader = new StreamReader(await response.Content.ReadAsStreamAsync());
        Assert.Equal("{\"event\":0}", await reader.ReadLineAsync());
        Assert.Equal("{\"event\":1}", await reader.ReadLineAsync());
        Assert.Equal("{\"event\":2}", await reader.ReadLineAsync());
        Assert.Null(await reader.ReadLineAsync());
    }

    [Fact]
    public async Task One_connection_carries_many_requests()
    {
        using var client = Client();
        for (var i = 0; i < 20; i++)
        {
            Assert.Equal(HttpStatusCode.OK, (await client.GetAsync($"/api/v1/n{i}")).StatusCode);
        }

        Assert.Equal(1, _tunnel.TotalConnections);
    }

    [Fact]
    public async Task Upgrade_requests_are_spliced_through()
    {
        using var ws = new ClientWebSocket();
        ws.Options.AddSubProtocol("v4.channel.k8s.io");
        await ws.ConnectAsync(new Uri(_proxy.BaseUrl.Replace("http", "ws", StringComparison.Ordinal) + "/api/v1/namespaces/default/pods/web/portforward?ports=80"), CancellationToken.None);
        Assert.Equal("v4.channel.k8s.io", ws.SubProtocol);
        await ws.SendAsync("hello"u8.ToArray(), WebSocketMessageType.Binary, true, CancellationToken.None);
        var buffer = new byte[64];
        var r = await ws.ReceiveAsync(buffer, CancellationToken.None);
        Assert.Equal("hello", Encoding.UTF8.GetString(buffer, 0, r.Count));
        Assert.Equal($"Bearer {Token}", _seen.Single(s => s.Path.Contains("portforward", StringComparison.Ordinal)).Authorization);
    }

    [Fact]
    public async Task Upgrades_to_rejected_paths_are_refused_before_reaching_the_server()
    {
        using var ws = new ClientWebSocket();
        var e = await Assert.ThrowsAsync<WebSocketException>(() => ws.ConnectAsync(
            new Uri(_proxy.BaseUrl.Replace("http", "ws", StringComparison.Ordinal) + "/api/v1/namespaces/default/pods/web/exec?command=sh"), CancellationToken.None));
        Assert.Contains("403", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_non_api_prefix_is_stripped_and_other_paths_are_404()
    {
        await StartAsync(new ProxyFilter(), "/k8s/");
        using var client = Client();
        var response = await client.GetAsync("/k8s/api/v1/namespaces");
        Assert.Equal("{\"path\":\"/api/v1/namespaces\"}", await response.Content.ReadAsStringAsync());
        Assert.Equal(HttpStatusCode.NotFound, (await client.GetAsync("/api/v1/namespaces")).StatusCode);
        Assert.Equal("/k8s", _proxy.ClientPathPrefix);
    }

    [Fact]
    public async Task Malformed_requests_get_400_and_the_proxy_keeps_serving()
    {
        using (var raw = new TcpClient())
        {
            await raw.ConnectAsync(IPAddress.Loopback, new Uri(_proxy.BaseUrl).Port);
            var stream = raw.GetStream();
            await stream.WriteAsync("NONSENSE\r\n\r\n"u8.ToArray());
            var answer = await new StreamReader(stream).ReadToEndAsync();
            Assert.StartsWith("HTTP/1.1 400", answer, StringComparison.Ordinal);
        }

        using var client = Client();
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/api")).StatusCode);
        Assert.Equal(TunnelState.Ready, _tunnel.State);
    }

    public async Task DisposeAsync()
    {
        await _proxy.StopAsync();
        Assert.Equal(TunnelState.Stopped, _tunnel.State);
        _upstream.Stop();
        _upstream.Close();
        await _serving;
    }
}
