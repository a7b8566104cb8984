using System.Management.Automation;
using KubeExpose.Core.Tunnels;

namespace KubeExpose.Commands;

/// <summary>
/// Gets the tunnels started in this session by Start-KubeProxyTunnel.
/// </summary>
/// <remarks>
/// Tunnels live in the PowerShell process until they are stopped. Get-KubeProxyTunnel lists them with their live state:
/// the pods they currently forward to, active and total connections, bytes in and out, reconnects and the last error.
/// </remarks>
/// <example>
/// <code>Get-KubeProxyTunnel</code>
/// <para>Lists every tunnel in the session.</para>
/// </example>
/// <example>
/// <code>Get-KubeProxyTunnel -Id 2 | Format-List *</code>
/// <para>Shows everything about tunnel 2.</para>
/// </example>
[Cmdlet(VerbsCommon.Get, "KubeProxyTunnel")]
[OutputType(typeof(Tunnel))]
public sealed class GetKubeProxyTunnelCommand : PSCmdlet
{
    /// <summary>Only the tunnels with these ids.</summary>
    [Parameter(Position = 0, ValueFromPipelineByPropertyName = true)]
    public int[]? Id { get; set; }

    protected override void ProcessRecord() => throw new NotImplementedException("Get-KubeProxyTunnel lands with Start-KubeProxyTunnel.");
}
