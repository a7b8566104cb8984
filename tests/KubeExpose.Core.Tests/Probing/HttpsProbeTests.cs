using KubeExpose.Core.Probing;
using KubeExpose.Tests.Servers;
using Xunit;

namespace KubeExpose.Core.Tests.Probing;

public sealed class HttpsProbeTests
{
    private static readonly ProbeOptions Fast = new() { RetryInterval = TimeSpan.Zero, Timeout = TimeSpan.FromSeconds(5) };

    [Fact]
    public async Task A_self_signed_certificate_fails_with_the_reason_and_is_not_retried()
    {
        using var certificate = LoopbackServer.SelfSignedCertificate();
        using var server = new LoopbackHttpServer(_ => new HttpReply(200), certificate);
        var result = await new EndpointTester(Fast with { RetryCount = 3 }).TestAsync(ProbeTargets.Parse(server.Url), CancellationToken.None);

        Assert.False(result.Success);
        Assert.Equal("HTTPS", result.Protocol);
        Assert.Equal(1, result.Attempts);
        Assert.Equal(ProbeFailureKind.CertificateRejected, result.FailureKind);
        Assert.StartsWith("TLS: certificate rejected: chain: ", result.Error);
        Assert.Contains("UntrustedRoot", result.Error);
        Assert.Empty(server.Requests);
        Assert.NotNull(result.Certificate?.ValidationErrors);
    }

    [Fact]
    public async Task SkipCertificateCheck_succeeds_and_reports_subject_issuer_and_expiry()
    {
        using var certificate = LoopbackServer.SelfSignedCertificate();
        using var server = new LoopbackHttpServer(_ => new HttpReply(200, "secure"), certificate);
        var result = await new EndpointTester(Fast with { SkipCertificateCheck = true }).TestAsync(ProbeTargets.Parse(server.Url), CancellationToken.None);

        Assert.True(result.Success, result.Error);
        Assert.Equal(200, result.StatusCode);
        var info = Assert.IsType<CertificateInfo>(result.Certificate);
        Assert.Equal(certificate.Subject, info.Subject);
        Assert.Equal(certificate.Issuer, info.Issuer);
        Assert.Equal(certificate.NotAfter.ToUniversalTime(), info.NotAfter);
        Assert.Equal(certificate.Thumbprint, info.Thumbprint);
        Assert.Contains("localhost", info.DnsNames);
        Assert.Equal(0, info.DaysUntilExpiry);
    }

    [Fact]
    public async Task Plain_HTTP_to_a_TLS_port_names_the_problem()
    {
        using var certificate = LoopbackServer.SelfSignedCertificate();
        using var server = new LoopbackHttpServer(_ => new HttpReply(200), certificate);
        var result = await new EndpointTester(Fast).TestAsync(ProbeTargets.Parse($"http://127.0.0.1:{server.Port}/"), CancellationToken.None);

        Assert.False(result.Success);
        Assert.NotEqual(ProbeFailureKind.None, result.FailureKind);
        Assert.NotNull(result.Error);
    }

    [Fact]
    public async Task An_ingress_style_HTTPS_target_validates_the_certificate_against_the_rule_host()
    {
        // The certificate names only shop.example.test: no name mismatch proves the TLS server name is the URL's
        // host, not the address dialed; the self-signed chain is still refused.
        using var certificate = LoopbackServer.SelfSignedCertificate("shop.example.test", loopbackAddress: false);
        using var server = new LoopbackHttpServer(_ => new HttpReply(200), certificate);
        var target = ProbeTargets.FromUri(new Uri("https://shop.example.test/")) with { ConnectTo = ("127.0.0.1", server.Port) };

        var strict = await new EndpointTester(Fast).TestAsync(target, CancellationToken.None);
        Assert.Equal(ProbeFailureKind.CertificateRejected, strict.FailureKind);
        Assert.DoesNotContain("names do not include", strict.Error);
        Assert.Equal("CN=shop.example.test, O=KubeExpose Tests", strict.Certificate?.Subject);

        var lenient = await new EndpointTester(Fast with { SkipCertificateCheck = true }).TestAsync(target, CancellationToken.None);
        Assert.True(lenient.Success, lenient.Error);
        Assert.Equal("shop.example.test", Assert.Single(server.Requests).Headers["Host"]);
    }

    [Fact]
    public async Task A_certificate_for_another_name_is_rejected_as_a_name_mismatch()
    {
        using var certificate = LoopbackServer.SelfSignedCertificate("other.example.test", loopbackAddress: false);
        using var server = new LoopbackHttpServer(_ => new HttpReply(200), certificate);
        var result = await new EndpointTester(Fast).TestAsync(ProbeTargets.Parse(server.Url), CancellationToken.None);

        Assert.Equal(ProbeFailureKind.CertificateRejected, result.FailureKind);
        Assert.Contains("the certificate's names do not include the host", result.Error);
    }

    [Fact]
    public async Task A_host_header_is_also_the_TLS_server_name()
    {
        using var certificate = LoopbackServer.SelfSignedCertificate("shop.example.test", loopbackAddress: false);
        using var server = new LoopbackHttpServer(_ => new HttpReply(200), certificate);
        var result = await new EndpointTester(Fast with { HostHeader = "shop.example.test" }).TestAsync(ProbeTargets.Parse(server.Url), CancellationToken.None);

        Assert.Equal(ProbeFailureKind.CertificateRejected, result.FailureKind);
        Assert.DoesNotContain("names do not include", result.Error);
    }
}
