using KubeExpose.Plugin.Hosting;

namespace KubeExpose.Plugin.Server;

/// <summary>
/// The engine server's next runspaces, opened (module imported) while it waits for calls: opening one is most of a
/// warm call. One lean runspace for the cmdlets, and — once completion has been asked for — one full default session
/// for PowerShell's tab completion. Each call takes a fresh one; nothing a call did is seen by the next.
/// </summary>
internal sealed class SpareRunspaces
{
    private readonly Lock _lock = new();
    private Task<ModuleRunspace>? _lean;
    private Task<ModuleRunspace>? _full;

    /// <summary>Opens the lean runspace now and waits for it: the server listens only once it is warm.</summary>
    public void Warm()
    {
        Replenish(fullSession: false);
        _lean!.Wait();
    }

    /// <summary>A runspace for one call, made current on this thread in the caller's directory.</summary>
    public ModuleRunspace Take(bool fullSession, string workingDirectory)
    {
        Task<ModuleRunspace>? spare;
        lock (_lock)
        {
            spare = fullSession ? _full : _lean;
            if (fullSession)
            {
                _full = null;
            }
            else
            {
                _lean = null;
            }
        }

        var engine = spare is not null && spare.Wait(TimeSpan.FromMinutes(1)) && spare.IsCompletedSuccessfully
            ? spare.Result
            : ModuleRunspace.Open(fullSession);
        Replenish(fullSession);
        engine.MakeCurrent(workingDirectory);
        return engine;
    }

    private void Replenish(bool fullSession)
    {
        lock (_lock)
        {
            if (fullSession)
            {
                _full ??= Task.Run(() => ModuleRunspace.Open(fullSession: true));
            }
            else
            {
                _lean ??= Task.Run(() => ModuleRunspace.Open());
            }
        }
    }
}
