using System.Net.Sockets;
using System.Runtime.CompilerServices;
using System.Net.WebSockets;
using System.Text;

namespace KubeExpose.Core.Tunnels;

/// <summary>
/// One forwarded connection over the API server's <c>pods/portforward</c> subresource with the
/// <c>v4.channel.k8s.io</c> WebSocket protocol: every message starts with a channel byte (0 = data, 1 = error for the
/// first requested port), and the first message of each channel carries the port as two little-endian bytes. The
/// kubelet ends the WebSocket when the pod side of the connection closes, so each local connection gets its own.
/// </summary>
internal static class PortForwardChannel
{
    public const string Protocol = "v4.channel.k8s.io";
    private const int BufferSize = 128 * 1024;

    /// <summary>
    /// After the local client stops sending, how long the pod may stay silent before the stream is closed. v4 cannot
    /// tell the pod "no more data", and a socket read cannot tell a half-closed client from one that has gone: this
    /// lets answers to half-closed requests through while keep-alive servers do not hold dead streams open forever.
    /// </summary>
    internal static TimeSpan LingerAfterLocalEnd { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>Opens the WebSocket to one pod port; failures here mean "this pod cannot be used now".</summary>
    public static async Task<WebSocket> OpenAsync(ClusterTransport transport, string ns, string pod, int port, CancellationToken cancellation)
    {
        var socket = new ClientWebSocket();
        try
        {
            socket.Options.AddSubProtocol(Protocol);
            socket.Options.KeepAliveInterval = TimeSpan.FromSeconds(30);
            var authorization = await transport.AuthorizationAsync(cancellation).ConfigureAwait(false);
            if (authorization is not null)
            {
                socket.Options.SetRequestHeader("Authorization", authorization);
            }

            var builder = new UriBuilder(transport.Server)
            {
                Scheme = transport.Server.Scheme == Uri.UriSchemeHttps ? "wss" : "ws",
                Path = $"{transport.Server.AbsolutePath.TrimEnd('/')}/api/v1/namespaces/{Uri.EscapeDataString(ns)}/pods/{Uri.EscapeDataString(pod)}/portforward",
                Query = $"ports={port}",
            };
            await socket.ConnectAsync(builder.Uri, transport.Invoker, cancellation).ConfigureAwait(false);
            if (socket.SubProtocol != Protocol)
            {
                throw new WebSocketException($"the API server answered with sub-protocol '{socket.SubProtocol}' instead of {Protocol}");
            }

            return socket;
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }

    /// <summary>
    /// Copies bytes both ways until the pod side ends (or the local client closes). Returns what the error channel
    /// said (for example "connection refused" from the pod), or null when the connection ended cleanly.
    /// </summary>
    public static async Task<string?> PumpAsync(WebSocket socket, Socket client, Tunnel tunnel, CancellationToken cancellation)
    {
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellation);
        var delivered = new StrongBox<long>();
        var upstream = LocalToPodAsync(socket, client, tunnel, linked.Token);
        var downstream = PodToLocalAsync(socket, client, tunnel, delivered, linked.Token);

        // The v4 protocol has no half-close: when the local client finishes sending, keep delivering the pod's answer
        // until the pod closes or goes quiet. When the pod closes first, the local connection is done.
        var first = await Task.WhenAny(upstream, downstream).ConfigureAwait(false);
        if (first == upstream && upstream.IsCompletedSuccessfully && upstream.Result)
        {
            var seen = -1L;
            while (!downstream.IsCompleted && Interlocked.Read(ref delivered.Value) != seen)
            {
                seen = Interlocked.Read(ref delivered.Value);
                await Task.WhenAny(downstream, Task.Delay(LingerAfterLocalEnd, cancellation)).ConfigureAwait(false);
            }
        }

        linked.Cancel();
        try
        {
            client.Shutdown(SocketShutdown.Both);
        }
        catch (SocketException)
        {
        }
        catch (ObjectDisposedException)
        {
        }

        await Task.WhenAll(Quiet(upstream), Quiet(downstream)).ConfigureAwait(false);
        await CloseAsync(socket).ConfigureAwait(false);
        return downstream.IsCompletedSuccessfully ? downstream.Result : null;
    }

    // Returns true when the local client ended its side cleanly (EOF), false when the connection broke.
    private static async Task<bool> LocalToPodAsync(WebSocket socket, Socket client, Tunnel tunnel, CancellationToken cancellation)
    {
        var buffer = new byte[BufferSize + 1];
        buffer[0] = 0; // the data channel of the first (only) port
        while (true)
        {
            int read;
            try
            {
                read = await client.ReceiveAsync(buffer.AsMemory(1), SocketFlags.None, cancellation).ConfigureAwait(false);
            }
            catch (SocketException)
            {
                return false;
            }

            if (read == 0)
            {
                return true;
            }

            await socket.SendAsync(buffer.AsMemory(0, read + 1), WebSocketMessageType.Binary, endOfMessage: true, cancellation).ConfigureAwait(false);
            tunnel.AddBytesIn(read);
        }
    }

    private static async Task<string?> PodToLocalAsync(WebSocket socket, Socket client, Tunnel tunnel, StrongBox<long> delivered, CancellationToken cancellation)
    {
        var buffer = new byte[BufferSize];
        var portBytesLeft = new[] { 2, 2 };
        var error = new StringBuilder();
        var atMessageStart = true;
        var channel = -1;
        while (socket.State == WebSocketState.Open)
        {
            ValueWebSocketReceiveResult result;
            try
            {
                result = await socket.ReceiveAsync(buffer.AsMemory(), cancellation).ConfigureAwait(false);
            }
            catch (WebSocketException) when (!cancellation.IsCancellationRequested)
            {
                // The API server or kubelet dropped the connection without a close frame: the pod side is gone.
                break;
            }

            if (result.MessageType == WebSocketMessageType.Close)
            {
                break;
            }

            var offset = 0;
            if (atMessageStart)
            {
                if (result.Count == 0)
                {
                    continue;
                }

                channel = buffer[0];
                offset = 1;
            }

            atMessageStart = result.EndOfMessage;
            if (channel is 0 or 1 && portBytesLeft[channel] > 0)
            {
                var skip = Math.Min(portBytesLeft[channel], result.Count - offset);
                portBytesLeft[channel] -= skip;
                offset += skip;
            }

            var count = result.Count - offset;
            if (count <= 0)
            {
                continue;
            }

            if (channel == 0)
            {
                await client.SendAsync(buffer.AsMemory(offset, count), SocketFlags.None, cancellation).ConfigureAwait(false);
                tunnel.AddBytesOut(count);
                Interlocked.Add(ref delivered.Value, count);
            }
            else if (channel == 1)
            {
                error.Append(Encoding.UTF8.GetString(buffer, offset, count));
            }
        }

        return error.Length == 0 ? null : error.ToString();
    }

    private static async Task CloseAsync(WebSocket socket)
    {
        try
        {
            if (socket.State is WebSocketState.Open or WebSocketState.CloseReceived)
            {
                using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(2));
                await socket.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, null, timeout.Token).ConfigureAwait(false);
            }
        }
        catch (Exception e) when (e is WebSocketException or OperationCanceledException or ObjectDisposedException)
        {
        }
        finally
        {
            socket.Dispose();
        }
    }

    private static async Task Quiet(Task task)
    {
        try
        {
            await task.ConfigureAwait(false);
        }
        catch (Exception e) when (e is OperationCanceledException or WebSocketException or SocketException or ObjectDisposedException or IOException)
        {
        }
    }
}
