using System.Globalization;
using System.Text;
using System.Text.Json;

namespace KubeExpose.Core.Tunnels;

/// <summary>
/// Upgrades a new connection to the API server into a SPDY/3.1 port-forward connection to one pod, as kubectl does:
/// <c>POST .../pods/NAME/portforward</c> with <c>Upgrade: SPDY/3.1</c> and the <c>portforward.k8s.io</c> stream
/// protocol, answered by <c>101 Switching Protocols</c>. Nothing is sent before the 101: the API server's upgrade
/// proxy does not pass on bytes that arrive with the request.
/// </summary>
internal static class SpdyUpgrade
{
    public const string Protocol = "SPDY/3.1";
    public const string StreamProtocol = "portforward.k8s.io";
    private const int MaxHead = 64 * 1024;

    /// <summary>
    /// Dials and upgrades. Throws <see cref="SpdyUpgradeRefusedException"/> when the server answers anything but 101
    /// (the pod is gone, access is denied, or SPDY is not accepted on the way), other exceptions when the server
    /// cannot be reached.
    /// </summary>
    public static async Task<SpdyConnection> ConnectAsync(ClusterTransport transport, string ns, string pod, TimeSpan timeout, CancellationToken cancellation)
    {
        using var limit = CancellationTokenSource.CreateLinkedTokenSource(cancellation);
        limit.CancelAfter(timeout);
        var stream = await transport.ConnectRawAsync(limit.Token).ConfigureAwait(false);
        try
        {
            var path = $"{transport.Server.AbsolutePath.TrimEnd('/')}/api/v1/namespaces/{Uri.EscapeDataString(ns)}/pods/{Uri.EscapeDataString(pod)}/portforward";
            var request = new StringBuilder();
            request.Append(CultureInfo.InvariantCulture, $"POST {path} HTTP/1.1\r\n");
            request.Append("Host: ").Append(transport.Server.Authority).Append("\r\n");
            if (await transport.AuthorizationAsync(limit.Token).ConfigureAwait(false) is { } authorization)
            {
                request.Append("Authorization: ").Append(authorization).Append("\r\n");
            }

            request.Append("User-Agent: KubeExpose\r\n");
            request.Append("Connection: Upgrade\r\n");
            request.Append("Upgrade: ").Append(Protocol).Append("\r\n");
            request.Append("X-Stream-Protocol-Version: ").Append(StreamProtocol).Append("\r\n");
            request.Append("Content-Length: 0\r\n\r\n");
            await stream.WriteAsync(Encoding.ASCII.GetBytes(request.ToString()), limit.Token).ConfigureAwait(false);
            await stream.FlushAsync(limit.Token).ConfigureAwait(false);

            var (status, headers, rest) = await ReadHeadAsync(stream, limit.Token).ConfigureAwait(false);
            if (status != 101)
            {
                var body = await ReadBodyAsync(stream, headers, rest, limit.Token).ConfigureAwait(false);
                throw new SpdyUpgradeRefusedException(status, $"the API server answered {status} to the SPDY port-forward upgrade for pod {pod}{Reason(body)}");
            }

            if (!headers.TryGetValue("upgrade", out var upgrade) || !upgrade.Contains(Protocol, StringComparison.OrdinalIgnoreCase))
            {
                throw new SpdyUpgradeRefusedException(status, $"the API server switched pod {pod}'s port-forward to '{upgrade}' instead of {Protocol}");
            }

            return new SpdyConnection(stream, rest, $"pod {pod}");
        }
        catch (OperationCanceledException) when (!cancellation.IsCancellationRequested)
        {
            await stream.DisposeAsync().ConfigureAwait(false);
            throw new TimeoutException($"the SPDY port-forward upgrade for pod {pod} took longer than {timeout.TotalSeconds:0} s");
        }
        catch
        {
            await stream.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    // Reads the response head; returns the status, the headers (lower-case names) and any bytes read past the head.
    private static async Task<(int Status, Dictionary<string, string> Headers, byte[] Leftover)> ReadHeadAsync(Stream stream, CancellationToken cancellation)
    {
        var buffer = new byte[4096];
        var filled = 0;
        while (true)
        {
            var end = buffer.AsSpan(0, filled).IndexOf("\r\n\r\n"u8);
            if (end >= 0)
            {
                var lines = Encoding.Latin1.GetString(buffer, 0, end).Split("\r\n");
                var statusParts = lines[0].Split(' ', 3);
                if (statusParts.Length < 2 || !statusParts[0].StartsWith("HTTP/", StringComparison.Ordinal)
                    || !int.TryParse(statusParts[1], NumberStyles.None, CultureInfo.InvariantCulture, out var status))
                {
                    throw new IOException($"the API server sent an invalid response line: '{lines[0]}'");
                }

                var headers = new Dictionary<string, string>(StringComparer.Ordinal);
                foreach (var line in lines.Skip(1))
                {
                    var colon = line.IndexOf(':', StringComparison.Ordinal);
                    if (colon > 0)
                    {
                        headers[line[..colon].Trim().ToLowerInvariant()] = line[(colon + 1)..].Trim();
                    }
                }

                return (status, headers, buffer[(end + 4)..filled]);
            }

            if (filled == buffer.Length)
            {
                if (buffer.Length >= MaxHead)
                {
                    throw new IOException("the API server's response head is too large");
                }

                Array.Resize(ref buffer, buffer.Length * 2);
            }

            var read = await stream.ReadAsync(buffer.AsMemory(filled), cancellation).ConfigureAwait(false);
            if (read == 0)
            {
                throw new IOException("the API server closed the connection before answering the port-forward upgrade");
            }

            filled += read;
        }
    }

    // The error body (a Kubernetes Status, usually), best effort and bounded: it only improves the message.
    private static async Task<string> ReadBodyAsync(Stream stream, Dictionary<string, string> headers, byte[] rest, CancellationToken cancellation)
    {
        var body = new MemoryStream();
        body.Write(rest);
        if (headers.TryGetValue("content-length", out var text) && int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var length))
        {
            length = Math.Min(length, 16 * 1024);
            var buffer = new byte[4096];
            try
            {
                while (body.Length < length)
                {
                    var read = await stream.ReadAsync(buffer.AsMemory(0, (int)Math.Min(buffer.Length, length - body.Length)), cancellation).ConfigureAwait(false);
                    if (read == 0)
                    {
                        break;
                    }

                    body.Write(buffer, 0, read);
                }
            }
            catch (IOException)
            {
            }
        }

        return Encoding.UTF8.GetString(body.ToArray());
    }

    private static string Reason(string body)
    {
        if (string.IsNullOrWhiteSpace(body))
        {
            return "";
        }

        try
        {
            using var json = JsonDocument.Parse(body);
            if (json.RootElement.ValueKind == JsonValueKind.Object && json.RootElement.TryGetProperty("message", out var message))
            {
                return ": " + message.GetString();
            }
        }
        catch (JsonException)
        {
        }

        var trimmed = body.Trim();
        return ": " + (trimmed.Length > 300 ? trimmed[..300] + "…" : trimmed);
    }
}
