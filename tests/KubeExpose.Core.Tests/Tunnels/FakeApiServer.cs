using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using System.Net.WebSockets;
using System.Text;
using System.Text.Json;
using System.Threading.Channels;

namespace KubeExpose.Core.Tests.Tunnels;

/// <summary>
/// Just enough of an API server (and of a kubelet's <c>v4.channel.k8s.io</c> port-forward) on loopback to drive a real
/// port-forward tunnel: a Deployment, its pods (list and watch, with events the test pushes), and port-forward
/// WebSockets whose behaviour each pod chooses: serve (greet with the pod name, then echo), refuse (error channel),
/// or be gone (404 on the upgrade). SPDY upgrades are refused (400), as by a proxy that only passes WebSockets.
/// </summary>
internal sealed class FakeApiServer : IAsyncDisposable
{
    private readonly HttpListener _listener = new();
    private readonly ConcurrentDictionary<string, FakePod> _pods = new();
    private readonly List<Channel<string>> _watchers = [];
    private readonly Task _serving;
    private int _resourceVersion = 1;

    public FakeApiServer()
    {
        using (var probe = new TcpListener(IPAddress.Loopback, 0))
        {
            probe.Start();
            Port = ((IPEndPoint)probe.LocalEndpoint).Port;
        }

        _listener.Prefixes.Add($"http://127.0.0.1:{Port}/");
        _listener.Start();
        _serving = ServeAsync();
        KubeConfig = Path.Combine(Directory.CreateTempSubdirectory("kx-fake-").FullName, "config");
        File.WriteAllText(KubeConfig, $"""
            apiVersion: v1
            kind: Config
            current-context: fake
            clusters:
            - name: fake
              cluster: {"{"}server: "http://127.0.0.1:{Port}"{"}"}
            users:
            - name: fake
              user: {"{"}token: fake-token{"}"}
            contexts:
            - name: fake
              context: {"{"}cluster: fake, user: fake, namespace: ns{"}"}
            """);
    }

    public int Port { get; }

    /// <summary>What the access review for pods/portforward answers.</summary>
    public bool PortForwardAllowed { get; set; } = true;

    public string KubeConfig { get; }

    /// <summary>SPDY port-forward upgrades asked for (all refused).</summary>
    public int SpdyUpgrades { get; private set; }

    /// <summary>Port-forward streams opened, per pod.</summary>
    public ConcurrentDictionary<string, int> Streams { get; } = new();

    public enum Behaviour { Serve, Refuse, Gone }

    private sealed record FakePod(string Name, bool Ready, Behaviour Behaviour);

    /// <summary>Adds or changes a pod and tells the watchers.</summary>
    public void SetPod(string name, bool ready = true, Behaviour behaviour = Behaviour.Serve)
    {
        var pod = new FakePod(name, ready, behaviour);
        var type = _pods.ContainsKey(name) ? "MODIFIED" : "ADDED";
        _pods[name] = pod;
        Notify(type, pod, deleting: false);
    }

    public void DeletePod(string name)
    {
        if (_pods.TryRemove(name, out var pod))
        {
            Notify("DELETED", pod, deleting: true);
        }
    }

    private void Notify(string type, FakePod pod, bool deleting)
    {
        var line = JsonSerializer.Serialize(new { type, @object = PodJson(pod, deleting) });
        lock (_watchers)
        {
            foreach (var watcher in _watchers)
            {
                watcher.Writer.TryWrite(line);
            }
        }
    }

    private object PodJson(FakePod pod, bool deleting) => new
    {
        apiVersion = "v1",
        kind = "Pod",
        metadata = new { name = pod.Name, @namespace = "ns", labels = new { app = "web" }, resourceVersion = Interlocked.Increment(ref _resourceVersion).ToString(),
            deletionTimestamp = deleting ? "2026-01-01T00:00:00Z" : null },
        spec = new { containers = new[] { new { name = "web", image = "web", ports = new[] { new { name = "http", containerPort = 80, protocol = "TCP" } } } } },
        status = new { phase = "Running", conditions = new[] { new { type = "Ready", status = pod.Ready ? "True" : "False" } } },
    };

    private async Task ServeAsync()
    {
        while (_listener.IsListening)
        {
            HttpListenerContext context;
            try
            {
                context = await _listener.GetContextAsync();
            }
            catch (Exception)
            {
                return;
            }

            _ = Task.Run(async () =>
            {
                try
                {
                    await AnswerAsync(context);
                }
                catch (Exception)
                {
                    // A client that went away mid-answer.
                }
            });
        }
    }

    private async Task AnswerAsync(HttpListenerContext context)
    {
        var path = context.Request.Url!.AbsolutePath;
        var query = context.Request.QueryString;
        if (path == "/apis/authorization.k8s.io/v1/selfsubjectaccessreviews" && context.Request.HttpMethod == "POST")
        {
            await JsonAsync(context, new { apiVersion = "authorization.k8s.io/v1", kind = "SelfSubjectAccessReview",
                spec = new { }, status = new { allowed = PortForwardAllowed, reason = PortForwardAllowed ? "" : "no RBAC policy matched" } });
        }
        else if (path == "/apis/apps/v1/namespaces/ns/deployments/web")
        {
            await JsonAsync(context, new { apiVersion = "apps/v1", kind = "Deployment", metadata = new { name = "web", @namespace = "ns" },
                spec = new { selector = new { matchLabels = new { app = "web" } }, template = new { } } });
        }
        else if (path == "/api/v1/namespaces/ns/pods" && query["watch"] is "true" or "1")
        {
            await WatchAsync(context);
        }
        else if (path == "/api/v1/namespaces/ns/pods")
        {
            await JsonAsync(context, new { apiVersion = "v1", kind = "PodList", metadata = new { resourceVersion = _resourceVersion.ToString() },
                items = _pods.Values.Select(p => PodJson(p, false)).ToArray() });
        }
        else if (path.StartsWith("/api/v1/namespaces/ns/pods/", StringComparison.Ordinal) && path.EndsWith("/portforward", StringComparison.Ordinal))
        {
            if (!context.Request.IsWebSocketRequest)
            {
                // Like a cluster (or a proxy) that does not accept SPDY: the tunnel must fall back to WebSockets.
                SpdyUpgrades++;
                context.Response.StatusCode = _pods.TryGetValue(path.Split('/')[6], out var pod) && pod.Behaviour != Behaviour.Gone ? 400 : 404;
                context.Response.Close();
                return;
            }

            await PortForwardAsync(context, path.Split('/')[6], int.Parse(query["ports"]!));
        }
        else
        {
            context.Response.StatusCode = 404;
            context.Response.Close();
        }
    }

    private static async Task JsonAsync(HttpListenerContext context, object body)
    {
        var bytes = JsonSerializer.SerializeToUtf8Bytes(body);
        context.Response.ContentType = "application/json";
        context.Response.ContentLength64 = bytes.Length;
        await context.Response.OutputStream.WriteAsync(bytes);
        context.Response.Close();
    }

    private async Task WatchAsync(HttpListenerContext context)
    {
        var channel = Channel.CreateUnbounded<string>();
        lock (_watchers)
        {
            _watchers.Add(channel);
        }

        context.Response.ContentType = "application/json";
        context.Response.SendChunked = true;
        await context.Response.OutputStream.FlushAsync();
        try
        {
            await foreach (var line in channel.Reader.ReadAllAsync())
            {
                await context.Response.OutputStream.WriteAsync(Encoding.UTF8.GetBytes(line + "\n"));
                await context.Response.OutputStream.FlushAsync();
            }
        }
        finally
        {
            lock (_watchers)
            {
                _watchers.Remove(channel);
            }

            context.Response.Close();
        }
    }

    private async Task PortForwardAsync(HttpListenerContext context, string podName, int port)
    {
        if (!_pods.TryGetValue(podName, out var pod) || pod.Behaviour == Behaviour.Gone || !context.Request.IsWebSocketRequest
            || context.Request.Headers["Authorization"] != "Bearer fake-token")
        {
            context.Response.StatusCode = 404;
            context.Response.Close();
            return;
        }

        Streams.AddOrUpdate(podName, 1, (_, n) => n + 1);
        var ws = (await context.AcceptWebSocketAsync("v4.channel.k8s.io")).WebSocket;
        var portBytes = new[] { (byte)(port & 0xff), (byte)(port >> 8) };
        await ws.SendAsync(new byte[] { 0, portBytes[0], portBytes[1] }, WebSocketMessageType.Binary, true, CancellationToken.None);
        await ws.SendAsync(new byte[] { 1, portBytes[0], portBytes[1] }, WebSocketMessageType.Binary, true, CancellationToken.None);
        if (pod.Behaviour == Behaviour.Refuse)
        {
            await ws.SendAsync(Encoding.UTF8.GetBytes("\u0001an error occurred forwarding 80 -> 80: connection refused"), WebSocketMessageType.Binary, true, CancellationToken.None);
            await ws.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, null, CancellationToken.None);
            return;
        }

        await ws.SendAsync(Encoding.UTF8.GetBytes($"\u0000{podName}\n"), WebSocketMessageType.Binary, true, CancellationToken.None);
        var buffer = new byte[70 * 1024];
        var atStart = true;
        while (true)
        {
            var r = await ws.ReceiveAsync(buffer, CancellationToken.None);
            if (r.MessageType == WebSocketMessageType.Close)
            {
                await ws.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, null, CancellationToken.None);
                return;
            }

            // Echo the data channel back, message by message, with the channel byte in front.
            var offset = atStart ? 1 : 0;
            atStart = r.EndOfMessage;
            if (r.Count > offset)
            {
                var frame = new byte[r.Count - offset + 1];
                Array.Copy(buffer, offset, frame, 1, r.Count - offset);
                await ws.SendAsync(frame, WebSocketMessageType.Binary, true, CancellationToken.None);
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        lock (_watchers)
        {
            foreach (var watcher in _watchers)
            {
                watcher.Writer.TryComplete();
            }
        }

        _listener.Stop();
        _listener.Close();
        await _serving;
        Directory.Delete(Path.GetDirectoryName(KubeConfig)!, recursive: true);
    }
}
