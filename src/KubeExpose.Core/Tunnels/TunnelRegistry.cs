using System.Collections.Concurrent;

namespace KubeExpose.Core.Tunnels;

/// <summary>
/// Every live tunnel of the process, by id. Each tunnel remembers its owner (the PowerShell runspace that started it),
/// so a session lists and stops its own tunnels and closing a session stops exactly those.
/// </summary>
public sealed class TunnelRegistry
{
    private readonly ConcurrentDictionary<int, (Tunnel Tunnel, Guid Owner)> _tunnels = new();
    private int _lastId;

    /// <summary>The registry of this process.</summary>
    public static TunnelRegistry Default { get; } = new();

    internal int NextId() => Interlocked.Increment(ref _lastId);

    internal void Add(Tunnel tunnel, Guid owner)
    {
        _tunnels[tunnel.Id] = (tunnel, owner);
        // A tunnel that ends for any reason leaves the list by itself.
        _ = tunnel.Completion.ContinueWith(_ => _tunnels.TryRemove(tunnel.Id, out var _), TaskScheduler.Default);
    }

    /// <summary>The live tunnels of one owner (or of everyone when <paramref name="owner"/> is null), by id.</summary>
    public IReadOnlyList<Tunnel> List(Guid? owner = null) =>
        _tunnels.Values.Where(t => owner is null || t.Owner == owner).Select(t => t.Tunnel).OrderBy(t => t.Id).ToList();

    public Tunnel? Find(int id) => _tunnels.TryGetValue(id, out var entry) ? entry.Tunnel : null;

    /// <summary>Stops every tunnel of an owner; used when its session closes or the module is removed.</summary>
    public void StopOwnedBy(Guid owner)
    {
        var stops = List(owner).Select(t => t.StopAsync()).ToArray();
        Task.WaitAll(stops, TimeSpan.FromSeconds(10));
    }
}
