using System.Net;
using System.Text.RegularExpressions;

namespace KubeExpose.Core.Tunnels;

/// <summary>
/// kubectl proxy's request filter (<c>pkg/proxy/proxy_server.go</c>): each option is a comma-separated list of regular
/// expressions, each searched (not anchored unless written so) in its value; an empty option is an empty list that
/// matches nothing. A request passes when its path matches no reject-path, its method no reject-method, its path an
/// accept-path and its Host header (port removed) an accept-host. Reject wins over accept.
/// </summary>
public sealed class ProxyFilter
{
    public const string DefaultAcceptHosts = @"^localhost$,^127\.0\.0\.1$,^\[::1\]$";
    public const string DefaultAcceptPaths = "^.*";
    public const string DefaultRejectPaths = @"^/api/.*/pods/.*/exec,^/api/.*/pods/.*/attach";
    public const string DefaultRejectMethods = "^$";

    private readonly IReadOnlyList<Regex> _acceptHosts;
    private readonly IReadOnlyList<Regex> _acceptPaths;
    private readonly IReadOnlyList<Regex> _rejectPaths;
    private readonly IReadOnlyList<Regex> _rejectMethods;

    public ProxyFilter(string? acceptHosts = DefaultAcceptHosts, string? acceptPaths = DefaultAcceptPaths,
        string? rejectPaths = DefaultRejectPaths, string? rejectMethods = DefaultRejectMethods)
    {
        _acceptHosts = Compile(acceptHosts, "AcceptHosts");
        _acceptPaths = Compile(acceptPaths, "AcceptPaths");
        _rejectPaths = Compile(rejectPaths, "RejectPaths");
        _rejectMethods = Compile(rejectMethods, "RejectMethods");
    }

    /// <summary>Warnings kubectl proxy prints for the same options (nothing rejected means nothing protected).</summary>
    public IEnumerable<string> Warnings
    {
        get
        {
            if (_rejectPaths.Count == 0)
            {
                yield return "-RejectPaths is empty: exec and attach requests are passed to the API server with your credentials.";
            }

            if (_rejectMethods.Count == 0)
            {
                yield return "-RejectMethods is empty: every HTTP method is passed to the API server.";
            }
        }
    }

    /// <summary>Whether kubectl proxy's filter lets the request through.</summary>
    /// <param name="method">The HTTP method.</param>
    /// <param name="path">The decoded URL path, after the API prefix was handled.</param>
    /// <param name="hostHeader">The Host header as sent (with or without a port).</param>
    public bool Accept(string method, string path, string? hostHeader)
    {
        if (Matches(path, _rejectPaths) || Matches(method, _rejectMethods))
        {
            return false;
        }

        return Matches(path, _acceptPaths) && Matches(HostOf(hostHeader ?? ""), _acceptHosts);
    }

    /// <summary>
    /// The host part of a Host header. IPv6 literals keep their brackets, so the default <c>^\[::1\]$</c> matches
    /// <c>[::1]:8001</c> as intended (kubectl strips the brackets with the port and then rejects it: kubernetes#77496).
    /// </summary>
    internal static string HostOf(string header)
    {
        if (header.StartsWith('['))
        {
            var end = header.IndexOf(']', StringComparison.Ordinal);
            return end > 0 ? header[..(end + 1)] : header;
        }

        var colon = header.LastIndexOf(':');
        return colon >= 0 && header.IndexOf(':', StringComparison.Ordinal) == colon ? header[..colon] : header;
    }

    private static bool Matches(string value, IReadOnlyList<Regex> patterns) => patterns.Any(p => p.IsMatch(value));

    private static List<Regex> Compile(string? list, string option)
    {
        if (string.IsNullOrEmpty(list))
        {
            return [];
        }

        var result = new List<Regex>();
        foreach (var part in list.Split(','))
        {
            try
            {
                // Go's regexp is RE2 (linear time); a timeout keeps .NET's backtracking engine from hanging on hostile input.
                result.Add(new Regex(part, RegexOptions.CultureInvariant, TimeSpan.FromSeconds(1)));
            }
            catch (ArgumentException e)
            {
                throw new KubeExposeException(KubeExposeErrorKind.InvalidArgument, "InvalidFilterExpression",
                    $"-{option}: '{part}' is not a valid regular expression: {e.Message}", part, e);
            }
        }

        return result;
    }

    /// <summary>Whether an address is loopback; used to refuse remote binding without -AllowRemoteAccess.</summary>
    internal static bool IsLoopback(IPAddress address) => IPAddress.IsLoopback(address);
}
