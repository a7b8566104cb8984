namespace KubeExpose.Core.Tunnels;

/// <summary>
/// A port-forward or API proxy that lives in the process until stopped. Every property is live: the tunnel updates
/// its state and counters while it serves, so the same object shows what is happening now.
/// </summary>
public sealed class Tunnel
{
    private readonly object _gate = new();
    private long _activeConnections;
    private long _totalConnections;
    private long _bytesIn;
    private long _bytesOut;
    private long _reconnects;
    private TunnelState _state = TunnelState.Starting;
    private string[] _currentPods = [];
    private string? _lastError;
    private string? _protocol;
    private readonly TaskCompletionSource _stopped = new(TaskCreationOptions.RunContinuationsAsynchronously);

    internal Tunnel(int id, TunnelKind kind, string target, string @namespace)
    {
        Id = id;
        Kind = kind;
        Target = target;
        Namespace = @namespace;
    }

    /// <summary>The tunnel's number in this process (Get-KubeProxyTunnel -Id, Stop-KubeProxyTunnel -Id).</summary>
    public int Id { get; }

    public TunnelKind Kind { get; }

    /// <summary>What it forwards to: <c>deploy/web</c>, <c>svc/web</c>, <c>pod/web-1</c>, or the API server address.</summary>
    public string Target { get; }

    public string Namespace { get; }

    /// <summary>The local addresses it listens on, as <c>127.0.0.1:8080 -> 80</c> (port-forward) or <c>127.0.0.1:8001</c>.</summary>
    public IReadOnlyList<string> LocalEndpoints { get; internal set; } = [];

    /// <summary>Where to point a client: the first local endpoint as a URL, or a Service's proxy URL.</summary>
    public string? Url { get; internal set; }

    /// <summary>
    /// How a port-forward reaches its pods: <c>SPDY/3.1</c> (one connection per pod, a pair of streams per forwarded
    /// connection, as kubectl) or <c>v4.channel.k8s.io</c> (one WebSocket per forwarded connection, used when the
    /// cluster or a proxy on the way refuses SPDY). Null for the API proxy, and until the first pod has been reached.
    /// </summary>
    public string? Protocol
    {
        get { lock (_gate) { return _protocol; } }
        internal set { lock (_gate) { _protocol = value; } }
    }

    public TunnelState State
    {
        get { lock (_gate) { return _state; } }
    }

    /// <summary>The pods new connections are sent to right now (ready pods only).</summary>
    public IReadOnlyList<string> CurrentPods
    {
        get { lock (_gate) { return _currentPods; } }
    }

    public long ActiveConnections => Interlocked.Read(ref _activeConnections);

    public long TotalConnections => Interlocked.Read(ref _totalConnections);

    /// <summary>Bytes received from local clients and sent on to the cluster.</summary>
    public long BytesIn => Interlocked.Read(ref _bytesIn);

    /// <summary>Bytes received from the cluster and sent back to local clients.</summary>
    public long BytesOut => Interlocked.Read(ref _bytesOut);

    /// <summary>How often the tunnel had to move away from a pod (gone, not ready, or a stream that could not be opened).</summary>
    public long Reconnects => Interlocked.Read(ref _reconnects);

    /// <summary>The last problem seen; one connection's failure is recorded here without stopping the tunnel.</summary>
    public string? LastError
    {
        get { lock (_gate) { return _lastError; } }
    }

    public DateTimeOffset StartedAt { get; } = DateTimeOffset.Now;

    /// <summary>Completes when the tunnel has stopped (by Stop, or because it failed for good).</summary>
    public Task Completion => _stopped.Task;

    /// <summary>Raised (on a pool thread) whenever <see cref="State"/> changes.</summary>
    public event EventHandler<TunnelState>? StateChanged;

    internal Func<Task>? StopAction { get; set; }

    /// <summary>Stops the listeners and closes every connection. Safe to call more than once.</summary>
    public async Task StopAsync()
    {
        var stop = StopAction;
        if (stop is not null)
        {
            await stop().ConfigureAwait(false);
        }

        SetState(TunnelState.Stopped);
    }

    public override string ToString() => $"Tunnel {Id} {Kind} {Target} ({State})";

    internal void SetState(TunnelState state)
    {
        lock (_gate)
        {
            // Stopped and Failed are final: a late event from a closing connection must not revive the tunnel.
            if (_state == state || _state is TunnelState.Stopped or TunnelState.Failed)
            {
                return;
            }

            _state = state;
        }

        if (state is TunnelState.Stopped or TunnelState.Failed)
        {
            _stopped.TrySetResult();
        }

        StateChanged?.Invoke(this, state);
    }

    internal void SetPods(IReadOnlyList<string> pods)
    {
        lock (_gate)
        {
            _currentPods = [.. pods];
        }
    }

    internal void SetError(string message)
    {
        lock (_gate)
        {
            _lastError = $"{DateTimeOffset.Now:HH:mm:ss} {message}";
        }
    }

    internal void ConnectionOpened()
    {
        Interlocked.Increment(ref _totalConnections);
        Interlocked.Increment(ref _activeConnections);
    }

    internal void ConnectionClosed() => Interlocked.Decrement(ref _activeConnections);

    internal void AddBytesIn(long count) => Interlocked.Add(ref _bytesIn, count);

    internal void AddBytesOut(long count) => Interlocked.Add(ref _bytesOut, count);

    internal void CountReconnect() => Interlocked.Increment(ref _reconnects);
}
