using System.Management.Automation;
using KubeExpose.Completers;
using KubeExpose.Core.Tunnels;

namespace KubeExpose.Commands;

/// <summary>
/// Starts a port-forward that survives pod restarts, or a local API proxy as safe as kubectl proxy.
/// </summary>
/// <remarks>
/// In its default form Start-KubeProxyTunnel forwards local ports to a pod, or to the ready pods behind a Service or
/// workload: each local connection gets its own stream to a ready pod, connections are spread over the pods, and a pod
/// that goes away makes the tunnel pick another one instead of dying. With -ApiProxy it serves the Kubernetes API on a
/// local port with kubectl proxy's filters (Host header, paths, methods; exec and attach rejected). The command returns
/// once the tunnel is Ready; the tunnel lives in the session until Stop-KubeProxyTunnel, the end of the session or
/// Remove-Module.
/// </remarks>
/// <example>
/// <code>$t = Start-KubeProxyTunnel svc/web 8080:80; Invoke-WebRequest $t.Url; $t | Stop-KubeProxyTunnel</code>
/// <para>Forwards local port 8080 to port 80 of the Service "web", uses it, and stops it.</para>
/// </example>
/// <example>
/// <code>Start-KubeProxyTunnel deploy/web :http -Wait</code>
/// <para>Forwards a random local port to the port named "http" of the Deployment's pods until Ctrl+C.</para>
/// </example>
/// <example>
/// <code>Start-KubeProxyTunnel -ApiProxy -Port 8001 -Service svc/web:80</code>
/// <para>Serves the API on http://127.0.0.1:8001 and gives the proxy URL of the Service "web" port 80 as the tunnel's Url.</para>
/// </example>
[Cmdlet(VerbsLifecycle.Start, "KubeProxyTunnel", DefaultParameterSetName = PortForwardSet)]
[OutputType(typeof(Tunnel))]
public sealed class StartKubeProxyTunnelCommand : KubeCmdlet
{
    private const string PortForwardSet = "PortForward";
    private const string ApiProxySet = "ApiProxy";

    /// <summary>What to forward to: pod/NAME, svc/NAME, deploy/NAME, sts/NAME, ds/NAME, rs/NAME (a bare name is a pod).</summary>
    [Parameter(Mandatory = true, Position = 0, ParameterSetName = PortForwardSet)]
    [ValidateNotNullOrEmpty]
    [ArgumentCompleter(typeof(WorkloadCompleter))]
    public string Target { get; set; } = null!;

    /// <summary>Ports as kubectl writes them: LOCAL:REMOTE (8080:80), :REMOTE (random local port), REMOTE, or a port name. With -ApiProxy: the local port (default 8001, 0 for random).</summary>
    [Parameter(Mandatory = true, Position = 1, ParameterSetName = PortForwardSet)]
    [Parameter(ParameterSetName = ApiProxySet)]
    [ValidateNotNullOrEmpty]
    public string[] Port { get; set; } = [];

    /// <summary>Local addresses to listen on. Defaults to 127.0.0.1 (and ::1 where available).</summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    public string[]? Address { get; set; }

    /// <summary>Serve the Kubernetes API locally, like kubectl proxy.</summary>
    [Parameter(Mandatory = true, ParameterSetName = ApiProxySet)]
    public SwitchParameter ApiProxy { get; set; }

    /// <summary>Regular expression of Host header values to accept (kubectl proxy's --accept-hosts).</summary>
    [Parameter(ParameterSetName = ApiProxySet)]
    public string AcceptHosts { get; set; } = @"^localhost$,^127\.0\.0\.1$,^\[::1\]$";

    /// <summary>Regular expression of paths to accept (kubectl proxy's --accept-paths).</summary>
    [Parameter(ParameterSetName = ApiProxySet)]
    public string AcceptPaths { get; set; } = "^.*";

    /// <summary>Regular expression of paths to reject, even if accepted (kubectl proxy's --reject-paths).</summary>
    [Parameter(ParameterSetName = ApiProxySet)]
    public string RejectPaths { get; set; } = @"^/api/.*/pods/.*/exec,^/api/.*/pods/.*/attach";

    /// <summary>Regular expression of HTTP methods to reject (kubectl proxy's --reject-methods).</summary>
    [Parameter(ParameterSetName = ApiProxySet)]
    public string RejectMethods { get; set; } = "^$";

    /// <summary>The prefix to serve the API under (kubectl proxy's --api-prefix). Defaults to "/".</summary>
    [Parameter(ParameterSetName = ApiProxySet)]
    [ValidateNotNullOrEmpty]
    public string ApiPrefix { get; set; } = "/";

    /// <summary>Allow -Address to be a non-loopback address. Anyone who can reach it uses your credentials: a warning says so.</summary>
    [Parameter(ParameterSetName = ApiProxySet)]
    public SwitchParameter AllowRemoteAccess { get; set; }

    /// <summary>svc/NAME[:PORT]: make the tunnel's Url the API-server proxy URL of that Service port.</summary>
    [Parameter(ParameterSetName = ApiProxySet)]
    [ValidateNotNullOrEmpty]
    [ArgumentCompleter(typeof(ServiceCompleter))]
    public string? Service { get; set; }

    /// <summary>Keep the tunnel in the foreground until Ctrl+C, then stop it.</summary>
    [Parameter]
    public SwitchParameter Wait { get; set; }

    protected override void ProcessRecord() => throw new NotImplementedException("Start-KubeProxyTunnel lands with its own issue.");
}
