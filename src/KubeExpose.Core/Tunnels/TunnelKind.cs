namespace KubeExpose.Core.Tunnels;

/// <summary>What a tunnel carries.</summary>
public enum TunnelKind
{
    /// <summary>Local TCP ports forwarded to pod ports through the API server.</summary>
    PortForward,

    /// <summary>The Kubernetes API served on a local HTTP port, like kubectl proxy.</summary>
    ApiProxy,
}
