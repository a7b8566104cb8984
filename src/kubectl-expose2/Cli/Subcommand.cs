namespace KubeExpose.Plugin.Cli;

/// <summary>What the plugin was asked to do; each maps to one cmdlet of the module.</summary>
public enum Subcommand
{
    /// <summary><c>kubectl expose2 TYPE/NAME</c>: Publish-Workload.</summary>
    Expose,

    /// <summary><c>kubectl expose2 reach</c>: Get-ServiceReachability.</summary>
    Reach,

    /// <summary><c>kubectl expose2 tunnel</c>: Start-KubeProxyTunnel (port-forward), kept in the foreground.</summary>
    Tunnel,

    /// <summary><c>kubectl expose2 proxy</c>: Start-KubeProxyTunnel -ApiProxy, kept in the foreground.</summary>
    Proxy,

    /// <summary><c>kubectl expose2 test</c>: Test-Endpoint.</summary>
    Test,
}
