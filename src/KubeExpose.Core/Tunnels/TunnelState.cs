namespace KubeExpose.Core.Tunnels;

/// <summary>Where a tunnel is in its life.</summary>
public enum TunnelState
{
    /// <summary>Listeners are being opened and the target resolved.</summary>
    Starting,

    /// <summary>Serving: new connections go to a ready pod (or to the API server).</summary>
    Ready,

    /// <summary>No ready pod right now, or the last stream failed: new connections wait and retry with backoff.</summary>
    Reconnecting,

    /// <summary>Stopped by the user, the end of the session or Remove-Module.</summary>
    Stopped,

    /// <summary>Cannot serve any more (for example every listener closed); LastError says why.</summary>
    Failed,
}
