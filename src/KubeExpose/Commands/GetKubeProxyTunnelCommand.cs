using System.Management.Automation;
using KubeExpose.Core.Tunnels;

namespace KubeExpose.Commands;

/// <summary>
/// Gets the tunnels started in this session by Start-KubeProxyTunnel.
/// </summary>
/// <remarks>
/// Tunnels live in the PowerShell process until they are stopped. Get-KubeProxyTunnel lists them with their live state:
/// the pods they currently forward to, active and total connections, bytes in and out, reconnects and the last error.
/// Without -Id it lists the tunnels this session started; -Id finds a tunnel of any session of the process.
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

    protected override void ProcessRecord()
    {
        if (Id is not { Length: > 0 })
        {
            foreach (var tunnel in TunnelRegistry.Default.List(TunnelLifetime.Owner()))
            {
                WriteObject(TunnelLifetime.ToPSObject(tunnel));
            }

            return;
        }

        foreach (var id in Id)
        {
            if (TunnelRegistry.Default.Find(id) is { } tunnel)
            {
                WriteObject(TunnelLifetime.ToPSObject(tunnel));
            }
            else
            {
                WriteError(TunnelNotFound(id));
            }
        }
    }

    internal static ErrorRecord TunnelNotFound(int id) => new(
        new ItemNotFoundException($"There is no running tunnel with id {id}. Get-KubeProxyTunnel lists the running tunnels; stopped tunnels leave the list."),
        "TunnelNotFound", ErrorCategory.ObjectNotFound, id);
}
