using System.Collections.Concurrent;

namespace KubeExpose.Core.Tunnels;

/// <summary>
/// One upgraded SPDY/3.1 connection (client side) carrying many streams: a single reader loop that takes the server's
/// frames apart and hands each stream its data, one write lock so frames never interleave, client stream ids odd
/// from 1 and always sent in increasing order (the server resets a stream id that goes backwards). PINGs from the
/// server are answered; SETTINGS and WINDOW_UPDATE are read and ignored (the server does no flow control either);
/// GOAWAY and RST_STREAM end what they name. When the connection breaks every open stream ends with the reason.
/// </summary>
internal sealed class SpdyConnection : IAsyncDisposable
{
    private const int ReadBufferSize = 256 * 1024;

    private readonly Stream _transport;
    private readonly SemaphoreSlim _writeLock = new(1, 1);
    private readonly ConcurrentDictionary<uint, SpdyStream> _streams = new();
    private readonly SpdyHeaderBlock _headers = new();
    private readonly TaskCompletionSource<string> _closed = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _reader;
    private uint _nextStreamId = 1;
    private volatile string? _unusable;
    private volatile bool _retiring;

    /// <param name="transport">The connection after the HTTP upgrade (TLS or plain).</param>
    /// <param name="alreadyRead">Bytes read past the upgrade response head: the start of the server's first frame.</param>
    /// <param name="description">Who is at the other end, for messages ("pod web-1").</param>
    public SpdyConnection(Stream transport, ReadOnlyMemory<byte> alreadyRead, string description)
    {
        _transport = transport;
        Description = description;
        _reader = Task.Run(() => ReadLoopAsync(alreadyRead.ToArray()));
    }

    public string Description { get; }

    /// <summary>Completes with the reason when the connection has ended.</summary>
    public Task<string> Closed => _closed.Task;

    /// <summary>Open for new streams: not closed, not told to go away by the server, not found unresponsive.</summary>
    public bool IsUsable => !_closed.Task.IsCompleted && _unusable is null && !_retiring;

    /// <summary>Why new streams should not go here, or null.</summary>
    public string? UnusableReason => _closed.Task.IsCompleted ? _closed.Task.Result : _unusable ?? (_retiring ? "retired" : null);

    public int ActiveStreams => _streams.Count;

    /// <summary>Takes the connection out of use for new streams; it closes when its last stream ends.</summary>
    public void MarkUnusable(string reason)
    {
        _unusable ??= reason;
    }

    /// <summary>Closes the connection once its open streams have ended (at once when there are none).</summary>
    public void Retire()
    {
        _retiring = true;
        if (_streams.IsEmpty)
        {
            _ = DisposeAsync().AsTask();
        }
    }

    /// <summary>
    /// Opens streams with the given header blocks in one write, in order (ids increasing), without waiting for the
    /// server's replies: the server reads a stream's frames in order, so data may follow the SYN_STREAM at once.
    /// A stream opened with <c>Fin</c> is half-closed from the start.
    /// </summary>
    public async Task<SpdyStream[]> OpenStreamsAsync(IReadOnlyList<(IReadOnlyList<KeyValuePair<string, string>> Headers, bool Fin)> requests, CancellationToken cancellation)
    {
        var streams = new SpdyStream[requests.Count];
        await _writeLock.WaitAsync(cancellation).ConfigureAwait(false);
        try
        {
            if (!IsUsable)
            {
                throw new IOException($"the SPDY connection to {Description} is not usable: {UnusableReason}");
            }

            if (_nextStreamId + (2 * (uint)requests.Count) > 0x7FFFFFFF)
            {
                _unusable ??= "stream ids exhausted";
                throw new IOException($"the SPDY connection to {Description} has used all its stream ids");
            }

            var frames = new List<byte[]>(requests.Count);
            for (var i = 0; i < requests.Count; i++)
            {
                var id = _nextStreamId;
                _nextStreamId += 2;
                streams[i] = new SpdyStream(this, id, requests[i].Fin);
                _streams[id] = streams[i];
                frames.Add(SpdyFrames.SynStreamFrame(id, _headers.Encode(requests[i].Headers), requests[i].Fin));
            }

            var all = new byte[frames.Sum(f => f.Length)];
            var at = 0;
            foreach (var frame in frames)
            {
                frame.CopyTo(all, at);
                at += frame.Length;
            }

            await WriteLockedAsync(all, cancellation).ConfigureAwait(false);
            return streams;
        }
        catch
        {
            foreach (var stream in streams.Where(s => s is not null))
            {
                _streams.TryRemove(stream.Id, out _);
            }

            throw;
        }
        finally
        {
            _writeLock.Release();
        }
    }

    /// <summary>Writes whole frames; concurrent writers queue on one lock so frames never interleave.</summary>
    public async ValueTask WriteAsync(ReadOnlyMemory<byte> frames, CancellationToken cancellation)
    {
        await _writeLock.WaitAsync(cancellation).ConfigureAwait(false);
        try
        {
            await WriteLockedAsync(frames, cancellation).ConfigureAwait(false);
        }
        finally
        {
            _writeLock.Release();
        }
    }

    private async ValueTask WriteLockedAsync(ReadOnlyMemory<byte> frames, CancellationToken cancellation)
    {
        if (_closed.Task.IsCompleted)
        {
            throw new IOException($"the SPDY connection to {Description} is closed: {_closed.Task.Result}");
        }

        try
        {
            await _transport.WriteAsync(frames, cancellation).ConfigureAwait(false);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            Close($"writing failed: {e.Message}");
            throw new IOException($"the SPDY connection to {Description} failed: {e.Message}", e);
        }
    }

    /// <summary>Drops a stream that has ended both ways; a retiring connection closes with its last stream.</summary>
    internal void Forget(SpdyStream stream)
    {
        if (stream.LocalClosed && stream.RemoteClosed)
        {
            _streams.TryRemove(stream.Id, out _);
            if (_retiring && _streams.IsEmpty)
            {
                _ = DisposeAsync().AsTask();
            }
        }
    }

    private async Task ReadLoopAsync(byte[] initial)
    {
        var buffer = new byte[Math.Max(ReadBufferSize, initial.Length)];
        initial.CopyTo(buffer, 0);
        var start = 0;
        var end = initial.Length;
        var reason = "the server closed the connection";
        var cancellation = _stop.Token;

        // Makes at least `count` unread bytes available at buffer[start..]; false at the end of the connection.
        async ValueTask<bool> EnsureAsync(int count)
        {
            if (end - start >= count)
            {
                return true;
            }

            if (buffer.Length - start < count)
            {
                Buffer.BlockCopy(buffer, start, buffer, 0, end - start);
                end -= start;
                start = 0;
            }

            while (end - start < count)
            {
                var read = await _transport.ReadAsync(buffer.AsMemory(end), cancellation).ConfigureAwait(false);
                if (read == 0)
                {
                    return false;
                }

                end += read;
            }

            return true;
        }

        try
        {
            while (true)
            {
                if (start == end)
                {
                    start = end = 0; // reading into the whole buffer again keeps reads large
                }

                if (!await EnsureAsync(SpdyFrames.HeaderSize).ConfigureAwait(false))
                {
                    break;
                }

                var header = SpdyFrames.ReadHeader(buffer.AsSpan(start, SpdyFrames.HeaderSize));
                start += SpdyFrames.HeaderSize;
                var remaining = header.Length;
                if (header.IsControl)
                {
                    // Every field we use is in a control frame's first 8 payload bytes; the rest (header blocks of
                    // SYN_REPLY/HEADERS, SETTINGS entries) is skipped undecoded.
                    var fields = Math.Min(remaining, 8);
                    if (!await EnsureAsync(fields).ConfigureAwait(false))
                    {
                        break;
                    }

                    await HandleControlAsync(header, buffer.AsMemory(start, fields)).ConfigureAwait(false);
                    start += fields;
                    remaining -= fields;
                }

                var stream = header.IsControl ? null : _streams.GetValueOrDefault(header.StreamId);
                while (remaining > 0)
                {
                    if (start == end)
                    {
                        start = end = 0;
                        if (!await EnsureAsync(1).ConfigureAwait(false))
                        {
                            throw new EndOfStreamException("the connection ended inside a frame");
                        }
                    }

                    var piece = Math.Min(remaining, end - start);
                    if (stream is not null)
                    {
                        await stream.DeliverAsync(buffer.AsSpan(start, piece)).ConfigureAwait(false);
                    }

                    start += piece;
                    remaining -= piece;
                }

                if (!header.IsControl && header.Fin)
                {
                    stream?.DeliverEnd(null);
                }
            }
        }
        catch (OperationCanceledException) when (cancellation.IsCancellationRequested)
        {
            reason = "the connection was closed";
        }
        catch (Exception e) when (e is IOException or ObjectDisposedException or EndOfStreamException or System.Security.Authentication.AuthenticationException)
        {
            reason = $"the connection broke: {e.Message}";
        }
        catch (Exception e)
        {
            reason = $"the connection failed: {e.Message}";
        }

        Close(reason);
    }

    private async ValueTask HandleControlAsync(SpdyFrames.FrameHeader header, ReadOnlyMemory<byte> fields)
    {
        var span = fields.Span;
        switch (header.Type)
        {
            case SpdyFrames.SynReply when span.Length >= 4:
                if (_streams.TryGetValue(SpdyFrames.ReadStreamId(span), out var replied))
                {
                    replied.DeliverReply();
                    if (header.Fin)
                    {
                        replied.DeliverEnd(null);
                    }
                }

                break;
            case SpdyFrames.Headers when span.Length >= 4 && header.Fin:
                if (_streams.TryGetValue(SpdyFrames.ReadStreamId(span), out var ended))
                {
                    ended.DeliverEnd(null);
                }

                break;
            case SpdyFrames.RstStream when span.Length >= 8:
                if (_streams.TryGetValue(SpdyFrames.ReadStreamId(span), out var reset))
                {
                    reset.DeliverEnd($"the server reset the stream ({SpdyFrames.DescribeStatus(SpdyFrames.ReadInt32(span[4..]))})");
                }

                break;
            case SpdyFrames.Ping when span.Length >= 4:
                // Even ids are the server's own pings: echo them. Odd ones would answer ours; we send none.
                var id = (uint)SpdyFrames.ReadInt32(span);
                if (id % 2 == 0)
                {
                    await WriteAsync(SpdyFrames.PingFrame(id), CancellationToken.None).ConfigureAwait(false);
                }

                break;
            case SpdyFrames.GoAway when span.Length >= 4:
                // Streams above the last one the server accepted were never seen by it; the others run to their end.
                var lastGood = SpdyFrames.ReadStreamId(span);
                _unusable ??= "the server sent GOAWAY";
                foreach (var stream in _streams.Values.Where(s => s.Id > lastGood))
                {
                    stream.DeliverEnd("the server is going away and did not take the stream");
                }

                break;
            case SpdyFrames.SynStream when span.Length >= 4:
                // Port-forward servers never open streams; refuse one rather than leave it dangling.
                await WriteAsync(SpdyFrames.RstStreamFrame(SpdyFrames.ReadStreamId(span), SpdyFrames.StatusRefusedStream), CancellationToken.None).ConfigureAwait(false);
                break;
            default:
                // SETTINGS, WINDOW_UPDATE (spdystream has no flow control to honour) and anything newer: nothing to do.
                break;
        }
    }

    private void Close(string reason)
    {
        if (!_closed.TrySetResult(reason))
        {
            return;
        }

        foreach (var stream in _streams.Values)
        {
            stream.DeliverEnd($"the SPDY connection to {Description} ended: {reason}");
        }

        _stop.Cancel();
        try
        {
            _transport.Dispose();
        }
        catch (Exception)
        {
            // Closing an already broken transport may throw; it is closed either way.
        }
    }

    public async ValueTask DisposeAsync()
    {
        Close("the connection was closed");
        try
        {
            await _reader.ConfigureAwait(false);
        }
        catch (Exception)
        {
            // The reader loop records its own end; nothing more to report here.
        }
    }
}
