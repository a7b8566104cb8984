namespace KubeExpose.Core.Tunnels;

/// <summary>A port-forward or API proxy that lives in the session until stopped.</summary>
public sealed class Tunnel
{
    public int Id { get; init; }
    public string? Url { get; init; }
}
