using System.Buffers;
using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Net.Sockets;
using System.Runtime.CompilerServices;

namespace KubeExpose.Core.Tunnels;

/// <summary>
/// Port-forward over SPDY/3.1 the way kubectl speaks it, with one upgraded connection per pod kept for the tunnel's
/// life: each forwarded local connection is a pair of streams on it (<c>streamtype: error</c>, half-closed at once,
/// and <c>streamtype: data</c>, with the same port and request id), so a new connection costs two frames instead of
/// a TLS handshake and an upgrade through the API server and kubelet. Unlike kubectl, both streams and the first
/// bytes go out without waiting for the server's replies (the CRI streaming server pairs streams by request id and
/// processes a stream's frames in order). A connection that breaks, is told to go away, or stops answering is
/// dropped from the cache and the next forwarded connection dials a new one.
/// </summary>
internal sealed class SpdyPortForward : IAsyncDisposable
{
    private const int LocalReadSize = 64 * 1024;
    private static readonly TimeSpan UpgradeTimeout = TimeSpan.FromSeconds(15);

    /// <summary>How long a stream may wait for the server's SYN_REPLY before its connection is considered stuck.</summary>
    internal static TimeSpan ReplyTimeout { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>After the pod side ends, how long the error stream may take to say why (it normally follows at once).</summary>
    private static readonly TimeSpan ErrorGrace = TimeSpan.FromSeconds(2);

    /// <summary>Data sent this shortly before the server ended a stream may have reached it after nothing read it.</summary>
    private static readonly TimeSpan CrossingWindow = TimeSpan.FromMilliseconds(50);

    private readonly ClusterTransport _transport;
    private readonly string _namespace;
    private readonly CancellationToken _lifetime;
    // Lazy, so that a dial runs once per entry: GetOrAdd may build a value it then throws away.
    private readonly ConcurrentDictionary<string, Lazy<Task<SpdyConnection>>> _sessions = new(StringComparer.Ordinal);
    private long _requestId;

    public SpdyPortForward(ClusterTransport transport, string @namespace, CancellationToken lifetime)
    {
        _transport = transport;
        _namespace = @namespace;
        _lifetime = lifetime;
    }

    /// <summary>One forwarded connection's streams on a pod's SPDY connection.</summary>
    public sealed record StreamPair(SpdyConnection Session, SpdyStream Error, SpdyStream Data);

    // A pod replaced under the same name (StatefulSet) is another sandbox: its connection must not be reused.
    private static string Key(PodBackend pod) => $"{pod.Name}/{pod.Uid}";

    /// <summary>The pod's SPDY connection, dialled (and cached) when there is none or the cached one is no longer usable.</summary>
    public async Task<SpdyConnection> SessionAsync(PodBackend pod, CancellationToken cancellation)
    {
        var key = Key(pod);
        for (var attempt = 0; ; attempt++)
        {
            var entry = _sessions.GetOrAdd(key, _ => Dialler(pod));
            var session = await entry.Value.WaitAsync(cancellation).ConfigureAwait(false);
            if (session.IsUsable)
            {
                return session;
            }

            if (_sessions.TryRemove(new KeyValuePair<string, Lazy<Task<SpdyConnection>>>(key, entry)))
            {
                session.Retire();
            }

            // A connection that is unusable as soon as it is made: let the caller's backoff decide when to try again.
            if (attempt > 0)
            {
                throw new IOException($"the SPDY connection to pod {pod.Name} ended at once: {session.UnusableReason}");
            }
        }
    }

    private Lazy<Task<SpdyConnection>> Dialler(PodBackend pod)
    {
        var key = Key(pod);
        Lazy<Task<SpdyConnection>>? entry = null;
        entry = new Lazy<Task<SpdyConnection>>(() =>
        {
            var dial = SpdyUpgrade.ConnectAsync(_transport, _namespace, pod.Name, UpgradeTimeout, _lifetime);
            // A failed dial is not cached: the next connection tries again (after the tunnel's backoff).
            _ = dial.ContinueWith(_ => _sessions.TryRemove(new KeyValuePair<string, Lazy<Task<SpdyConnection>>>(key, entry!)),
                CancellationToken.None, TaskContinuationOptions.NotOnRanToCompletion, TaskScheduler.Default);
            return dial;
        });
        return entry;
    }

    /// <summary>
    /// Keeps connections only to the pods in <paramref name="pods"/> (others close when their streams end) and starts
    /// dialling the ones that have none, so the first connection to a new pod does not wait for the upgrade.
    /// </summary>
    public void Retain(IReadOnlyList<PodBackend> pods, int warmAtMost = 16)
    {
        var keep = pods.Select(Key).ToHashSet(StringComparer.Ordinal);
        foreach (var (key, entry) in _sessions)
        {
            if (!keep.Contains(key) && _sessions.TryRemove(new KeyValuePair<string, Lazy<Task<SpdyConnection>>>(key, entry)))
            {
                _ = entry.Value.ContinueWith(t => t.Result.Retire(), CancellationToken.None, TaskContinuationOptions.OnlyOnRanToCompletion, TaskScheduler.Default);
            }
        }

        foreach (var pod in pods.Take(warmAtMost))
        {
            if (!_lifetime.IsCancellationRequested)
            {
                _ = _sessions.GetOrAdd(Key(pod), _ => Dialler(pod)).Value;
            }
        }
    }

    /// <summary>Opens the error and data streams of one forwarded connection to <paramref name="port"/> of the pod.</summary>
    public async Task<StreamPair> OpenAsync(PodBackend pod, int port, CancellationToken cancellation)
    {
        var session = await SessionAsync(pod, cancellation).ConfigureAwait(false);
        var requestId = Interlocked.Increment(ref _requestId).ToString(CultureInfo.InvariantCulture);
        var portText = port.ToString(CultureInfo.InvariantCulture);
        try
        {
            var streams = await session.OpenStreamsAsync(
            [
                (Headers("error", portText, requestId), true),
                (Headers("data", portText, requestId), false),
            ], cancellation).ConfigureAwait(false);
            return new StreamPair(session, streams[0], streams[1]);
        }
        catch (IOException)
        {
            session.MarkUnusable("opening streams failed");
            throw;
        }
    }

    private static IReadOnlyList<KeyValuePair<string, string>> Headers(string type, string port, string requestId) =>
    [
        new("streamtype", type),
        new("port", port),
        new("requestid", requestId),
    ];

    /// <summary>
    /// Copies bytes both ways until the pod side ends (its FIN) or the local connection breaks. The local client's
    /// end of sending becomes a FIN on the data stream, a real half-close: the answer still comes back. Returns what
    /// the error stream said (for example that the pod refused the connection), or null.
    /// </summary>
    public static async Task<string?> PumpAsync(StreamPair pair, Socket client, Tunnel tunnel, CancellationToken cancellation)
    {
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellation);
        var errorText = pair.Error.ReadAllTextAsync(cancellation); // outlives the pumps: the reason may come last
        _ = WatchReplyAsync(pair, linked.Token);
        var lastSent = new StrongBox<long>();
        var upstream = LocalToPodAsync(pair.Data, client, tunnel, lastSent, linked.Token);
        var downstream = pair.Data.CopyToAsync(client, n => tunnel.AddBytesOut(n), linked.Token);
        string? failure = null;
        try
        {
            var first = await Task.WhenAny(upstream, downstream).ConfigureAwait(false);
            if (first == upstream && !(upstream.IsCompletedSuccessfully && upstream.Result))
            {
                // The local connection broke: nothing more to deliver either way.
                await pair.Data.ResetAsync().ConfigureAwait(false);
            }
            else
            {
                try
                {
                    await downstream.ConfigureAwait(false);
                }
                catch (IOException e)
                {
                    failure = e.Message;
                }
                catch (SocketException)
                {
                    await pair.Data.ResetAsync().ConfigureAwait(false); // the local client went away while receiving
                }
            }
        }
        finally
        {
            try
            {
                client.Shutdown(SocketShutdown.Both);
            }
            catch (Exception e) when (e is SocketException or ObjectDisposedException)
            {
            }

            linked.Cancel();
            await Quiet(upstream).ConfigureAwait(false);
            await Quiet(downstream).ConfigureAwait(false);
            if (!pair.Data.LocalClosed && !pair.Data.RemoteClosed)
            {
                await pair.Data.ResetAsync().ConfigureAwait(false);
            }
            else if (!pair.Data.LocalClosed)
            {
                // The pod side has ended: an empty FIN lets the server forget the stream (never data: nothing reads it).
                try
                {
                    await pair.Data.CloseWriteAsync(CancellationToken.None).ConfigureAwait(false);
                }
                catch (Exception e) when (e is IOException or ObjectDisposedException)
                {
                }
            }

            pair.Data.Discard();
        }

        string? error = null;
        try
        {
            error = await errorText.WaitAsync(ErrorGrace, cancellation).ConfigureAwait(false);
        }
        catch (Exception e) when (e is TimeoutException or IOException or OperationCanceledException)
        {
        }
        finally
        {
            pair.Error.Discard();
        }

        // The CRI streaming server reads a connection's frames in five queues by stream id and hands a stream's data
        // to whoever reads that stream, waiting until someone does. Data that reached it after its end of the stream
        // was done (a refused port, or a pod that closed while we were still sending) is never read, and that queue
        // stops for good. The connection is then left to its open streams, and new ones go to a new connection.
        var sent = Volatile.Read(ref lastSent.Value);
        var ended = pair.Data.RemoteClosedAt;
        if (sent != 0 && ended != 0 && (!string.IsNullOrWhiteSpace(error)
            || (pair.Data.RemoteEndedFirst && (sent > ended || Stopwatch.GetElapsedTime(sent, ended) < CrossingWindow))))
        {
            pair.Session.MarkUnusable("data may have reached a stream the server no longer reads");
        }

        return string.IsNullOrWhiteSpace(error) ? failure : error;
    }

    // Returns true when the local client ended its side cleanly (EOF, passed on as FIN), false when it broke.
    private static async Task<bool> LocalToPodAsync(SpdyStream data, Socket client, Tunnel tunnel, StrongBox<long> lastSent, CancellationToken cancellation)
    {
        var frame = ArrayPool<byte>.Shared.Rent(SpdyFrames.HeaderSize + LocalReadSize);
        try
        {
            while (true)
            {
                int read;
                try
                {
                    read = await client.ReceiveAsync(frame.AsMemory(SpdyFrames.HeaderSize, LocalReadSize), SocketFlags.None, cancellation).ConfigureAwait(false);
                }
                catch (SocketException)
                {
                    return false;
                }

                // Once the pod side has ended nothing reads the stream on the server: sending more would block it.
                if (data.RemoteClosed)
                {
                    return true;
                }

                if (read == 0)
                {
                    await data.CloseWriteAsync(cancellation).ConfigureAwait(false);
                    return true;
                }

                Volatile.Write(ref lastSent.Value, Stopwatch.GetTimestamp());
                await data.WriteAsync(frame, read, cancellation).ConfigureAwait(false);
                tunnel.AddBytesIn(read);
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(frame);
        }
    }

    // A server that takes streams but never answers them (a stuck connection) should not get any more.
    private static async Task WatchReplyAsync(StreamPair pair, CancellationToken cancellation)
    {
        try
        {
            await pair.Data.Replied.WaitAsync(ReplyTimeout, cancellation).ConfigureAwait(false);
        }
        catch (TimeoutException)
        {
            pair.Session.MarkUnusable($"no reply to a new stream within {ReplyTimeout.TotalSeconds:0} s");
        }
        catch (Exception e) when (e is OperationCanceledException or IOException)
        {
        }
    }

    private static async Task Quiet(Task task)
    {
        try
        {
            await task.ConfigureAwait(false);
        }
        catch (Exception e) when (e is OperationCanceledException or SocketException or ObjectDisposedException or IOException)
        {
        }
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var (key, entry) in _sessions)
        {
            _sessions.TryRemove(new KeyValuePair<string, Lazy<Task<SpdyConnection>>>(key, entry));
            try
            {
                await (await entry.Value.ConfigureAwait(false)).DisposeAsync().ConfigureAwait(false);
            }
            catch (Exception)
            {
                // A dial that failed or was cancelled has nothing to close.
            }
        }
    }
}
