using KubeExpose.Core.Cluster;

namespace KubeExpose.Core.Tunnels;

/// <summary>What Start-KubeProxyTunnel asks for in its default form.</summary>
/// <param name="Connection">The kubeconfig, context and namespace to use; the tunnel opens its own long-lived connection.</param>
/// <param name="Target">pod/NAME, svc/NAME, deploy/NAME, rs/NAME, sts/NAME, ds/NAME, or a pod name.</param>
/// <param name="Ports">Port pairs in kubectl's syntax.</param>
/// <param name="Addresses">Local addresses; null or empty: localhost (127.0.0.1 and ::1).</param>
/// <param name="PodRunningTimeout">How long to wait for a usable pod, at start and for each connection (kubectl's --pod-running-timeout).</param>
public sealed record PortForwardRequest(
    KubeConnectionOptions Connection,
    string Target,
    IReadOnlyList<string> Ports,
    IReadOnlyList<string>? Addresses = null,
    TimeSpan? PodRunningTimeout = null);

/// <summary>What Start-KubeProxyTunnel -ApiProxy asks for; the defaults are kubectl proxy's.</summary>
public sealed record ApiProxyRequest(
    KubeConnectionOptions Connection,
    int Port = 8001,
    IReadOnlyList<string>? Addresses = null,
    string? AcceptHosts = ProxyFilter.DefaultAcceptHosts,
    string? AcceptPaths = ProxyFilter.DefaultAcceptPaths,
    string? RejectPaths = ProxyFilter.DefaultRejectPaths,
    string? RejectMethods = ProxyFilter.DefaultRejectMethods,
    string ApiPrefix = "/",
    bool AllowRemoteAccess = false,
    string? Service = null);

/// <summary>A started tunnel and what the caller should warn about (addresses that could not be bound, open filters).</summary>
public sealed record TunnelStart(Tunnel Tunnel, IReadOnlyList<string> Warnings);
