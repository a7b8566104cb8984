namespace KubeExpose;

/// <summary>
/// What must end when the module is removed or the runspace closes. Kept apart from <see cref="ModuleLoader"/> so the
/// loader never touches KubeExpose.Core types before its resolver is registered.
/// </summary>
internal static class ModuleLifetime
{
    private static readonly List<Action> OnStop = [];

    /// <summary>Registers work to run once when the module goes away (for example: stop every tunnel).</summary>
    public static void Register(Action stop)
    {
        lock (OnStop)
        {
            OnStop.Add(stop);
        }
    }

    public static void Stop()
    {
        Action[] actions;
        lock (OnStop)
        {
            actions = [.. OnStop];
            OnStop.Clear();
        }

        foreach (var action in actions)
        {
            action();
        }
    }
}
