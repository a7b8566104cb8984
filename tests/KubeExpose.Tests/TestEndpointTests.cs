using System.Management.Automation;
using KubeExpose.Tests.Servers;
using Xunit;

namespace KubeExpose.Tests;

/// <summary>Test-Endpoint driven by script text in a real runspace, against servers on 127.0.0.1.</summary>
public sealed class TestEndpointTests : IDisposable
{
    private readonly ModuleHost _host = new();

    public void Dispose() => _host.Dispose();

    private static object? Prop(PSObject o, string name) => o.Properties[name]?.Value;

    [Fact]
    public void A_URL_gives_one_typed_result_with_the_status()
    {
        using var server = new LoopbackHttpServer(_ => new HttpReply(200, "hello"));
        var result = _host.Run($"Test-Endpoint -Uri '{server.Url}'").AssertSuccess();

        var o = Assert.Single(result.Output);
        Assert.Equal("KubeExpose.EndpointTestResult", o.TypeNames[0]);
        Assert.Equal(true, Prop(o, "Success"));
        Assert.Equal(200, Prop(o, "StatusCode"));
        Assert.Equal("HTTP", Prop(o, "Protocol"));
        Assert.Equal(1, Prop(o, "Attempts"));
        Assert.Equal(server.Address, Prop(o, "RemoteAddress"));
    }

    [Fact]
    public void Piped_strings_come_back_in_order_and_a_refused_port_is_an_error_record_naming_the_reason()
    {
        using var web = new LoopbackHttpServer(_ => new HttpReply(200));
        using var tcp = new LoopbackServer((_, _, _) => Task.CompletedTask);
        var refused = LoopbackServer.RefusedPort();
        var result = _host.Run($"'{web.Url}', '127.0.0.1:{refused}', '{tcp.Address}' | Test-Endpoint -RetryCount 1 -RetryIntervalSec 0");

        Assert.Equal([web.Url, $"127.0.0.1:{refused}", tcp.Address], result.Output.Select(o => (string)Prop(o, "Target")!));
        Assert.Equal([true, false, true], result.Output.Select(o => (bool)Prop(o, "Success")!));
        Assert.Equal(2, Prop(result.Output[1], "Attempts"));

        var error = Assert.Single(result.Errors);
        Assert.Equal("ConnectionRefused,KubeExpose.Commands.TestEndpointCommand", error.FullyQualifiedErrorId);
        Assert.Equal(ErrorCategory.ConnectionError, error.CategoryInfo.Category);
        Assert.Equal($"127.0.0.1:{refused}", error.TargetObject);
        Assert.StartsWith($"127.0.0.1:{refused} failed after 2 attempts: connection refused (127.0.0.1:{refused}). Nothing listens there", error.Exception.Message);
    }

    [Fact]
    public void Quiet_returns_only_true_when_every_target_succeeds()
    {
        using var web = new LoopbackHttpServer(_ => new HttpReply(200));
        var ok = _host.Run($"Test-Endpoint -Uri '{web.Url}', '{web.Url}x' -Quiet").AssertSuccess();
        Assert.Equal(true, Assert.Single(ok.Output).BaseObject);

        var refused = LoopbackServer.RefusedPort();
        var bad = _host.Run($"'{web.Url}', '127.0.0.1:{refused}' | Test-Endpoint -Quiet");
        Assert.Equal(false, Assert.Single(bad.Output).BaseObject);
        Assert.Empty(bad.Errors);
    }

    [Fact]
    public void A_server_that_fails_twice_then_succeeds_is_reported_after_exactly_three_attempts()
    {
        using var server = new LoopbackHttpServer(r => r.Index <= 2 ? new HttpReply(503, "starting") : new HttpReply(200));
        var o = Assert.Single(_host.Run($"Test-Endpoint '{server.Url}' -RetryCount 5 -RetryIntervalSec 0").AssertSuccess().Output);

        Assert.Equal(true, Prop(o, "Success"));
        Assert.Equal(3, Prop(o, "Attempts"));
        Assert.Equal(3, server.Requests.Count);
    }

    [Fact]
    public void A_slow_server_times_out_with_the_timeout_in_the_message()
    {
        using var server = new LoopbackHttpServer(_ => new HttpReply(200, Delay: TimeSpan.FromSeconds(30)));
        var result = _host.Run($"Test-Endpoint '{server.Url}' -TimeoutSec 0.3");

        Assert.Equal(false, Prop(Assert.Single(result.Output), "Success"));
        var error = Assert.Single(result.Errors);
        Assert.Equal("ProbeTimedOut,KubeExpose.Commands.TestEndpointCommand", error.FullyQualifiedErrorId);
        Assert.Equal(ErrorCategory.OperationTimeout, error.CategoryInfo.Category);
        Assert.Contains("timed out after 0.3 s", error.Exception.Message);
    }

    [Fact]
    public void An_unexpected_status_says_which_and_what_was_expected()
    {
        using var server = new LoopbackHttpServer(_ => new HttpReply(503, "down"));
        var result = _host.Run($"Test-Endpoint '{server.Url}'");
        var error = Assert.Single(result.Errors);
        Assert.Equal("UnexpectedStatusCode,KubeExpose.Commands.TestEndpointCommand", error.FullyQualifiedErrorId);
        Assert.Contains("status 503 (ServiceUnavailable), expected 200-399", error.Exception.Message);

        var accepted = _host.Run($"Test-Endpoint '{server.Url}' -ExpectStatusCode 503 -Quiet").AssertSuccess();
        Assert.Equal(true, Assert.Single(accepted.Output).BaseObject);
    }

    [Fact]
    public void HTTPS_with_a_self_signed_certificate_fails_unless_the_check_is_skipped_and_reports_the_certificate()
    {
        using var certificate = LoopbackServer.SelfSignedCertificate();
        using var server = new LoopbackHttpServer(_ => new HttpReply(200), certificate);

        var rejected = _host.Run($"Test-Endpoint '{server.Url}'");
        var error = Assert.Single(rejected.Errors);
        Assert.Equal("CertificateRejected,KubeExpose.Commands.TestEndpointCommand", error.FullyQualifiedErrorId);
        Assert.Equal(ErrorCategory.SecurityError, error.CategoryInfo.Category);
        Assert.Contains("TLS: certificate rejected", error.Exception.Message);
        Assert.Contains("-SkipCertificateCheck", error.Exception.Message);

        var accepted = _host.Run($"Test-Endpoint '{server.Url}' -SkipCertificateCheck | ForEach-Object {{ $_.Success; $_.Certificate.Subject; $_.Certificate.Issuer; $_.Certificate.NotAfter }}").AssertSuccess();
        Assert.Equal(true, accepted.Output[0].BaseObject);
        Assert.Equal(certificate.Subject, accepted.Output[1].BaseObject);
        Assert.Equal(certificate.Issuer, accepted.Output[2].BaseObject);
        Assert.Equal(certificate.NotAfter.ToUniversalTime(), accepted.Output[3].BaseObject);
    }

    [Fact]
    public void TCP_banners_are_checked_with_Send_and_ExpectContent()
    {
        using var server = new LoopbackServer(async (_, stream, stop) =>
        {
            using var reader = new StreamReader(stream, leaveOpen: true);
            if (await reader.ReadLineAsync(stop) == "PING")
            {
                await stream.WriteAsync("+PONG\r\n"u8.ToArray(), stop);
            }
        });

        var ok = _host.Run($"Test-Endpoint -TcpAddress '{server.Address}' -Send \"PING`n\" -ExpectContent '^\\+PONG' -Quiet").AssertSuccess();
        Assert.Equal(true, Assert.Single(ok.Output).BaseObject);

        var wrong = _host.Run($"Test-Endpoint -ComputerName 127.0.0.1 -Port {server.Port} -Send \"HELLO`n\" -ExpectContent PONG");
        Assert.Equal("TCP", Prop(Assert.Single(wrong.Output), "Protocol"));
        Assert.Equal("UnexpectedContent,KubeExpose.Commands.TestEndpointCommand", Assert.Single(wrong.Errors).FullyQualifiedErrorId);
    }

    [Fact]
    public void Method_Header_and_HostHeader_reach_the_server()
    {
        using var server = new LoopbackHttpServer(_ => new HttpReply(200));
        _host.Run($"Test-Endpoint '{server.Url}' -Method Post -Header @{{ 'X-Probe' = 'yes' }} -HostHeader shop.example.test").AssertSuccess();

        var request = Assert.Single(server.Requests);
        Assert.Equal("POST", request.Method);
        Assert.Equal("yes", request.Headers["X-Probe"]);
        Assert.Equal("shop.example.test", request.Headers["Host"]);
    }

    [Fact]
    public void Count_reports_latency_statistics()
    {
        using var server = new LoopbackHttpServer(_ => new HttpReply(200));
        var result = _host.Run($"Test-Endpoint '{server.Url}' -Count 4 | ForEach-Object {{ $_.Latency.Count; $_.Latency.Min -le $_.Latency.P50; $_.Latency.P95 -le $_.Latency.Max }}").AssertSuccess();

        Assert.Equal([4, true, true], result.Output.Select(o => o.BaseObject));
        Assert.Equal(4, server.Requests.Count);
    }

    [Fact]
    public void Tunnel_and_exposure_shaped_objects_are_probed_by_their_properties()
    {
        using var server = new LoopbackHttpServer(_ => new HttpReply(200));
        var result = _host.Run($$"""
            [pscustomobject]@{ Id = 1; Url = '{{server.Url}}' },
            [pscustomobject]@{ Id = 2; Url = $null; LocalEndpoints = @('{{server.Address}} -> 80') },
            [pscustomobject]@{ Workload = 'deployment/web'; Routes = @('{{server.Address}}', '{{server.Url}}') } | Test-Endpoint
            """).AssertSuccess();

        Assert.Equal([server.Url, server.Address, server.Address, server.Url], result.Output.Select(o => (string)Prop(o, "Target")!));
        Assert.All(result.Output, o => Assert.Equal(true, Prop(o, "Success")));
    }

    [Fact]
    public void Unusable_input_is_an_error_naming_what_is_accepted()
    {
        var result = _host.Run("'not a target', 42 | Test-Endpoint");

        Assert.Empty(result.Output);
        Assert.Equal(["InvalidProbeTarget,KubeExpose.Commands.TestEndpointCommand", "UnsupportedInputObject,KubeExpose.Commands.TestEndpointCommand"],
            result.Errors.Select(e => e.FullyQualifiedErrorId));
        Assert.Contains("host:port", result.Errors[0].Exception.Message);
        Assert.Equal(ErrorCategory.InvalidArgument, result.Errors[0].CategoryInfo.Category);
    }

    [Fact]
    public void An_invalid_ExpectContent_pattern_stops_the_command()
    {
        var result = _host.Run("Test-Endpoint http://127.0.0.1:1/ -ExpectContent '('");
        Assert.Contains("InvalidExpectContent", (result.Exception as IContainsErrorRecord)?.ErrorRecord.FullyQualifiedErrorId ?? result.Errors.FirstOrDefault()?.FullyQualifiedErrorId);
    }

    [Fact]
    public void The_views_render_every_column_of_a_real_result()
    {
        // Out-String is not in this engine package (no Microsoft.PowerShell.Utility), so each column of the staged
        // format file is evaluated against real results: properties must exist and script blocks must run cleanly.
        var refused = LoopbackServer.RefusedPort();
        using var server = new LoopbackHttpServer(_ => new HttpReply(200));
        var results = _host.Run($"$results = @(Test-Endpoint 127.0.0.1:{refused}, '{server.Url}' -Count 2 -ErrorAction SilentlyContinue); $results").Output;
        Assert.Equal(2, results.Count);

        var file = System.Xml.Linq.XDocument.Load(Path.Combine(RepoPaths.StagedModule, "Formats", "EndpointTestResult.format.ps1xml"));
        Assert.All(file.Descendants("TypeName"), t => Assert.Equal("KubeExpose.EndpointTestResult", t.Value));
        Assert.Contains(file.Descendants("Label"), l => l.Value == "Latency(ms)");
        var views = file.Descendants("View").ToList();
        Assert.Equal(["TableControl", "ListControl"], views.Select(v => v.Elements().Last().Name.LocalName));

        foreach (var property in file.Descendants("PropertyName").Select(p => p.Value))
        {
            Assert.All(results, r => Assert.NotNull(r.Properties[property]));
        }

        var rendered = new List<string>();
        foreach (var script in file.Descendants("ScriptBlock").Select(s => s.Value))
        {
            var run = _host.Run("$results | ForEach-Object ([scriptblock]::Create($script)) | ForEach-Object { \"$_\" }", new Dictionary<string, object?> { ["script"] = script }).AssertSuccess();
            rendered.AddRange(run.Output.Select(o => o.ToString()));
        }

        Assert.Contains("Failed", rendered);
        Assert.Contains("Success", rendered);
        Assert.Contains(rendered, t => t.StartsWith($"connection refused (127.0.0.1:{refused})", StringComparison.Ordinal));
        Assert.Contains(rendered, t => t.Contains("min ") && t.Contains("(n=2)"));
    }
}
