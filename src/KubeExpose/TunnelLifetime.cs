using System.Collections.Concurrent;
using System.Management.Automation;
using System.Management.Automation.Runspaces;
using KubeExpose.Core.Tunnels;

namespace KubeExpose;

/// <summary>
/// Ties tunnels to the runspace that started them: closing that runspace, or removing the module from it, stops its
/// tunnels; other runspaces of the same process keep theirs. Also gives tunnels their PowerShell type name.
/// </summary>
internal static class TunnelLifetime
{
    /// <summary>The PSTypeName of tunnel objects on the pipeline (the format view is keyed on it).</summary>
    public const string TypeName = "KubeExpose.Tunnel";

    private static readonly ConcurrentDictionary<Guid, byte> Watched = new();
    private static int _registered;

    /// <summary>The current runspace's id, after making sure its tunnels end with it and with the module.</summary>
    public static Guid Owner()
    {
        var runspace = Runspace.DefaultRunspace;
        var owner = runspace?.InstanceId ?? Guid.Empty;
        if (runspace is not null && Watched.TryAdd(owner, 0))
        {
            runspace.StateChanged += (_, e) =>
            {
                if (e.RunspaceStateInfo.State is RunspaceState.Closing or RunspaceState.Closed or RunspaceState.Broken)
                {
                    Watched.TryRemove(owner, out var _);
                    TunnelRegistry.Default.StopOwnedBy(owner);
                }
            };
        }

        if (Interlocked.Exchange(ref _registered, 1) == 0)
        {
            ModuleLifetime.Register(OnModuleRemoved);
        }

        return owner;
    }

    // Remove-Module runs on the removing runspace's thread: stop that runspace's tunnels. ModuleLifetime forgets its
    // actions once run, and other runspaces may still hold tunnels (and remove the module later): register again.
    private static void OnModuleRemoved()
    {
        TunnelRegistry.Default.StopOwnedBy(Runspace.DefaultRunspace?.InstanceId ?? Guid.Empty);
        ModuleLifetime.Register(OnModuleRemoved);
    }

    /// <summary>Wraps a tunnel for the pipeline with the KubeExpose.Tunnel type name.</summary>
    public static PSObject ToPSObject(Tunnel tunnel)
    {
        var wrapped = new PSObject(tunnel);
        wrapped.TypeNames.Insert(0, TypeName);
        return wrapped;
    }
}
