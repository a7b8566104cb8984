namespace KubeExpose.Core.Probing;

/// <summary>What a probe speaks.</summary>
public enum ProbeProtocol
{
    /// <summary>A TCP connect, optionally sending text and matching the reply.</summary>
    Tcp,
    /// <summary>An HTTP request over plain TCP.</summary>
    Http,
    /// <summary>An HTTP request over TLS; the server certificate is reported.</summary>
    Https,
}
