using KubeExpose.Core.Model;

namespace KubeExpose.Core.Probing;

/// <summary>
/// One thing to probe, parsed from a URL, a host:port pair or a route. Build it with <see cref="ProbeTargets"/>.
/// </summary>
public sealed record ProbeTarget
{
    /// <summary>How the target is shown in results and errors (the URL or host:port the user gave).</summary>
    public required string Display { get; init; }

    public required ProbeProtocol Protocol { get; init; }

    /// <summary>The URL of an HTTP(S) probe; null for TCP.</summary>
    public Uri? Uri { get; init; }

    /// <summary>The host to connect to (for HTTP, the URL's host).</summary>
    public required string Host { get; init; }

    public required int Port { get; init; }

    /// <summary>
    /// Where to dial instead of the URL's host, keeping the URL's host for the Host header and TLS server name: how an
    /// Ingress rule is tested by its controller's address when the rule's host name does not resolve here.
    /// </summary>
    public (string Host, int Port)? ConnectTo { get; init; }

    /// <summary>A path on the API server (…/services/NAME:PORT/proxy/) to probe with the caller's credentials instead of dialing.</summary>
    public string? ApiServerPath { get; init; }

    /// <summary>Why this target is not probed from here; null when it is.</summary>
    public string? SkipReason { get; init; }

    /// <summary>The route this target came from, if any.</summary>
    public Route? Route { get; init; }

    public override string ToString() => Display;
}
