namespace KubeExpose.Core.Tunnels;

/// <summary>
/// The API server answered a SPDY port-forward upgrade with something other than 101: the pod may be gone or
/// forbidden, or something on the way does not accept SPDY (then a WebSocket may still work).
/// </summary>
internal sealed class SpdyUpgradeRefusedException(int status, string message) : IOException(message)
{
    /// <summary>The HTTP status of the answer.</summary>
    public int Status { get; } = status;
}
