using System.Management.Automation;
using KubeExpose.Core.Tunnels;

namespace KubeExpose.Commands;

/// <summary>
/// Stops tunnels started by Start-KubeProxyTunnel.
/// </summary>
/// <remarks>
/// Stops the listeners of the given tunnels and closes their connections. Stopped tunnels leave the session's list.
/// Stopping a tunnel that has already stopped does nothing.
/// </remarks>
/// <example>
/// <code>Get-KubeProxyTunnel | Stop-KubeProxyTunnel</code>
/// <para>Stops every tunnel piped in.</para>
/// </example>
/// <example>
/// <code>Stop-KubeProxyTunnel -All</code>
/// <para>Stops every tunnel in the session.</para>
/// </example>
[Cmdlet(VerbsLifecycle.Stop, "KubeProxyTunnel", SupportsShouldProcess = true, DefaultParameterSetName = IdSet)]
[OutputType(typeof(Tunnel))]
public sealed class StopKubeProxyTunnelCommand : PSCmdlet
{
    private const string IdSet = "Id";
    private const string InputObjectSet = "InputObject";
    private const string AllSet = "All";

    /// <summary>The ids of the tunnels to stop.</summary>
    [Parameter(Mandatory = true, Position = 0, ParameterSetName = IdSet)]
    public int[] Id { get; set; } = [];

    /// <summary>Tunnel objects from Start-KubeProxyTunnel or Get-KubeProxyTunnel.</summary>
    [Parameter(Mandatory = true, ValueFromPipeline = true, ParameterSetName = InputObjectSet)]
    public Tunnel[] InputObject { get; set; } = [];

    /// <summary>Stop every tunnel in the session.</summary>
    [Parameter(Mandatory = true, ParameterSetName = AllSet)]
    public SwitchParameter All { get; set; }

    /// <summary>Write the stopped tunnels to the pipeline.</summary>
    [Parameter]
    public SwitchParameter PassThru { get; set; }

    protected override void ProcessRecord()
    {
        IEnumerable<Tunnel?> tunnels = ParameterSetName switch
        {
            AllSet => TunnelRegistry.Default.List(TunnelLifetime.Owner()).Cast<Tunnel?>(),
            InputObjectSet => InputObject.Cast<Tunnel?>(),
            _ => Id.Select(id =>
            {
                var found = TunnelRegistry.Default.Find(id);
                if (found is null)
                {
                    WriteError(GetKubeProxyTunnelCommand.TunnelNotFound(id));
                }

                return found;
            }).ToList(),
        };

        foreach (var tunnel in tunnels)
        {
            if (tunnel is null || !ShouldProcess($"tunnel {tunnel.Id} ({tunnel.Kind} {tunnel.Target}, {string.Join(", ", tunnel.LocalEndpoints)})", "Stop"))
            {
                continue;
            }

            tunnel.StopAsync().GetAwaiter().GetResult();
            if (PassThru)
            {
                WriteObject(TunnelLifetime.ToPSObject(tunnel));
            }
        }
    }
}
