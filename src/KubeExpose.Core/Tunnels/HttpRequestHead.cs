namespace KubeExpose.Core.Tunnels;

/// <summary>The request line and headers of one HTTP/1.x request, as received.</summary>
internal sealed record HttpRequestHead(string Method, string Target, string Version, IReadOnlyList<KeyValuePair<string, string>> Headers)
{
    public string? Header(string name) => Headers.FirstOrDefault(h => h.Key.Equals(name, StringComparison.OrdinalIgnoreCase)).Value;

    public bool HasToken(string header, string token) =>
        Headers.Where(h => h.Key.Equals(header, StringComparison.OrdinalIgnoreCase))
            .SelectMany(h => h.Value.Split(',', StringSplitOptions.TrimEntries))
            .Any(t => t.Equals(token, StringComparison.OrdinalIgnoreCase));

    /// <summary>The Host header, or the authority of an absolute-form target.</summary>
    public string? Host => Header("Host") is { Length: > 0 } host ? host
        : Uri.TryCreate(Target, UriKind.Absolute, out var uri) ? uri.Authority : null;

    /// <summary>The path and query as sent (origin form), also for absolute-form targets.</summary>
    public string PathAndQuery => Target.StartsWith('/') ? Target
        : Uri.TryCreate(Target, UriKind.Absolute, out var uri) ? uri.PathAndQuery : Target;

    /// <summary>The raw (still percent-encoded) path.</summary>
    public string RawPath => PathAndQuery.Split('?', 2)[0];

    public string? Query => PathAndQuery.Contains('?', StringComparison.Ordinal) ? PathAndQuery.Split('?', 2)[1] : null;

    public bool IsChunked => HasToken("Transfer-Encoding", "chunked");

    public long? ContentLength => long.TryParse(Header("Content-Length"), out var n) && n >= 0 ? n : null;

    public bool HasBody => IsChunked || ContentLength > 0;

    /// <summary>An upgrade request (WebSocket, SPDY): Connection: Upgrade plus an Upgrade header.</summary>
    public bool IsUpgrade => HasToken("Connection", "upgrade") && !string.IsNullOrEmpty(Header("Upgrade"));

    /// <summary>HTTP/1.1 keeps the connection unless told to close; HTTP/1.0 only when asked to keep it.</summary>
    public bool KeepAlive => Version == "HTTP/1.1" ? !HasToken("Connection", "close") : HasToken("Connection", "keep-alive");
}
