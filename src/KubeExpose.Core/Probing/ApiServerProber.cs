using System.Diagnostics;
using System.Net;
using System.Net.Http;
using System.Net.Sockets;
using System.Security.Authentication;
using System.Text.Json;
using k8s;
using KubeExpose.Core.Cluster;

namespace KubeExpose.Core.Probing;

/// <summary>
/// Probes a Service through the API server's service proxy with the caller's kube credentials: the client's own
/// HttpClient (its TLS trust and client certificate) plus its credentials (bearer token, basic auth, exec plugins).
/// The generated ConnectGetNamespacedServiceProxy is not used: it mangles the path and throws on non-2xx, and a probe
/// needs the status and the API server's message as they are.
/// </summary>
internal sealed class ApiServerProber(KubeSession session)
{
    public async Task<ProbeAttempt> ProbeOnceAsync(ProbeTarget target, ProbeOptions options, CancellationToken cancellation)
    {
        var client = (Kubernetes)session.Client;
        var baseUri = client.BaseUri;
        var remote = ProbeTargets.FormatHostPort(baseUri.Host, baseUri.Port);
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellation);
        timeout.CancelAfter(options.Timeout);
        var clock = Stopwatch.StartNew();
        try
        {
            // Keep any path prefix of the server URL (Rancher-style /k8s/clusters/x): new Uri(base, "/api/…") would drop it.
            var uri = new Uri(baseUri.AbsoluteUri.TrimEnd('/') + target.ApiServerPath);
            using var request = new HttpRequestMessage(new HttpMethod(options.Method), uri);
            foreach (var (name, value) in options.Headers)
            {
                request.Headers.TryAddWithoutValidation(name, value);
            }

            if (client.Credentials is not null)
            {
                await client.Credentials.ProcessHttpRequestAsync(request, timeout.Token).ConfigureAwait(false);
            }

            using var response = await client.HttpClient.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, timeout.Token).ConfigureAwait(false);
            var status = (int)response.StatusCode;
            var expected = options.IsExpectedStatus(status);
            var body = options.ExpectContent is not null || !expected
                ? await HttpProber.ReadBodyAsync(response, expected ? options.MaxContentBytes : 64 * 1024, timeout.Token).ConfigureAwait(false)
                : null;
            clock.Stop();
            if (status is 401 or 403 && !expected && IsApiStatus(response, body, out var denied))
            {
                return ProbeAttempt.Failed(ProbeFailureKind.Forbidden,
                    $"the API server refused the proxy request (status {status}): {denied}. It needs get on services/proxy in namespace {target.Route?.Namespace}.",
                    clock.Elapsed.TotalMilliseconds, remote, status);
            }

            var detail = !expected && IsApiStatus(response, body, out var message) ? message : null;
            return HttpProber.Judge(status, response.StatusCode, body, detail, options, clock.Elapsed.TotalMilliseconds, remote, null);
        }
        catch (OperationCanceledException) when (!cancellation.IsCancellationRequested)
        {
            return ProbeAttempt.Failed(ProbeFailureKind.Timeout, ProbeErrors.TimedOut(options.Timeout) + " waiting for the API server's proxy", clock.Elapsed.TotalMilliseconds, remote);
        }
        catch (Exception e) when (e is HttpRequestException or IOException or SocketException or AuthenticationException)
        {
            var (kind, message) = ProbeErrors.Classify(e, baseUri.Host, baseUri.Port);
            return ProbeAttempt.Failed(kind, $"API server {session.Server}: {message}", clock.Elapsed.TotalMilliseconds, remote);
        }
    }

    /// <summary>
    /// The API server answers proxy failures with a v1 Status ("no endpoints available for service \"web\""); a
    /// backend's own error page is not one. Only the former's message is worth quoting.
    /// </summary>
    private static bool IsApiStatus(HttpResponseMessage response, string? body, out string message)
    {
        message = string.Empty;
        if (body is null || response.Content.Headers.ContentType?.MediaType != "application/json")
        {
            return false;
        }

        try
        {
            using var json = JsonDocument.Parse(body);
            if (json.RootElement.ValueKind == JsonValueKind.Object
                && json.RootElement.TryGetProperty("kind", out var kind) && kind.GetString() == "Status"
                && json.RootElement.TryGetProperty("message", out var text))
            {
                message = text.GetString() ?? string.Empty;
                return message.Length > 0;
            }
        }
        catch (JsonException)
        {
        }

        return false;
    }
}
