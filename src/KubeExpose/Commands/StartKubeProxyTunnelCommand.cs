using System.Globalization;
using System.Management.Automation;
using KubeExpose.Completers;
using KubeExpose.Core;
using KubeExpose.Core.Tunnels;

namespace KubeExpose.Commands;

/// <summary>
/// Starts a port-forward that survives pod restarts, or a local API proxy as safe as kubectl proxy.
/// </summary>
/// <remarks>
/// In its default form Start-KubeProxyTunnel forwards local ports to a pod, or to the ready pods behind a Service or
/// workload: each local connection gets its own stream to a ready pod, connections are spread over the pods, and a pod
/// that goes away makes the tunnel pick another one instead of dying. Streams use SPDY/3.1 as kubectl does, with one
/// connection per pod kept open and a pair of streams per local connection (Protocol shows SPDY/3.1); when the cluster
/// or a proxy on the way refuses SPDY, the tunnel uses one v4.channel.k8s.io WebSocket per connection instead. With -ApiProxy it serves the Kubernetes API on a
/// local port with kubectl proxy's filters (Host header, paths, methods; exec and attach rejected). The command returns
/// once the tunnel is Ready; the tunnel lives in the session until Stop-KubeProxyTunnel, the end of the session or
/// Remove-Module.
/// Ports follow kubectl port-forward: LOCAL:REMOTE, :REMOTE for a free local port, REMOTE for the same port locally,
/// and port names; a Service port is mapped to the targetPort of each pod, and UDP ports are refused. By default the
/// tunnel listens on 127.0.0.1 and ::1. The tunnel object is live: State (Starting, Ready, Reconnecting, Stopped,
/// Failed), Protocol, CurrentPods, ActiveConnections, TotalConnections, BytesIn, BytesOut, Reconnects and LastError
/// change as it serves. With -ApiProxy the defaults are kubectl proxy's (port 8001, address 127.0.0.1, the same filters); a
/// non-loopback -Address is refused unless -AllowRemoteAccess is given.
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
/// <example>
/// <code>$t = Start-KubeProxyTunnel deploy/web :80 -PodRunningTimeoutSec 120; curl.exe $t.Url; Get-KubeProxyTunnel $t.Id</code>
/// <para>Waits up to two minutes for a ready pod, then shows the connection counters after one request.</para>
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

    /// <summary>How long to wait for a usable pod, at start and for each connection while pods are being replaced (kubectl's --pod-running-timeout). Default 60.</summary>
    [Parameter(ParameterSetName = PortForwardSet)]
    [ValidateRange(1, 86400)]
    public int PodRunningTimeoutSec { get; set; } = 60;

    /// <summary>Keep the tunnel in the foreground until Ctrl+C, then stop it.</summary>
    [Parameter]
    public SwitchParameter Wait { get; set; }

    protected override void ProcessRecord()
    {
        var owner = TunnelLifetime.Owner();
        TunnelStart start;
        try
        {
            start = ParameterSetName == ApiProxySet
                ? Await(ct => TunnelFactory.StartApiProxyAsync(ApiProxyRequest(), owner, ct))
                : Await((ct, progress) => TunnelFactory.StartPortForwardAsync(
                    new PortForwardRequest(ConnectionOptions, Target, Port, Address, TimeSpan.FromSeconds(PodRunningTimeoutSec)), owner, progress, ct),
                    $"Starting a port-forward to {Target}");
        }
        catch (KubeExposeException e)
        {
            ThrowCoreError(e, ParameterSetName == ApiProxySet ? "ApiProxy" : Target);
            return;
        }

        foreach (var warning in start.Warnings)
        {
            WriteWarning(warning);
        }

        var tunnel = start.Tunnel;
        WriteVerbose($"Tunnel {tunnel.Id} is {tunnel.State}: {string.Join(", ", tunnel.LocalEndpoints)}.");
        WriteObject(TunnelLifetime.ToPSObject(tunnel));
        if (Wait)
        {
            WaitInForeground(tunnel);
        }
    }

    private ApiProxyRequest ApiProxyRequest()
    {
        var port = 8001;
        if (Port.Length > 0 && !int.TryParse(Port[0], NumberStyles.None, CultureInfo.InvariantCulture, out port))
        {
            throw new KubeExposeException(KubeExposeErrorKind.InvalidArgument, "InvalidPort",
                $"-Port '{Port[0]}' is not a port number. With -ApiProxy, -Port is the local port (default 8001, 0 for a free one).");
        }

        return new ApiProxyRequest(ConnectionOptions, port, Address, AcceptHosts, AcceptPaths, RejectPaths, RejectMethods,
            ApiPrefix, AllowRemoteAccess, Service);
    }

    // Shows the live counters as progress until Ctrl+C (StopProcessing) or until the tunnel ends by itself.
    private void WaitInForeground(Tunnel tunnel)
    {
        var record = new ProgressRecord(ProgressActivityId, $"Tunnel {tunnel.Id} {tunnel.Target} ({string.Join(", ", tunnel.LocalEndpoints)})", "Ctrl+C stops it");
        try
        {
            while (!Cancellation.IsCancellationRequested && !tunnel.Completion.IsCompleted)
            {
                record.StatusDescription = $"{tunnel.State}: {tunnel.ActiveConnections} active, {tunnel.TotalConnections} total, " +
                    $"{tunnel.BytesIn} B in, {tunnel.BytesOut} B out, {tunnel.Reconnects} reconnects. Ctrl+C stops it.";
                WriteProgress(record);
                Cancellation.WaitHandle.WaitOne(TimeSpan.FromSeconds(1));
            }
        }
        catch (PipelineStoppedException)
        {
            // Ctrl+C while writing progress: fall through to stop the tunnel.
        }
        finally
        {
            tunnel.StopAsync().GetAwaiter().GetResult();
        }

        if (tunnel.State == TunnelState.Failed && !Cancellation.IsCancellationRequested)
        {
            WriteError(new ErrorRecord(new InvalidOperationException($"Tunnel {tunnel.Id} failed: {tunnel.LastError}"),
                "TunnelFailed", ErrorCategory.ConnectionError, TunnelLifetime.ToPSObject(tunnel)));
        }
    }
}
