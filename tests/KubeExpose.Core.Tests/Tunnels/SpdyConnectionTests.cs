using System.Net;
using System.Net.Sockets;
using System.Text;
using KubeExpose.Core.Tunnels;
using Xunit;

namespace KubeExpose.Core.Tests.Tunnels;

/// <summary>
/// <see cref="SpdyConnection"/> and <see cref="SpdyPortForward.PumpAsync"/> against <see cref="FakeSpdyPeer"/> on
/// loopback: stream ids and header blocks as the CRI streaming server reads them, frames routed to their streams,
/// PING answered, RST_STREAM and GOAWAY honoured, half-close passed on, the error stream's text returned.
/// </summary>
public sealed class SpdyConnectionTests
{
    private static readonly (IReadOnlyList<KeyValuePair<string, string>>, bool)[] PortForwardPair =
    [
        ([new("streamtype", "error"), new("port", "80"), new("requestid", "7")], true),
        ([new("streamtype", "data"), new("port", "80"), new("requestid", "7")], false),
    ];

    [Fact]
    public async Task Streams_open_in_order_and_frames_reach_their_stream()
    {
        await using var peer = await FakeSpdyPeer.StartAsync();
        // A PING that arrived together with the upgrade response must be answered too.
        await using var connection = new SpdyConnection(peer.ClientStream, SpdyFrames.PingFrame(2), "fake pod");

        var pair = await connection.OpenStreamsAsync(PortForwardPair, CancellationToken.None);
        Assert.Equal([1u, 3u], pair.Select(s => s.Id));
        Assert.True(pair[0].LocalClosed);
        // The PING answer comes from the reader loop, so it may come before or after the SYN_STREAMs.
        var frames = new[] { await peer.ReadFrameAsync(), await peer.ReadFrameAsync(), await peer.ReadFrameAsync() };
        var ping = Assert.Single(frames, f => f.Header.Type == SpdyFrames.Ping);
        Assert.Equal(2, SpdyFrames.ReadInt32(ping.Payload));
        var (errorSyn, dataSyn) = (frames.Where(f => f != ping).First(), frames.Where(f => f != ping).Last());
        Assert.Equal((SpdyFrames.SynStream, 1u, true), (errorSyn.Header.Type, errorSyn.StreamId, errorSyn.Header.Fin));
        Assert.Equal((SpdyFrames.SynStream, 3u, false), (dataSyn.Header.Type, dataSyn.StreamId, dataSyn.Header.Fin));
        var headers = peer.OpenedHeaders();
        Assert.Equal(PortForwardPair.Select(p => p.Item1), headers);

        // Data may follow the SYN_STREAM before the reply.
        var frame = new byte[SpdyFrames.HeaderSize + 5];
        "hello"u8.CopyTo(frame.AsSpan(SpdyFrames.HeaderSize));
        await pair[1].WriteAsync(frame, 5, CancellationToken.None);
        var data = await peer.ReadFrameAsync();
        Assert.Equal((false, 3u, "hello"), (data.Header.IsControl, data.StreamId, Encoding.ASCII.GetString(data.Payload)));

        await peer.SendControlAsync(SpdyFrames.Settings, [0, 0, 0, 1, 0, 0, 0, 7, 0, 0, 0, 9]);
        await peer.SendControlAsync(SpdyFrames.WindowUpdate, [0, 0, 0, 3, 0, 1, 0, 0]);
        await peer.SendReplyAsync(3);
        await pair[1].Replied.WaitAsync(TimeSpan.FromSeconds(10));
        var reading = pair[1].ReadAllTextAsync(CancellationToken.None);
        await peer.SendDataAsync(3, "wor"u8.ToArray(), fin: false);
        await peer.SendDataAsync(99, "not ours"u8.ToArray(), fin: false); // an unknown stream's data is skipped
        await peer.SendDataAsync(3, "ld"u8.ToArray(), fin: true);
        Assert.Equal("world", await reading.WaitAsync(TimeSpan.FromSeconds(10)));
        Assert.True(pair[1].RemoteClosed);

        await peer.SendControlAsync(SpdyFrames.Ping, [0, 0, 0, 4]);
        var pong = await peer.ReadFrameAsync();
        Assert.Equal((SpdyFrames.Ping, 4), (pong.Header.Type, SpdyFrames.ReadInt32(pong.Payload)));

        // RST_STREAM ends only the stream it names.
        var more = await connection.OpenStreamsAsync(PortForwardPair, CancellationToken.None);
        Assert.Equal([5u, 7u], more.Select(s => s.Id));
        await peer.ReadFrameAsync();
        await peer.ReadFrameAsync();
        await peer.SendControlAsync(SpdyFrames.RstStream, [0, 0, 0, 7, 0, 0, 0, 3]);
        var reset = await Assert.ThrowsAsync<IOException>(() => more[1].ReadAllTextAsync(CancellationToken.None).WaitAsync(TimeSpan.FromSeconds(10)));
        Assert.Contains("REFUSED_STREAM", reset.Message, StringComparison.Ordinal);
        Assert.True(connection.IsUsable);

        // GOAWAY: no new streams here; the server closing the connection ends the streams still open.
        await peer.SendControlAsync(SpdyFrames.GoAway, [0, 0, 0, 7, 0, 0, 0, 0]);
        await WaitUntilAsync(() => !connection.IsUsable);
        await Assert.ThrowsAsync<IOException>(() => connection.OpenStreamsAsync(PortForwardPair, CancellationToken.None));
        var open = more[0].ReadAllTextAsync(CancellationToken.None);
        peer.Close();
        Assert.Contains("ended", (await Assert.ThrowsAsync<IOException>(() => open.WaitAsync(TimeSpan.FromSeconds(10)))).Message, StringComparison.Ordinal);
        Assert.Contains("closed", await connection.Closed.WaitAsync(TimeSpan.FromSeconds(10)), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_local_half_close_becomes_fin_and_the_answer_still_arrives()
    {
        await using var peer = await FakeSpdyPeer.StartAsync();
        await using var connection = new SpdyConnection(peer.ClientStream, ReadOnlyMemory<byte>.Empty, "fake pod");
        var (app, tunnelSide) = await SocketPairAsync();
        using var _ = app;
        var tunnel = new Tunnel(1, TunnelKind.PortForward, "pod/fake", "ns");
        var streams = await connection.OpenStreamsAsync(PortForwardPair, CancellationToken.None);
        var pump = SpdyPortForward.PumpAsync(new SpdyPortForward.StreamPair(connection, streams[0], streams[1]), tunnelSide, tunnel, CancellationToken.None);

        await app.SendAsync("GET / HTTP/1.0\r\n\r\n"u8.ToArray());
        app.Shutdown(SocketShutdown.Send);
        await peer.ReadFrameAsync();
        await peer.ReadFrameAsync();
        var request = new StringBuilder();
        while (true)
        {
            var frame = await peer.ReadFrameAsync();
            Assert.Equal(3u, frame.StreamId);
            request.Append(Encoding.ASCII.GetString(frame.Payload));
            if (frame.Header.Fin)
            {
                break;
            }
        }

        Assert.Equal("GET / HTTP/1.0\r\n\r\n", request.ToString());
        await peer.SendReplyAsync(1);
        await peer.SendReplyAsync(3);
        await peer.SendDataAsync(3, "HTTP/1.0 200 OK\r\n\r\nhi"u8.ToArray(), fin: true);
        await peer.SendDataAsync(1, [], fin: true);

        Assert.Equal("HTTP/1.0 200 OK\r\n\r\nhi", await ReadToEndAsync(app));
        Assert.Null(await pump.WaitAsync(TimeSpan.FromSeconds(10)));
        Assert.Equal(18, tunnel.BytesIn);
        Assert.Equal(21, tunnel.BytesOut);
        Assert.Equal(0, connection.ActiveStreams);
    }

    [Fact]
    public async Task The_error_stream_text_is_returned_and_the_local_connection_closed()
    {
        await using var peer = await FakeSpdyPeer.StartAsync();
        await using var connection = new SpdyConnection(peer.ClientStream, ReadOnlyMemory<byte>.Empty, "fake pod");
        var (app, tunnelSide) = await SocketPairAsync();
        using var _ = app;
        var tunnel = new Tunnel(1, TunnelKind.PortForward, "pod/fake", "ns");
        var streams = await connection.OpenStreamsAsync(PortForwardPair, CancellationToken.None);
        var pump = SpdyPortForward.PumpAsync(new SpdyPortForward.StreamPair(connection, streams[0], streams[1]), tunnelSide, tunnel, CancellationToken.None);

        // The client speaks first; the request goes out before the pod's refusal is known.
        await app.SendAsync("GET / HTTP/1.0\r\n\r\n"u8.ToArray());
        await peer.ReadFrameAsync();
        await peer.ReadFrameAsync();
        Assert.Equal(3u, (await peer.ReadFrameAsync()).StreamId);

        // As the CRI streaming server does on a refused dial: the data stream ends first, then the error text.
        await peer.SendReplyAsync(1);
        await peer.SendReplyAsync(3);
        await peer.SendDataAsync(3, [], fin: true);
        await peer.SendDataAsync(1, "failed to connect to localhost:81: connection refused"u8.ToArray(), fin: true);
        Assert.Equal("", await ReadToEndAsync(app));
        Assert.Equal("failed to connect to localhost:81: connection refused", await pump.WaitAsync(TimeSpan.FromSeconds(10)));

        // The server never read that request: its frame queue for the stream is stuck, so no new streams go here.
        Assert.False(connection.IsUsable);
    }

    private static async Task<(Socket App, Socket TunnelSide)> SocketPairAsync()
    {
        using var listener = new Socket(SocketType.Stream, ProtocolType.Tcp);
        listener.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        listener.Listen(1);
        var app = new Socket(SocketType.Stream, ProtocolType.Tcp);
        await app.ConnectAsync(listener.LocalEndPoint!);
        return (app, await listener.AcceptAsync());
    }

    private static async Task<string> ReadToEndAsync(Socket socket)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        var text = new StringBuilder();
        var buffer = new byte[4096];
        int read;
        while ((read = await socket.ReceiveAsync(buffer, SocketFlags.None, timeout.Token)) > 0)
        {
            text.Append(Encoding.ASCII.GetString(buffer, 0, read));
        }

        return text.ToString();
    }

    private static async Task WaitUntilAsync(Func<bool> condition)
    {
        for (var i = 0; i < 200 && !condition(); i++)
        {
            await Task.Delay(50);
        }

        Assert.True(condition());
    }
}
