namespace KubeExpose.Core.Model;

/// <summary>The mechanism a route uses, as the Kubernetes documentation names them.</summary>
public enum RouteKind
{
    ClusterIP,
    DnsName,
    DnsSrv,
    EnvVar,
    NodePort,
    LoadBalancer,
    ExternalIP,
    Ingress,
    HostPort,
    HostNetwork,
    Headless,
    ExternalName,
    ApiServerProxy,
    PortForward,
}
