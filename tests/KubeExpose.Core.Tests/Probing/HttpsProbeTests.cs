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
}
