using System.Collections.Concurrent;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace KubeExpose.Core.Tunnels;

/// <summary>
/// kubectl proxy without ASP.NET: an HTTP/1.1 reverse proxy on raw sockets that applies <see cref="ProxyFilter"/>,
/// adds the kubeconfig's credentials and passes requests to the API server. Ordinary requests go through a pooled
/// HTTP client and stream back (watches included); upgrade requests (WebSocket, SPDY) get a raw connection to the API
/// server that is spliced to the client.
/// </summary>
internal sealed class ApiProxyServer
{
    private static readonly HashSet<string> HopByHop = new(StringComparer.OrdinalIgnoreCase)
    {
        "Connection", "Keep-Alive", "Proxy-Connection", "Proxy-Authenticate", "Proxy-Authorization", "TE", "Trailer",
        "Transfer-Encoding", "Upgrade", "Host", "Content-Length", "Expect",
    };

    private readonly ClusterTransport _transport;
    private readonly ProxyFilter _filter;
    private readonly string _apiPrefix;
    private readonly Tunnel _tunnel;
    private readonly CancellationTokenSource _stop = new();
    private readonly ConcurrentDictionary<Socket, byte> _clients = new();
    private LocalListener? _listener;
    private Task _acceptTask = Task.CompletedTask;

    public ApiProxyServer(ClusterTransport transport, ProxyFilter filter, string apiPrefix, Tunnel tunnel)
    {
        _transport = transport;
        _filter = filter;
        _apiPrefix = apiPrefix.EndsWith('/') ? apiPrefix : apiPrefix + "/";
        _tunnel = tunnel;
        tunnel.StopAction = StopAsync;
    }

    /// <summary>Binds and starts serving; returns the bind warnings.</summary>
    public IReadOnlyList<string> Start(ListenAddresses addresses, int port)
    {
        var warnings = new List<string>();
        _listener = LocalListener.Bind(addresses, port, warnings);
        _tunnel.LocalEndpoints = _listener.Endpoints.Select(e => e.ToString()).ToList();
        _acceptTask = _listener.RunAsync(HandleAsync, e =>
        {
            _tunnel.SetError($"the listener stopped: {e.Message}");
            _tunnel.SetState(TunnelState.Failed);
        }, _stop.Token);
        _tunnel.SetState(TunnelState.Ready);
        return warnings;
    }

    /// <summary>The base URL clients use, e.g. http://127.0.0.1:8001 (no trailing slash).</summary>
    public string BaseUrl
    {
        get
        {
            var endpoint = _listener!.Endpoints[0];
            var host = endpoint.Address.Equals(IPAddress.Any) ? "127.0.0.1"
                : endpoint.Address.Equals(IPAddress.IPv6Any) ? "[::1]"
                : endpoint.AddressFamily == AddressFamily.InterNetworkV6 ? $"[{endpoint.Address}]" : endpoint.Address.ToString();
            return $"http://{host}:{endpoint.Port.ToString(CultureInfo.InvariantCulture)}";
        }
    }

    /// <summary>The path prefix that must be put before API paths in client URLs ("" for the default "/").</summary>
    public string ClientPathPrefix => _apiPrefix.StartsWith("/api", StringComparison.Ordinal) ? "" : _apiPrefix.TrimEnd('/');

    private async Task HandleAsync(Socket socket)
    {
        _clients.TryAdd(socket, 0);
        _tunnel.ConnectionOpened();
        var stream = new CountingStream(new NetworkStream(socket, ownsSocket: true), _tunnel);
        try
        {
            var reader = new HttpConnectionReader(stream);
            while (!_stop.IsCancellationRequested)
            {
                HttpRequestHead? head;
                try
                {
                    head = await reader.ReadRequestHeadAsync(_stop.Token).ConfigureAwait(false);
                }
                catch (InvalidDataException e)
                {
                    await WriteSimpleAsync(stream, 400, "Bad Request", e.Message + "\n", keepAlive: false).ConfigureAwait(false);
                    return;
                }

                if (head is null || !await HandleRequestAsync(head, reader, stream).ConfigureAwait(false))
                {
                    return;
                }
            }
        }
        catch (Exception e) when (e is IOException or SocketException or OperationCanceledException or ObjectDisposedException or EndOfStreamException)
        {
            // The client went away or the proxy is stopping: nothing to answer.
        }
        catch (Exception e)
        {
            _tunnel.SetError($"API proxy connection: {e.Message}");
        }
        finally
        {
            _clients.TryRemove(socket, out _);
            await stream.DisposeAsync().ConfigureAwait(false);
            _tunnel.ConnectionClosed();
        }
    }

    // Returns whether the connection may carry another request.
    private async Task<bool> HandleRequestAsync(HttpRequestHead head, HttpConnectionReader reader, Stream client)
    {
        var rawPath = head.RawPath;
        if (!rawPath.StartsWith(_apiPrefix, StringComparison.Ordinal) && rawPath + "/" != _apiPrefix)
        {
            await DiscardBodyAsync(head, reader).ConfigureAwait(false);
            return await WriteSimpleAsync(client, 404, "Not Found", "404 page not found\n", head.KeepAlive).ConfigureAwait(false);
        }

        // kubectl strips a prefix that does not start with /api, leaving the slash, before filtering and proxying.
        var upstreamPath = ClientPathPrefix.Length > 0 ? "/" + rawPath[Math.Min(rawPath.Length, _apiPrefix.Length)..] : rawPath;
        string decodedPath;
        try
        {
            decodedPath = Uri.UnescapeDataString(upstreamPath);
        }
        catch (UriFormatException)
        {
            decodedPath = upstreamPath;
        }

        // The filter sees the decoded path (as Go's URL.Path), so %-encoding cannot sneak an exec path past it.
        if (!_filter.Accept(head.Method, decodedPath, head.Host))
        {
            var keepAlive = head.KeepAlive && !head.HasBody;
            return await WriteSimpleAsync(client, 403, "Forbidden", "Forbidden\n", keepAlive).ConfigureAwait(false);
        }

        var target = head.Query is null ? upstreamPath : $"{upstreamPath}?{head.Query}";
        if (head.IsUpgrade)
        {
            await SpliceUpgradeAsync(head, target, reader, client).ConfigureAwait(false);
            return false;
        }

        return await ForwardAsync(head, target, reader, client).ConfigureAwait(false);
    }

    private async Task<bool> ForwardAsync(HttpRequestHead head, string target, HttpConnectionReader reader, Stream client)
    {
        var uri = new Uri(_transport.Server.GetLeftPart(UriPartial.Authority) + target,
            new UriCreationOptions { DangerousDisablePathAndQueryCanonicalization = true });
        using var request = new HttpRequestMessage(new HttpMethod(head.Method), uri)
        {
            Version = HttpVersion.Version11,
            VersionPolicy = HttpVersionPolicy.RequestVersionOrLower,
        };

        ReadOnlyBodyStream? body = head.IsChunked ? new ChunkedBodyStream(reader)
            : head.ContentLength > 0 ? new ContentLengthBodyStream(reader, head.ContentLength!.Value) : null;
        if (body is not null)
        {
            request.Content = new StreamContent(body, 64 * 1024);
            if (!head.IsChunked)
            {
                request.Content.Headers.ContentLength = head.ContentLength;
            }
        }

        if (head.HasToken("Expect", "100-continue") && body is not null)
        {
            await client.WriteAsync("HTTP/1.1 100 Continue\r\n\r\n"u8.ToArray(), _stop.Token).ConfigureAwait(false);
        }

        var connectionTokens = head.Headers.Where(h => h.Key.Equals("Connection", StringComparison.OrdinalIgnoreCase))
            .SelectMany(h => h.Value.Split(',', StringSplitOptions.TrimEntries)).ToHashSet(StringComparer.OrdinalIgnoreCase);
        var hasAuthorization = false;
        foreach (var (name, value) in head.Headers)
        {
            if (HopByHop.Contains(name) || connectionTokens.Contains(name))
            {
                continue;
            }

            hasAuthorization |= name.Equals("Authorization", StringComparison.OrdinalIgnoreCase);
            if (!request.Headers.TryAddWithoutValidation(name, value))
            {
                request.Content?.Headers.TryAddWithoutValidation(name, value);
            }
        }

        // Like client-go's round trippers: a client's own Authorization is kept, otherwise the kubeconfig's is added.
        if (!hasAuthorization && await _transport.AuthorizationAsync(_stop.Token).ConfigureAwait(false) is { } authorization)
        {
            request.Headers.TryAddWithoutValidation("Authorization", authorization);
        }

        HttpResponseMessage response;
        try
        {
            response = await _transport.Invoker.SendAsync(request, _stop.Token).ConfigureAwait(false);
        }
        catch (HttpRequestException e)
        {
            _tunnel.SetError($"API server unreachable: {e.Message}");
            return await WriteSimpleAsync(client, 502, "Bad Gateway", $"Error trying to reach the API server: {e.Message}\n", false).ConfigureAwait(false);
        }

        using (response)
        {
            if (body is not null)
            {
                await body.DrainAsync(_stop.Token).ConfigureAwait(false); // the API server may answer before reading it all
            }

            var status = (int)response.StatusCode;
            var noBody = head.Method == "HEAD" || status is 204 or 304 || status < 200;
            var length = response.Content.Headers.ContentLength;
            var chunked = !noBody && length is null;
            var keepAlive = head.KeepAlive && (chunked ? head.Version == "HTTP/1.1" : true);

            var text = new StringBuilder();
            text.Append(CultureInfo.InvariantCulture, $"HTTP/1.1 {status} {response.ReasonPhrase}\r\n");
            foreach (var (name, values) in response.Headers.Concat(response.Content.Headers))
            {
                if (name.Equals("Connection", StringComparison.OrdinalIgnoreCase) || name.Equals("Transfer-Encoding", StringComparison.OrdinalIgnoreCase)
                    || name.Equals("Keep-Alive", StringComparison.OrdinalIgnoreCase))
                {
                    continue;
                }

                foreach (var value in values)
                {
                    text.Append(name).Append(": ").Append(value).Append("\r\n");
                }
            }

            if (chunked)
            {
                text.Append(head.Version == "HTTP/1.1" ? "Transfer-Encoding: chunked\r\n" : "");
            }

            if (!keepAlive)
            {
                text.Append("Connection: close\r\n");
            }

            text.Append("\r\n");
            await client.WriteAsync(Encoding.Latin1.GetBytes(text.ToString()), _stop.Token).ConfigureAwait(false);
            if (!noBody)
            {
                await using var content = await response.Content.ReadAsStreamAsync(_stop.Token).ConfigureAwait(false);
                if (chunked && head.Version == "HTTP/1.1")
                {
                    await CopyChunkedAsync(content, client).ConfigureAwait(false);
                }
                else
                {
                    await content.CopyToAsync(client, 64 * 1024, _stop.Token).ConfigureAwait(false);
                }
            }

            await client.FlushAsync(_stop.Token).ConfigureAwait(false);
            return keepAlive;
        }
    }

    // Each read is sent as one chunk at once, so watch events reach the client as soon as the API server sends them.
    private async Task CopyChunkedAsync(Stream content, Stream client)
    {
        var buffer = new byte[64 * 1024 + 32];
        const int dataOffset = 16;
        while (true)
        {
            var read = await content.ReadAsync(buffer.AsMemory(dataOffset, 64 * 1024), _stop.Token).ConfigureAwait(false);
            if (read == 0)
            {
                await client.WriteAsync("0\r\n\r\n"u8.ToArray(), _stop.Token).ConfigureAwait(false);
                return;
            }

            var size = Encoding.ASCII.GetBytes(read.ToString("x", CultureInfo.InvariantCulture) + "\r\n");
            var start = dataOffset - size.Length;
            size.CopyTo(buffer, start);
            buffer[dataOffset + read] = (byte)'\r';
            buffer[dataOffset + read + 1] = (byte)'\n';
            await client.WriteAsync(buffer.AsMemory(start, size.Length + read + 2), _stop.Token).ConfigureAwait(false);
            await client.FlushAsync(_stop.Token).ConfigureAwait(false);
        }
    }

    private async Task SpliceUpgradeAsync(HttpRequestHead head, string target, HttpConnectionReader reader, Stream client)
    {
        Stream upstream;
        try
        {
            upstream = await _transport.ConnectRawAsync(_stop.Token).ConfigureAwait(false);
        }
        catch (Exception e) when (e is SocketException or IOException or System.Security.Authentication.AuthenticationException)
        {
            _tunnel.SetError($"API server unreachable: {e.Message}");
            await WriteSimpleAsync(client, 502, "Bad Gateway", $"Error trying to reach the API server: {e.Message}\n", false).ConfigureAwait(false);
            return;
        }

        await using (upstream)
        {
            var text = new StringBuilder();
            text.Append(CultureInfo.InvariantCulture, $"{head.Method} {target} HTTP/1.1\r\n");
            text.Append("Host: ").Append(_transport.Server.Authority).Append("\r\n");
            var hasAuthorization = false;
            foreach (var (name, value) in head.Headers)
            {
                if (name.Equals("Host", StringComparison.OrdinalIgnoreCase))
                {
                    continue;
                }

                hasAuthorization |= name.Equals("Authorization", StringComparison.OrdinalIgnoreCase);
                text.Append(name).Append(": ").Append(value).Append("\r\n");
            }

            if (!hasAuthorization && await _transport.AuthorizationAsync(_stop.Token).ConfigureAwait(false) is { } authorization)
            {
                text.Append("Authorization: ").Append(authorization).Append("\r\n");
            }

            text.Append("\r\n");
            await upstream.WriteAsync(Encoding.Latin1.GetBytes(text.ToString()), _stop.Token).ConfigureAwait(false);
            if (!reader.Buffered.IsEmpty)
            {
                await upstream.WriteAsync(reader.Buffered, _stop.Token).ConfigureAwait(false);
                reader.DiscardBuffered();
            }

            await upstream.FlushAsync(_stop.Token).ConfigureAwait(false);
            using var done = CancellationTokenSource.CreateLinkedTokenSource(_stop.Token);
            var up = client.CopyToAsync(upstream, 64 * 1024, done.Token);
            var down = upstream.CopyToAsync(client, 64 * 1024, done.Token);
            await Task.WhenAny(up, down).ConfigureAwait(false);
            done.Cancel();
            try
            {
                await Task.WhenAll(up, down).ConfigureAwait(false);
            }
            catch (Exception e) when (e is IOException or OperationCanceledException or SocketException or ObjectDisposedException)
            {
            }
        }
    }

    private static async Task DiscardBodyAsync(HttpRequestHead head, HttpConnectionReader reader)
    {
        ReadOnlyBodyStream? body = head.IsChunked ? new ChunkedBodyStream(reader)
            : head.ContentLength > 0 ? new ContentLengthBodyStream(reader, head.ContentLength!.Value) : null;
        if (body is not null)
        {
            await body.DrainAsync(CancellationToken.None).ConfigureAwait(false);
        }
    }

    // The same answer Go's http.Error gives (kubectl proxy uses it for filtered requests).
    private async Task<bool> WriteSimpleAsync(Stream client, int status, string reason, string body, bool keepAlive)
    {
        var bytes = Encoding.UTF8.GetBytes(body);
        var head = $"HTTP/1.1 {status} {reason}\r\nContent-Type: text/plain; charset=utf-8\r\nX-Content-Type-Options: nosniff\r\n" +
                   $"Date: {DateTime.UtcNow:R}\r\nContent-Length: {bytes.Length}\r\n{(keepAlive ? "" : "Connection: close\r\n")}\r\n";
        await client.WriteAsync(Encoding.Latin1.GetBytes(head).Concat(bytes).ToArray(), _stop.Token).ConfigureAwait(false);
        await client.FlushAsync(_stop.Token).ConfigureAwait(false);
        return keepAlive;
    }

    public async Task StopAsync()
    {
        if (_stop.IsCancellationRequested)
        {
            return;
        }

        _stop.Cancel();
        _listener?.Dispose();
        foreach (var client in _clients.Keys)
        {
            client.Dispose();
        }

        try
        {
            await _acceptTask.WaitAsync(TimeSpan.FromSeconds(5)).ConfigureAwait(false);
        }
        catch (Exception)
        {
            // Stopping must not fail.
        }

        _transport.Dispose();
        _tunnel.SetState(TunnelState.Stopped);
    }
}
