using System.Globalization;
using System.Net;
using k8s;
using k8s.Autorest;
using KubeExpose.Core.Cluster;

namespace KubeExpose.Core.Tunnels;

/// <summary>Starts tunnels and registers them; returns once a tunnel is Ready (the ready signal).</summary>
public static class TunnelFactory
{
    /// <summary>Default of -PodRunningTimeoutSec, as kubectl's --pod-running-timeout.</summary>
    public static readonly TimeSpan DefaultPodRunningTimeout = TimeSpan.FromSeconds(60);

    public static async Task<TunnelStart> StartPortForwardAsync(PortForwardRequest request, Guid owner, IProgress<string>? progress, CancellationToken cancellation)
    {
        ArgumentNullException.ThrowIfNull(request);
        var target = ForwardTarget.Parse(request.Target);
        if (request.Ports.Count == 0)
        {
            throw new KubeExposeException(KubeExposeErrorKind.InvalidArgument, "PortRequired",
                "Give at least one port to forward, for example 8080:80 or :http.");
        }

        var ports = request.Ports.SelectMany(p => p.Split(',', StringSplitOptions.RemoveEmptyEntries)).Select(ForwardPort.Parse).ToList();
        var addresses = ListenAddresses.Parse(request.Addresses);
        var session = KubeSession.Connect(request.Connection);
        ClusterTransport? transport = null;
        try
        {
            transport = new ClusterTransport(session.Configuration);
            progress?.Report($"Resolving {target} in namespace '{session.Namespace}'");
            var plan = await ForwardPlanner.PlanAsync(session.Client, session.Namespace, target, ports, cancellation).ConfigureAwait(false);
            var tunnel = new Tunnel(TunnelRegistry.Default.NextId(), TunnelKind.PortForward, target.ToString(), session.Namespace);
            var forward = new PortForwardTunnel(session, transport, plan, tunnel, request.PodRunningTimeout ?? DefaultPodRunningTimeout);
            IReadOnlyList<string> warnings;
            try
            {
                warnings = await forward.StartAsync(addresses, progress, cancellation).ConfigureAwait(false);
            }
            catch
            {
                await forward.StopAsync().ConfigureAwait(false);
                throw;
            }

            TunnelRegistry.Default.Add(tunnel, owner);
            return new TunnelStart(tunnel, warnings);
        }
        catch (Exception e) when (e is not KubeExposeException and not OperationCanceledException)
        {
            transport?.Dispose();
            session.Dispose();
            throw ApiErrorFor(e, target.ToString(), session.Server);
        }
        catch (KubeExposeException e) when (e.ErrorId != "NoReadyPod")
        {
            transport?.Dispose();
            session.Dispose();
            throw;
        }
    }

    public static async Task<TunnelStart> StartApiProxyAsync(ApiProxyRequest request, Guid owner, CancellationToken cancellation)
    {
        ArgumentNullException.ThrowIfNull(request);
        var addresses = request.Addresses is { Count: > 0 } ? ListenAddresses.Parse(request.Addresses) : new ListenAddresses([IPAddress.Loopback], []);
        if (!addresses.LoopbackOnly && !request.AllowRemoteAccess)
        {
            throw new KubeExposeException(KubeExposeErrorKind.InvalidArgument, "RemoteAccessNotAllowed",
                $"Refusing to serve the API on {string.Join(", ", addresses.All)}: anyone who can reach that address would act with your " +
                "Kubernetes credentials. Use a loopback address, or add -AllowRemoteAccess if you really mean it.",
                string.Join(",", addresses.All));
        }

        if (request.Port is < 0 or > 65535)
        {
            throw new KubeExposeException(KubeExposeErrorKind.InvalidArgument, "InvalidPort",
                $"-Port {request.Port} is not between 0 and 65535 (0 picks a free port).");
        }

        var prefix = request.ApiPrefix.StartsWith('/') ? request.ApiPrefix : "/" + request.ApiPrefix;
        var filter = new ProxyFilter(request.AcceptHosts, request.AcceptPaths, request.RejectPaths, request.RejectMethods);
        var warnings = new List<string>(filter.Warnings);
        if (!addresses.LoopbackOnly)
        {
            warnings.Add($"The API proxy listens on {string.Join(", ", addresses.All)}: anyone who can reach it (and passes the Host " +
                         "filter) acts with your Kubernetes credentials.");
        }

        using var session = KubeSession.Connect(request.Connection);
        var serviceUrlPath = request.Service is null ? null
            : await ServiceProxyPathAsync(session, request.Service, cancellation).ConfigureAwait(false);
        var transport = new ClusterTransport(session.Configuration);
        var tunnel = new Tunnel(TunnelRegistry.Default.NextId(), TunnelKind.ApiProxy, transport.Server.GetLeftPart(UriPartial.Authority), session.Namespace);
        var server = new ApiProxyServer(transport, filter, prefix, tunnel);
        try
        {
            warnings.AddRange(server.Start(addresses, request.Port));
        }
        catch
        {
            await server.StopAsync().ConfigureAwait(false);
            throw;
        }

        tunnel.Url = server.BaseUrl + server.ClientPathPrefix + (serviceUrlPath ?? "/");
        TunnelRegistry.Default.Add(tunnel, owner);
        return new TunnelStart(tunnel, warnings);
    }

    /// <summary>/api/v1/namespaces/NS/services/NAME[:PORT]/proxy/ for svc/NAME[:PORT], after checking the Service and port exist.</summary>
    private static async Task<string> ServiceProxyPathAsync(KubeSession session, string text, CancellationToken cancellation)
    {
        var spec = text.StartsWith("svc/", StringComparison.OrdinalIgnoreCase) ? text[4..]
            : text.StartsWith("service/", StringComparison.OrdinalIgnoreCase) ? text[8..] : text;
        var colon = spec.IndexOf(':', StringComparison.Ordinal);
        var name = colon < 0 ? spec : spec[..colon];
        var port = colon < 0 ? null : spec[(colon + 1)..];
        if (name.Length == 0 || name.Contains('/', StringComparison.Ordinal) || port?.Length == 0)
        {
            throw new KubeExposeException(KubeExposeErrorKind.InvalidArgument, "InvalidService",
                $"-Service '{text}' is not svc/NAME or svc/NAME:PORT.", text);
        }

        k8s.Models.V1Service service;
        try
        {
            service = await session.Client.CoreV1.ReadNamespacedServiceAsync(name, session.Namespace, cancellationToken: cancellation).ConfigureAwait(false);
        }
        catch (HttpOperationException e) when (e.Response.StatusCode == HttpStatusCode.NotFound)
        {
            throw new KubeExposeException(KubeExposeErrorKind.NotFound, "ServiceNotFound",
                $"Service '{name}' was not found in namespace '{session.Namespace}'. Check the name and -Namespace.", $"service/{name}", e);
        }

        if (port is not null && !(service.Spec.Ports ?? []).Any(p => p.Name == port || p.Port.ToString(CultureInfo.InvariantCulture) == port))
        {
            throw new KubeExposeException(KubeExposeErrorKind.InvalidArgument, "ServicePortNotFound",
                $"Service '{name}' in namespace '{session.Namespace}' has no port '{port}'. Its ports: " +
                $"{string.Join(", ", (service.Spec.Ports ?? []).Select(p => p.Name is null ? $"{p.Port}" : $"{p.Port} ({p.Name})"))}.", $"service/{name}");
        }

        return $"/api/v1/namespaces/{Uri.EscapeDataString(session.Namespace)}/services/{Uri.EscapeDataString(name)}{(port is null ? "" : ":" + port)}/proxy/";
    }

    private static KubeExposeException ApiErrorFor(Exception e, string target, string server) => e switch
    {
        HttpOperationException h => new KubeExposeException(KubeExposeErrorKind.InvalidOperation, "ApiError",
            $"The API server refused a request for {target}: {(int)h.Response.StatusCode} {h.Response.Content}", target, e),
        HttpRequestException => new KubeExposeException(KubeExposeErrorKind.Connection, "ApiUnreachable",
            $"Cannot reach the API server {server}: {e.Message}. Check the kubeconfig and that the cluster is up.", server, e),
        _ => new KubeExposeException(KubeExposeErrorKind.InvalidOperation, "TunnelFailed", $"Cannot start the tunnel to {target}: {e.Message}", target, e),
    };
}
