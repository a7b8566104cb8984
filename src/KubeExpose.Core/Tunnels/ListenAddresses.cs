using System.Net;

namespace KubeExpose.Core.Tunnels;

/// <summary>
/// Local addresses to listen on, with kubectl's rules: <c>localhost</c> (the default) means 127.0.0.1 and ::1 and fails
/// only when both fail; explicit addresses must be IPs, and each must bind.
/// </summary>
public sealed record ListenAddresses(IReadOnlyList<IPAddress> Required, IReadOnlyList<IPAddress> BestEffort)
{
    public static ListenAddresses Localhost { get; } = new([], [IPAddress.Loopback, IPAddress.IPv6Loopback]);

    public IEnumerable<IPAddress> All => Required.Concat(BestEffort);

    /// <summary>Every address is a loopback address (so only this machine can connect).</summary>
    public bool LoopbackOnly => All.All(IPAddress.IsLoopback);

    public static ListenAddresses Parse(IEnumerable<string>? addresses)
    {
        var list = (addresses ?? []).SelectMany(a => a.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)).ToList();
        if (list.Count == 0)
        {
            return Localhost;
        }

        var required = new List<IPAddress>();
        var bestEffort = new List<IPAddress>();
        foreach (var text in list)
        {
            if (text.Equals("localhost", StringComparison.OrdinalIgnoreCase))
            {
                bestEffort.AddRange(Localhost.BestEffort);
            }
            else if (IPAddress.TryParse(text.Trim('[', ']'), out var ip))
            {
                required.Add(ip);
            }
            else
            {
                throw new KubeExposeException(KubeExposeErrorKind.InvalidArgument, "InvalidAddress",
                    $"'{text}' is not a valid IP address. -Address takes IP addresses (127.0.0.1, ::1, 0.0.0.0) or 'localhost'.", text);
            }
        }

        return new ListenAddresses(required.Distinct().ToList(), bestEffort.Distinct().Where(a => !required.Contains(a)).ToList());
    }
}
