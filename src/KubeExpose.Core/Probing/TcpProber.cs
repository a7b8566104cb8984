using System.Diagnostics;
using System.Net.Sockets;
using System.Security.Authentication;
using System.Text;

namespace KubeExpose.Core.Probing;

/// <summary>
/// A TCP connect per attempt; with <see cref="ProbeOptions.Send"/> the text is written after connecting, and with
/// <see cref="ProbeOptions.ExpectContent"/> the reply (or the banner a server sends first) is read until it matches.
/// </summary>
internal static class TcpProber
{
    public static async Task<ProbeAttempt> ProbeOnceAsync(ProbeTarget target, ProbeOptions options, CancellationToken cancellation)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellation);
        timeout.CancelAfter(options.Timeout);
        var clock = Stopwatch.StartNew();
        string? remote = null;
        var reply = new StringBuilder();
        try
        {
            using var socket = await SocketConnector.ConnectAsync(target.Host, target.Port, timeout.Token).ConfigureAwait(false);
            remote = SocketConnector.Describe(socket.RemoteEndPoint);
            await using var stream = new NetworkStream(socket, ownsSocket: false);
            if (options.Send is { Length: > 0 } send)
            {
                await stream.WriteAsync(Encoding.UTF8.GetBytes(send), timeout.Token).ConfigureAwait(false);
            }

            if (options.ExpectContent is { } pattern)
            {
                var decoder = Encoding.UTF8.GetDecoder();
                var bytes = new byte[4096];
                var chars = new char[Encoding.UTF8.GetMaxCharCount(bytes.Length)];
                var total = 0;
                while (!pattern.IsMatch(reply.ToString()))
                {
                    var read = await stream.ReadAsync(bytes, timeout.Token).ConfigureAwait(false);
                    if (read == 0 || (total += read) > options.MaxContentBytes)
                    {
                        clock.Stop();
                        var ended = read == 0 ? "the server closed the connection" : $"{options.MaxContentBytes} bytes were read";
                        return ProbeAttempt.Failed(ProbeFailureKind.UnexpectedContent,
                            $"the reply did not match '{pattern}' before {ended} (got {HttpProber.Excerpt(reply.ToString())})", clock.Elapsed.TotalMilliseconds, remote);
                    }

                    var count = decoder.GetChars(bytes, 0, read, chars, 0);
                    reply.Append(chars, 0, count);
                }
            }

            clock.Stop();
            return new ProbeAttempt { LatencyMs = clock.Elapsed.TotalMilliseconds, RemoteAddress = remote };
        }
        catch (OperationCanceledException) when (!cancellation.IsCancellationRequested)
        {
            var what = remote is null
                ? " connecting"
                : options.ExpectContent is null ? string.Empty : $" waiting for a reply matching '{options.ExpectContent}' (got {HttpProber.Excerpt(reply.ToString())})";
            return ProbeAttempt.Failed(ProbeFailureKind.Timeout, ProbeErrors.TimedOut(options.Timeout) + what, clock.Elapsed.TotalMilliseconds, remote);
        }
        catch (Exception e) when (e is SocketException or IOException or AuthenticationException)
        {
            var (kind, message) = ProbeErrors.Classify(e, target.Host, target.Port);
            return ProbeAttempt.Failed(kind, message, clock.Elapsed.TotalMilliseconds, remote);
        }
    }
}
