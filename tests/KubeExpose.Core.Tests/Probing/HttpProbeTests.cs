using System.Text.RegularExpressions;
using KubeExpose.Core.Probing;
using KubeExpose.Tests.Servers;
using Xunit;

namespace KubeExpose.Core.Tests.Probing;

public sealed class HttpProbeTests
{
    private static readonly ProbeOptions Fast = new() { RetryInterval = TimeSpan.Zero, Timeout = TimeSpan.FromSeconds(5) };

    private static Task<EndpointTestResult> Probe(string target, ProbeOptions? options = null) =>
        new EndpointTester(options ?? Fast).TestAsync(ProbeTargets.Parse(target), CancellationToken.None);

    [Fact]
    public async Task A_served_URL_succeeds_with_its_status_latency_and_remote_address()
    {
        using var server = new LoopbackHttpServer(_ => new HttpReply(200, "hello"));
        var result = await Probe(server.Url + "healthz");

        Assert.True(result.Success, result.Error);
        Assert.False(result.Skipped);
        Assert.Equal("HTTP", result.Protocol);
        Assert.Equal(200, result.StatusCode);
        Assert.Equal(1, result.Attempts);
        Assert.Equal(server.Address, result.RemoteAddress);
        Assert.NotNull(result.LatencyMs);
        Assert.Null(result.Error);
        Assert.Equal("/healthz", Assert.Single(server.Requests).Path);
    }

    [Fact]
    public async Task A_refused_port_fails_as_connection_refused_after_every_retry()
    {
        var port = LoopbackServer.RefusedPort();
        var result = await Probe($"http://127.0.0.1:{port}/", Fast with { RetryCount = 2 });

        Assert.False(result.Success);
        Assert.Equal(3, result.Attempts);
        Assert.Equal(ProbeFailureKind.ConnectionRefused, result.FailureKind);
        Assert.Equal($"connection refused (127.0.0.1:{port})", result.Error);
    }

    [Fact]
    public async Task A_server_that_fails_twice_then_succeeds_takes_exactly_three_attempts()
    {
        using var server = new LoopbackHttpServer(r => r.Index <= 2 ? new HttpReply(503, "warming up") : new HttpReply(200));
        var result = await Probe(server.Url, Fast with { RetryCount = 5 });

        Assert.True(result.Success, result.Error);
        Assert.Equal(3, result.Attempts);
        Assert.Equal(3, server.Requests.Count);
        Assert.Equal(200, result.StatusCode);
    }

    [Fact]
    public async Task A_reset_is_retried_like_any_other_failure()
    {
        using var server = new LoopbackHttpServer(r => r.Index == 1 ? new HttpReply(200, Reset: true) : new HttpReply(200));
        var result = await Probe(server.Url, Fast with { RetryCount = 1 });

        Assert.True(result.Success, result.Error);
        Assert.Equal(2, result.Attempts);
    }

    [Fact]
    public async Task A_reset_without_retries_is_named_as_such()
    {
        using var server = new LoopbackHttpServer(_ => new HttpReply(200, Reset: true));
        var result = await Probe(server.Url);

        Assert.False(result.Success);
        Assert.Equal(ProbeFailureKind.ConnectionReset, result.FailureKind);
        Assert.Matches("reset|closed", result.Error);
    }

    [Fact]
    public async Task An_unexpected_status_names_the_status_and_the_expectation_and_is_retried()
    {
        using var server = new LoopbackHttpServer(_ => new HttpReply(503, "down"));
        var result = await Probe(server.Url, Fast with { RetryCount = 1 });

        Assert.False(result.Success);
        Assert.Equal(2, result.Attempts);
        Assert.Equal(503, result.StatusCode);
        Assert.Equal(ProbeFailureKind.UnexpectedStatus, result.FailureKind);
        Assert.Equal("status 503 (ServiceUnavailable), expected 200-399", result.Error);
    }

    [Fact]
    public async Task Expected_status_codes_replace_the_default_range()
    {
        using var server = new LoopbackHttpServer(_ => new HttpReply(404, "missing"));
        Assert.True((await Probe(server.Url, Fast with { ExpectStatusCodes = [404] })).Success);
        var strict = await Probe(server.Url, Fast with { ExpectStatusCodes = [200, 204] });
        Assert.Equal("status 404 (NotFound), expected 200, 204", strict.Error);
    }

    [Fact]
    public async Task Redirects_are_not_followed_and_count_as_success_by_default()
    {
        using var server = new LoopbackHttpServer(_ => new HttpReply(301, "moved"));
        var result = await Probe(server.Url);

        Assert.True(result.Success, result.Error);
        Assert.Equal(301, result.StatusCode);
        Assert.Single(server.Requests);
    }

    [Fact]
    public async Task Expected_content_is_matched_against_the_body()
    {
        using var server = new LoopbackHttpServer(_ => new HttpReply(200, "<h1>web-7d9c</h1>"));
        Assert.True((await Probe(server.Url, Fast with { ExpectContent = new Regex("web-[0-9a-z]+") })).Success);

        var result = await Probe(server.Url, Fast with { ExpectContent = new Regex("healthy") });
        Assert.False(result.Success);
        Assert.Equal(ProbeFailureKind.UnexpectedContent, result.FailureKind);
        Assert.Equal("the response did not match 'healthy' (it began: '<h1>web-7d9c</h1>')", result.Error);
    }

    [Fact]
    public async Task A_server_slower_than_the_timeout_fails_as_timed_out_after_that_many_seconds()
    {
        using var server = new LoopbackHttpServer(_ => new HttpReply(200, Delay: TimeSpan.FromSeconds(30)));
        var result = await Probe(server.Url, Fast with { Timeout = TimeSpan.FromSeconds(1), RetryCount = 1 });

        Assert.False(result.Success);
        Assert.Equal(2, result.Attempts);
        Assert.Equal(ProbeFailureKind.Timeout, result.FailureKind);
        Assert.Equal("timed out after 1 s waiting for the response", result.Error);
    }

    [Fact]
    public async Task Method_headers_and_host_header_are_sent()
    {
        using var server = new LoopbackHttpServer(_ => new HttpReply(200));
        var options = Fast with
        {
            Method = "HEAD",
            HostHeader = "shop.example.test",
            Headers = new Dictionary<string, string> { ["X-Probe"] = "kubeexpose" },
        };
        Assert.True((await Probe(server.Url, options)).Success);

        var request = Assert.Single(server.Requests);
        Assert.Equal("HEAD", request.Method);
        Assert.Equal("shop.example.test", request.Headers["Host"]);
        Assert.Equal("kubeexpose", request.Headers["X-Probe"]);
    }

    [Fact]
    public async Task An_ingress_style_target_dials_the_address_and_sends_the_rule_host()
    {
        using var server = new LoopbackHttpServer(_ => new HttpReply(200));
        var target = ProbeTargets.FromUri(new Uri("http://shop.example.test/cart")) with { ConnectTo = ("127.0.0.1", server.Port) };
        var result = await new EndpointTester(Fast).TestAsync(target, CancellationToken.None);

        Assert.True(result.Success, result.Error);
        var request = Assert.Single(server.Requests);
        Assert.Equal("shop.example.test", request.Headers["Host"]);
        Assert.Equal("/cart", request.Path);
        Assert.Equal(server.Address, result.RemoteAddress);
    }

    [Fact]
    public async Task A_name_that_does_not_resolve_fails_as_a_DNS_failure()
    {
        var result = await Probe("http://no-such-host.invalid/", Fast with { Timeout = TimeSpan.FromSeconds(10) });

        Assert.False(result.Success);
        Assert.Equal(ProbeFailureKind.NameResolution, result.FailureKind);
        Assert.Equal("DNS: cannot resolve 'no-such-host.invalid'", result.Error);
    }

    [Fact]
    public async Task Count_repeats_a_working_probe_and_reports_latency_statistics()
    {
        using var server = new LoopbackHttpServer(_ => new HttpReply(200));
        var result = await Probe(server.Url, Fast with { Count = 5 });

        Assert.True(result.Success, result.Error);
        Assert.Equal(5, server.Requests.Count);
        Assert.Equal(1, result.Attempts);
        var latency = Assert.IsType<LatencyStatistics>(result.Latency);
        Assert.Equal(5, latency.Count);
        Assert.True(latency.Min <= latency.P50 && latency.P50 <= latency.P95 && latency.P95 <= latency.Max);
        Assert.Equal(latency.P50, result.LatencyMs);
    }

    [Fact]
    public async Task A_sample_that_fails_during_Count_fails_the_result_and_says_which()
    {
        using var server = new LoopbackHttpServer(r => r.Index == 3 ? new HttpReply(500, "boom") : new HttpReply(200));
        var result = await Probe(server.Url, Fast with { Count = 4 });

        Assert.False(result.Success);
        Assert.Equal("sample 3 of 4 failed: status 500 (InternalServerError), expected 200-399", result.Error);
        Assert.Equal(2, result.Latency!.Count);
        Assert.Equal(3, server.Requests.Count);
    }
}
