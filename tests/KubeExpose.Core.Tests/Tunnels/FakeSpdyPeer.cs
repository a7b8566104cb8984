using System.Buffers.Binary;
using System.IO.Compression;
using System.Net;
using System.Net.Sockets;
using KubeExpose.Core.Tunnels;

namespace KubeExpose.Core.Tests.Tunnels;

/// <summary>
/// The server end of a SPDY connection on loopback, driven frame by frame by a test: reads what the client sends
/// (keeping the SYN_STREAM header blocks to inflate later) and writes whatever frames the test builds. A test of our
/// framing against the layout, not of a real server; the E2E suite talks to the real CRI streaming server.
/// </summary>
internal sealed class FakeSpdyPeer : IAsyncDisposable
{
    private readonly Socket _server;
    private readonly NetworkStream _stream;
    private readonly MemoryStream _headerBlocks = new();

    private FakeSpdyPeer(Socket server, Socket client)
    {
        _server = server;
        _stream = new NetworkStream(server, ownsSocket: true);
        ClientStream = new NetworkStream(client, ownsSocket: true);
    }

    /// <summary>The client's end, to hand to <see cref="SpdyConnection"/>.</summary>
    public NetworkStream ClientStream { get; }

    public static async Task<FakeSpdyPeer> StartAsync()
    {
        using var listener = new Socket(SocketType.Stream, ProtocolType.Tcp);
        listener.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        listener.Listen(1);
        var client = new Socket(SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        await client.ConnectAsync(listener.LocalEndPoint!);
        var server = await listener.AcceptAsync();
        return new FakeSpdyPeer(server, client);
    }

    public sealed record Frame(SpdyFrames.FrameHeader Header, byte[] Payload)
    {
        public uint StreamId => Header.IsControl ? SpdyFrames.ReadStreamId(Payload) : Header.StreamId;
    }

    public async Task<Frame> ReadFrameAsync()
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        var head = new byte[SpdyFrames.HeaderSize];
        await _stream.ReadExactlyAsync(head, timeout.Token);
        var header = SpdyFrames.ReadHeader(head);
        var payload = new byte[header.Length];
        await _stream.ReadExactlyAsync(payload, timeout.Token);
        if (header.IsControl && header.Type == SpdyFrames.SynStream)
        {
            _headerBlocks.Write(payload, 10, payload.Length - 10);
        }

        return new Frame(header, payload);
    }

    /// <summary>The headers of every SYN_STREAM read so far, in order, inflated from the client's one zlib stream.</summary>
    public List<IReadOnlyList<KeyValuePair<string, string>>> OpenedHeaders()
    {
        using var inflater = new ZLibStream(new MemoryStream(_headerBlocks.ToArray()), CompressionMode.Decompress);
        var raw = new MemoryStream();
        inflater.CopyTo(raw);
        var bytes = raw.ToArray().AsSpan();
        var all = new List<IReadOnlyList<KeyValuePair<string, string>>>();
        while (!bytes.IsEmpty)
        {
            all.Add(SpdyHeaderBlock.Parse(bytes, out var used));
            bytes = bytes[used..];
        }

        return all;
    }

    public Task SendAsync(byte[] frame) => _stream.WriteAsync(frame).AsTask();

    public Task SendDataAsync(uint streamId, byte[] data, bool fin)
    {
        var frame = new byte[SpdyFrames.HeaderSize + data.Length];
        SpdyFrames.WriteDataHeader(frame, streamId, data.Length, fin);
        data.CopyTo(frame, SpdyFrames.HeaderSize);
        return SendAsync(frame);
    }

    /// <summary>A SYN_REPLY; its header block is junk on purpose: a client must not need to decode the server's.</summary>
    public Task SendReplyAsync(uint streamId, bool fin = false)
    {
        var frame = new byte[SpdyFrames.HeaderSize + 4 + 6];
        SpdyFrames.WriteControlHeader(frame, SpdyFrames.SynReply, fin ? SpdyFrames.FlagFin : (byte)0, 10);
        BinaryPrimitives.WriteUInt32BigEndian(frame.AsSpan(8), streamId);
        new byte[] { 0x38, 0xEA, 0xDF, 0xA2, 0x51, 0xB2 }.CopyTo(frame, 12);
        return SendAsync(frame);
    }

    public Task SendControlAsync(ushort type, byte[] payload)
    {
        var frame = new byte[SpdyFrames.HeaderSize + payload.Length];
        SpdyFrames.WriteControlHeader(frame, type, 0, payload.Length);
        payload.CopyTo(frame, SpdyFrames.HeaderSize);
        return SendAsync(frame);
    }

    /// <summary>Ends the connection from the server's side.</summary>
    public void Close() => _server.Shutdown(SocketShutdown.Both);

    public async ValueTask DisposeAsync()
    {
        await _stream.DisposeAsync();
        await ClientStream.DisposeAsync();
    }
}
