using System.Buffers;
using System.Net.Sockets;
using System.Text;
using System.Threading.Channels;

namespace KubeExpose.Core.Tunnels;

/// <summary>
/// One stream of a <see cref="SpdyConnection"/>. What the server sends is queued per stream by the connection's
/// reader loop (a bounded queue of pooled chunks, so a local client that reads slowly holds up only its own stream
/// until the queue is full) and taken out by one consumer; what the client sends goes out as DATA frames through the
/// connection's single writer.
/// </summary>
internal sealed class SpdyStream
{
    /// <summary>Chunks queued per stream before the reader loop waits: up to about 2 MiB of 32 KiB server frames.</summary>
    private const int InboundChunks = 64;

    private readonly SpdyConnection _connection;
    private readonly Channel<Chunk> _inbound = Channel.CreateBounded<Chunk>(new BoundedChannelOptions(InboundChunks)
    {
        SingleReader = true,
        SingleWriter = true,
        FullMode = BoundedChannelFullMode.Wait,
    });

    private readonly TaskCompletionSource _replied = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private int _localClosed;
    private int _remoteClosed;
    private volatile bool _discarding;

    internal SpdyStream(SpdyConnection connection, uint id, bool localClosed)
    {
        _connection = connection;
        Id = id;
        _localClosed = localClosed ? 1 : 0;
    }

    public uint Id { get; }

    /// <summary>Completes when the server's SYN_REPLY for this stream arrives.</summary>
    public Task Replied => _replied.Task;

    /// <summary>The server has ended its side (FIN), reset the stream, or the connection is gone.</summary>
    public bool RemoteClosed => Volatile.Read(ref _remoteClosed) != 0;

    public bool LocalClosed => Volatile.Read(ref _localClosed) != 0;

    /// <summary>When (<see cref="System.Diagnostics.Stopwatch"/> ticks) the server's side ended; 0 while it is open.</summary>
    public long RemoteClosedAt => Volatile.Read(ref _remoteClosedAt);

    private long _remoteClosedAt;

    /// <summary>The server ended its side while ours was still open (not in answer to our FIN).</summary>
    public bool RemoteEndedFirst { get; private set; }

    private readonly record struct Chunk(byte[] Buffer, int Length);

    // ---- called by the connection's reader loop (one caller at a time) ----

    internal ValueTask DeliverAsync(ReadOnlySpan<byte> data)
    {
        if (_discarding || RemoteClosed || data.IsEmpty)
        {
            return ValueTask.CompletedTask;
        }

        var buffer = ArrayPool<byte>.Shared.Rent(data.Length);
        data.CopyTo(buffer);
        var chunk = new Chunk(buffer, data.Length);
        return _inbound.Writer.TryWrite(chunk) ? ValueTask.CompletedTask : WaitAndWriteAsync(chunk);
    }

    private async ValueTask WaitAndWriteAsync(Chunk chunk)
    {
        try
        {
            await _inbound.Writer.WriteAsync(chunk).ConfigureAwait(false);
        }
        catch (ChannelClosedException)
        {
            ArrayPool<byte>.Shared.Return(chunk.Buffer);
        }
    }

    internal void DeliverReply() => _replied.TrySetResult();

    /// <summary>The server's side ended: cleanly (FIN, <paramref name="failure"/> null) or not (reset, connection lost).</summary>
    internal void DeliverEnd(string? failure)
    {
        if (Interlocked.Exchange(ref _remoteClosed, 1) != 0)
        {
            return;
        }

        RemoteEndedFirst = !LocalClosed;
        Volatile.Write(ref _remoteClosedAt, System.Diagnostics.Stopwatch.GetTimestamp());
        _inbound.Writer.TryComplete(failure is null ? null : new IOException(failure));
        if (failure is not null)
        {
            _replied.TrySetException(new IOException(failure));
            Interlocked.Exchange(ref _localClosed, 1); // a reset stream takes nothing more from us
        }

        _connection.Forget(this);
    }

    // ---- called by the stream's user ----

    /// <summary>
    /// Sends everything the server sends on this stream to <paramref name="destination"/> until the server's FIN.
    /// Throws <see cref="IOException"/> when the stream was reset or the connection lost.
    /// </summary>
    public async Task CopyToAsync(Socket destination, Action<int> sent, CancellationToken cancellation)
    {
        var reader = _inbound.Reader;
        while (await reader.WaitToReadAsync(cancellation).ConfigureAwait(false))
        {
            while (reader.TryRead(out var chunk))
            {
                try
                {
                    var offset = 0;
                    while (offset < chunk.Length)
                    {
                        offset += await destination.SendAsync(chunk.Buffer.AsMemory(offset, chunk.Length - offset), SocketFlags.None, cancellation).ConfigureAwait(false);
                    }

                    sent(chunk.Length);
                }
                finally
                {
                    ArrayPool<byte>.Shared.Return(chunk.Buffer);
                }
            }
        }

        await reader.Completion.ConfigureAwait(false);
    }

    /// <summary>Everything the server sends until its FIN, as text (the port-forward error stream).</summary>
    public async Task<string> ReadAllTextAsync(CancellationToken cancellation)
    {
        var text = new StringBuilder();
        var decoder = Encoding.UTF8.GetDecoder();
        var chars = new char[1024];
        await foreach (var chunk in _inbound.Reader.ReadAllAsync(cancellation).ConfigureAwait(false))
        {
            var bytes = chunk.Buffer.AsSpan(0, chunk.Length);
            while (!bytes.IsEmpty)
            {
                decoder.Convert(bytes, chars, flush: false, out var used, out var produced, out _);
                text.Append(chars, 0, produced);
                bytes = bytes[used..];
            }

            ArrayPool<byte>.Shared.Return(chunk.Buffer);
        }

        return text.ToString();
    }

    /// <summary>
    /// Sends <paramref name="length"/> bytes found at offset <see cref="SpdyFrames.HeaderSize"/> of
    /// <paramref name="frame"/>; the first 8 bytes are room for the frame header, so the frame is one write.
    /// </summary>
    public ValueTask WriteAsync(byte[] frame, int length, CancellationToken cancellation)
    {
        if (LocalClosed)
        {
            throw new IOException($"SPDY stream {Id} is closed for sending");
        }

        SpdyFrames.WriteDataHeader(frame, Id, length, fin: false);
        return _connection.WriteAsync(frame.AsMemory(0, SpdyFrames.HeaderSize + length), cancellation);
    }

    /// <summary>Half-closes: an empty DATA frame with FIN, once. The server's side stays open until its own FIN.</summary>
    public async ValueTask CloseWriteAsync(CancellationToken cancellation)
    {
        if (Interlocked.Exchange(ref _localClosed, 1) != 0)
        {
            return;
        }

        var frame = new byte[SpdyFrames.HeaderSize];
        SpdyFrames.WriteDataHeader(frame, Id, 0, fin: true);
        await _connection.WriteAsync(frame, cancellation).ConfigureAwait(false);
        _connection.Forget(this);
    }

    /// <summary>Ends the stream both ways at once (RST_STREAM CANCEL), unless it has already ended both ways.</summary>
    public async ValueTask ResetAsync()
    {
        var wasLocalClosed = Interlocked.Exchange(ref _localClosed, 1) != 0;
        var wasRemoteClosed = Interlocked.Exchange(ref _remoteClosed, 1) != 0;
        Discard();
        _connection.Forget(this);
        if (wasLocalClosed && wasRemoteClosed)
        {
            return;
        }

        try
        {
            await _connection.WriteAsync(SpdyFrames.RstStreamFrame(Id, SpdyFrames.StatusCancel), CancellationToken.None).ConfigureAwait(false);
        }
        catch (Exception e) when (e is IOException or ObjectDisposedException or OperationCanceledException)
        {
            // The connection is gone: the server drops the stream with it.
        }
    }

    /// <summary>No one will read this stream any more: drop what is queued and whatever arrives later.</summary>
    public void Discard()
    {
        _discarding = true;
        _inbound.Writer.TryComplete();
        while (_inbound.Reader.TryRead(out var chunk))
        {
            ArrayPool<byte>.Shared.Return(chunk.Buffer);
        }
    }
}
