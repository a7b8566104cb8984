using System.Net.Security;
using System.Net.Sockets;
using KubeExpose.Core.Exposure;
using KubeExpose.Core.Model;

namespace KubeExpose.Core.Cluster;

/// <summary>
/// Connects to the routes a client outside the cluster would use (NodePort, LoadBalancer, externalIPs, Ingress),
/// from this machine: TCP connect, or an HTTP GET with the rule's Host for Ingress routes. A small probe of its own
/// until Test-Endpoint's engine is shared; it proves reachability, not the application's answer.
/// </summary>
public static class RouteProber
{
    private static readonly HashSet<RouteKind> Probed = [RouteKind.NodePort, RouteKind.LoadBalancer, RouteKind.ExternalIP, RouteKind.Ingress];

    /// <summary>Whether <see cref="ProbeAsync"/> probes this route.</summary>
    public static bool IsProbed(Route route) =>
        route.Vantage == Vantage.External && Probed.Contains(route.Kind) && route.Port is not null && route.Status != RouteStatus.Pending;

    /// <summary>Probes each external route, retrying until it answers or <paramref name="timeout"/> passes.</summary>
    public static async Task<IReadOnlyList<RouteProbe>> ProbeAsync(IReadOnlyList<Route> routes, TimeSpan timeout, IProgress<string>? progress, CancellationToken ct)
    {
        var results = new List<RouteProbe>();
        foreach (var route in routes.Where(IsProbed))
        {
            var target = route.Url is not null ? $"{route.Url} via {route.Address}:{route.Port}" : $"{route.Address}:{route.Port}";
            progress?.Report($"Probing {route.Kind} {target}");
            var deadline = DateTime.UtcNow + timeout;
            (bool Ok, string Detail) outcome;
            do
            {
                outcome = route.Url is not null ? await HttpAsync(route, ct).ConfigureAwait(false) : await TcpAsync(route, ct).ConfigureAwait(false);
                if (outcome.Ok || DateTime.UtcNow >= deadline)
                {
                    break;
                }

                await Task.Delay(TimeSpan.FromSeconds(1), ct).ConfigureAwait(false);
            }
            while (true);
            results.Add(new RouteProbe(route, target, outcome.Ok, outcome.Detail));
        }

        return results;
    }

    private static async Task<(bool, string)> TcpAsync(Route route, CancellationToken ct)
    {
        using var cts = CancellationTokenSource.CreateLinkedTokenSource(ct);
        cts.CancelAfter(TimeSpan.FromSeconds(3));
        try
        {
            using var client = new TcpClient();
            await client.ConnectAsync(route.Address, route.Port!.Value, cts.Token).ConfigureAwait(false);
            return (true, "TCP connected");
        }
        catch (Exception e) when (e is SocketException or OperationCanceledException && !ct.IsCancellationRequested)
        {
            return (false, e is SocketException s ? s.SocketErrorCode.ToString() : "timed out");
        }
    }

    private static async Task<(bool, string)> HttpAsync(Route route, CancellationToken ct)
    {
        var handler = new SocketsHttpHandler
        {
            // Connect to the route's address whatever the URL's host: the host only goes into Host and SNI.
            ConnectCallback = async (_, token) =>
            {
                var socket = new Socket(SocketType.Stream, ProtocolType.Tcp);
                await socket.ConnectAsync(route.Address, route.Port!.Value, token).ConfigureAwait(false);
                return new NetworkStream(socket, ownsSocket: true);
            },
            // Reachability, not trust: the test-cluster certificate is usually self-signed.
            SslOptions = new SslClientAuthenticationOptions { RemoteCertificateValidationCallback = (_, _, _, _) => true },
        };
        using var http = new HttpClient(handler) { Timeout = TimeSpan.FromSeconds(5) };
        try
        {
            using var response = await http.GetAsync(route.Url, ct).ConfigureAwait(false);
            var code = (int)response.StatusCode;
            return (code < 500, $"HTTP {code}");
        }
        catch (Exception e) when (e is HttpRequestException or TaskCanceledException && !ct.IsCancellationRequested)
        {
            return (false, e.GetBaseException().Message);
        }
    }
}
