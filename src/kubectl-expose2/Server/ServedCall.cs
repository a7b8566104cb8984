using KubeExpose.Plugin.Hosting;

namespace KubeExpose.Plugin.Server;

/// <summary>What the engine server hands a call: an engine already open (taken once) and the caller's Ctrl+C.</summary>
public sealed class ServedCall(Func<bool, ModuleRunspace> takeEngine, CancellationToken interrupt)
{
    public CancellationToken Interrupt { get; } = interrupt;

    /// <summary>The runspace for this call, made current on the calling thread; the call disposes it.</summary>
    /// <param name="fullSession">The whole default session (tab completion), as <see cref="ModuleRunspace.Open"/>.</param>
    public ModuleRunspace TakeEngine(bool fullSession = false) => takeEngine(fullSession);
}
