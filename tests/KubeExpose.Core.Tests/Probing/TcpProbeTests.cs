using System.Text;
using System.Text.RegularExpressions;
using KubeExpose.Core.Probing;
using KubeExpose.Tests.Servers;
using Xunit;

namespace KubeExpose.Core.Tests.Probing;

public sealed class TcpProbeTests
{
    private static readonly ProbeOptions Fast = new() { RetryInterval = TimeSpan.Zero, Timeout = TimeSpan.FromSeconds(5) };

    private static Task<EndpointTestResult> Probe(string target, ProbeOptions options) =>
        new EndpointTester(options).TestAsync(ProbeTargets.Parse(target), CancellationToken.None);

    /// <summary>Says "220 ready", then answers each line "PING" with "PONG".</summary>
    private static LoopbackServer BannerServer() => new(async (_, stream, stop) =>
    {
        await stream.WriteAsync(Encoding.ASCII.GetBytes("220 ready\r\n"), stop);
        using var reader = new StreamReader(stream, Encoding.ASCII, leaveOpen: true);
        while (await reader.ReadLineAsync(stop) is { } line)
        {
            await stream.WriteAsync(Encoding.ASCII.GetBytes(line.Trim() == "PING" ? "PONG\r\n" : "ERR\r\n"), stop);
        }
    });

    [Fact]
    public async Task A_listening_port_succeeds_on_connect()
    {
        using var server = BannerServer();
        var result = await Probe(server.Address, Fast);

        Assert.True(result.Success, result.Error);
        Assert.Equal("TCP", result.Protocol);
        Assert.Equal(server.Address, result.RemoteAddress);
        Assert.Null(result.StatusCode);
    }

    [Fact]
    public async Task A_banner_is_matched_without_sending()
    {
        using var server = BannerServer();
        Assert.True((await Probe(server.Address, Fast with { ExpectContent = new Regex("^220 ") })).Success);
    }

    [Fact]
    public async Task Send_writes_the_text_and_the_reply_is_matched()
    {
        using var server = BannerServer();
        var result = await Probe($"tcp://{server.Address}", Fast with { Send = "PING\r\n", ExpectContent = new Regex("PONG") });
        Assert.True(result.Success, result.Error);
    }

    [Fact]
    public async Task A_reply_that_never_matches_times_out_and_quotes_what_came()
    {
        using var server = BannerServer();
        // Long enough for the banner and the reply to arrive on a loaded machine before the probe gives up.
        var result = await Probe(server.Address, Fast with { Send = "HELLO\r\n", ExpectContent = new Regex("PONG"), Timeout = TimeSpan.FromSeconds(2) });

        Assert.False(result.Success);
        Assert.Equal(ProbeFailureKind.Timeout, result.FailureKind);
        Assert.Equal("timed out after 2 s waiting for a reply matching 'PONG' (got '220 ready ERR')", result.Error);
    }

    [Fact]
    public async Task A_server_that_closes_without_the_expected_reply_fails_as_unexpected_content()
    {
        using var server = new LoopbackServer(async (_, stream, stop) => await stream.WriteAsync(Encoding.ASCII.GetBytes("bye\n"), stop));
        var result = await Probe(server.Address, Fast with { ExpectContent = new Regex("^220") });

        Assert.False(result.Success);
        Assert.Equal(ProbeFailureKind.UnexpectedContent, result.FailureKind);
        Assert.Equal("the reply did not match '^220' before the server closed the connection (got 'bye')", result.Error);
    }

    [Fact]
    public async Task A_refused_port_fails_as_refused_with_exact_attempts()
    {
        var port = LoopbackServer.RefusedPort();
        var result = await Probe($"127.0.0.1:{port}", Fast with { RetryCount = 3 });

        Assert.False(result.Success);
        Assert.Equal(4, result.Attempts);
        Assert.Equal(ProbeFailureKind.ConnectionRefused, result.FailureKind);
        Assert.Equal($"connection refused (127.0.0.1:{port})", result.Error);
    }

    [Fact]
    public async Task Count_gives_statistics_over_every_connect()
    {
        using var server = BannerServer();
        var result = await Probe(server.Address, Fast with { Count = 7 });

        Assert.True(result.Success, result.Error);
        Assert.Equal(7, result.Latency!.Count);
        // The listener may accept the last connection just after the client saw it complete.
        SpinWait.SpinUntil(() => server.Connections >= 7, TimeSpan.FromSeconds(5));
        Assert.Equal(7, server.Connections);
    }
}
