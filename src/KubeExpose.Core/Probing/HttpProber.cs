using System.Diagnostics;
using System.Net;
using System.Net.Http;
using System.Net.Security;
using System.Net.Sockets;
using System.Security.Authentication;
using System.Security.Cryptography.X509Certificates;
using System.Text;

namespace KubeExpose.Core.Probing;

/// <summary>
/// One HTTP(S) request per attempt, each on a fresh connection (a pooled connection would hide a listener that went
/// away), with no proxy and no redirects followed: a probe answers "does this address serve", not "can some path get there".
/// </summary>
internal static class HttpProber
{
    public static async Task<ProbeAttempt> ProbeOnceAsync(ProbeTarget target, ProbeOptions options, CancellationToken cancellation)
    {
        string? remote = null;
        CertificateInfo? certificate = null;
        string? certificateErrors = null;
        using var handler = new SocketsHttpHandler
        {
            AllowAutoRedirect = false,
            UseProxy = false,
            UseCookies = false,
            AutomaticDecompression = DecompressionMethods.All,
            ConnectCallback = async (context, token) =>
            {
                var (host, port) = target.ConnectTo ?? (context.DnsEndPoint.Host, context.DnsEndPoint.Port);
                var socket = await SocketConnector.ConnectAsync(host, port, token).ConfigureAwait(false);
                remote = SocketConnector.Describe(socket.RemoteEndPoint);
                return new NetworkStream(socket, ownsSocket: true);
            },
            SslOptions = new SslClientAuthenticationOptions
            {
                RemoteCertificateValidationCallback = (_, cert, chain, errors) =>
                {
                    certificateErrors = errors == SslPolicyErrors.None ? null : DescribeErrors(errors, chain);
                    if (cert is not null)
                    {
                        certificate = CertificateInfo.From(cert, certificateErrors);
                    }

                    return options.SkipCertificateCheck || errors == SslPolicyErrors.None;
                },
            },
        };
        using var client = new HttpClient(handler) { Timeout = Timeout.InfiniteTimeSpan };
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellation);
        timeout.CancelAfter(options.Timeout);
        var clock = Stopwatch.StartNew();
        try
        {
            using var request = new HttpRequestMessage(new HttpMethod(options.Method), target.Uri);
            foreach (var (name, value) in options.Headers)
            {
                if (!request.Headers.TryAddWithoutValidation(name, value))
                {
                    request.Content ??= new ByteArrayContent([]);
                    request.Content.Headers.TryAddWithoutValidation(name, value);
                }
            }

            if (options.HostHeader is not null)
            {
                request.Headers.Host = options.HostHeader;
            }

            using var response = await client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, timeout.Token).ConfigureAwait(false);
            var status = (int)response.StatusCode;
            var body = options.ExpectContent is not null ? await ReadBodyAsync(response, options.MaxContentBytes, timeout.Token).ConfigureAwait(false) : null;
            clock.Stop();
            return Judge(status, response.StatusCode, body, null, options, clock.Elapsed.TotalMilliseconds, remote, certificate);
        }
        catch (OperationCanceledException) when (!cancellation.IsCancellationRequested)
        {
            return ProbeAttempt.Failed(ProbeFailureKind.Timeout, ProbeErrors.TimedOut(options.Timeout) + (remote is null ? " connecting" : " waiting for the response"),
                clock.Elapsed.TotalMilliseconds, remote, certificate: certificate);
        }
        catch (Exception e) when (e is HttpRequestException or IOException or SocketException or AuthenticationException)
        {
            if (certificateErrors is not null && !options.SkipCertificateCheck)
            {
                return ProbeAttempt.Failed(ProbeFailureKind.CertificateRejected,
                    $"TLS: certificate rejected: {certificateErrors}", clock.Elapsed.TotalMilliseconds, remote, certificate: certificate);
            }

            var (host, port) = target.ConnectTo ?? (target.Host, target.Port);
            var (kind, message) = ProbeErrors.Classify(e, host, port);
            return ProbeAttempt.Failed(kind, message, clock.Elapsed.TotalMilliseconds, remote, certificate: certificate);
        }
    }

    /// <summary>Checks a response against the expectations. <paramref name="detail"/> is appended to a status failure (the API server's message).</summary>
    internal static ProbeAttempt Judge(int status, HttpStatusCode code, string? body, string? detail, ProbeOptions options, double latencyMs, string? remote, CertificateInfo? certificate)
    {
        if (!options.IsExpectedStatus(status))
        {
            var reason = Enum.IsDefined(code) ? $" ({code})" : string.Empty;
            return ProbeAttempt.Failed(ProbeFailureKind.UnexpectedStatus, $"status {status}{reason}, expected {options.ExpectedStatusText}{(detail is null ? string.Empty : $": {detail}")}",
                latencyMs, remote, status, certificate);
        }

        if (options.ExpectContent is { } pattern && !pattern.IsMatch(body ?? string.Empty))
        {
            return ProbeAttempt.Failed(ProbeFailureKind.UnexpectedContent, $"the response did not match '{pattern}' (it began: {Excerpt(body)})",
                latencyMs, remote, status, certificate);
        }

        return new ProbeAttempt { StatusCode = status, LatencyMs = latencyMs, RemoteAddress = remote, Certificate = certificate };
    }

    internal static async Task<string> ReadBodyAsync(HttpResponseMessage response, int maxBytes, CancellationToken cancellation)
    {
        await using var stream = await response.Content.ReadAsStreamAsync(cancellation).ConfigureAwait(false);
        using var body = new MemoryStream();
        var buffer = new byte[16 * 1024];
        int read;
        while (body.Length < maxBytes
            && (read = await stream.ReadAsync(buffer.AsMemory(0, (int)Math.Min(buffer.Length, maxBytes - body.Length)), cancellation).ConfigureAwait(false)) > 0)
        {
            body.Write(buffer, 0, read);
        }

        var encoding = response.Content.Headers.ContentType?.CharSet is { } charset ? TryEncoding(charset) : null;
        return (encoding ?? Encoding.UTF8).GetString(body.GetBuffer(), 0, (int)body.Length);
    }

    internal static string Excerpt(string? text)
    {
        if (string.IsNullOrEmpty(text))
        {
            return "(empty)";
        }

        var oneLine = text.ReplaceLineEndings(" ").Trim();
        return "'" + (oneLine.Length > 80 ? oneLine[..80] + "…" : oneLine) + "'";
    }

    private static Encoding? TryEncoding(string charset)
    {
        try
        {
            return Encoding.GetEncoding(charset.Trim('"'));
        }
        catch (ArgumentException)
        {
            return null;
        }
    }

    private static string DescribeErrors(SslPolicyErrors errors, X509Chain? chain)
    {
        var parts = new List<string>();
        if (errors.HasFlag(SslPolicyErrors.RemoteCertificateNotAvailable))
        {
            parts.Add("the server sent no certificate");
        }

        if (errors.HasFlag(SslPolicyErrors.RemoteCertificateNameMismatch))
        {
            parts.Add("the certificate's names do not include the host");
        }

        if (errors.HasFlag(SslPolicyErrors.RemoteCertificateChainErrors))
        {
            var statuses = chain?.ChainStatus.Select(s => s.Status).Where(s => s != X509ChainStatusFlags.NoError).Distinct().ToArray() ?? [];
            parts.Add(statuses.Length == 0 ? "the chain is not trusted" : $"chain: {string.Join(", ", statuses)}");
        }

        return string.Join("; ", parts);
    }
}
