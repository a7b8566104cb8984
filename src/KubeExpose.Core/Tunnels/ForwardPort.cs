using System.Globalization;

namespace KubeExpose.Core.Tunnels;

/// <summary>
/// One port pair as kubectl port-forward writes it: <c>8080:80</c>, <c>:80</c> (random local port), <c>80</c> (same
/// port locally), or a port name in place of the remote number (<c>8080:http</c>, <c>:http</c>, <c>http</c>).
/// </summary>
/// <param name="Local">The local port; 0 means "pick a free one"; null (a bare port name) means "the number the name resolves to", as kubectl does.</param>
/// <param name="Remote">The remote port as given: a number, or a name resolved per pod (or against the Service).</param>
public sealed record ForwardPort(int? Local, string Remote)
{
    /// <summary>The remote port when it is a number, else null (a name).</summary>
    public int? RemoteNumber => int.TryParse(Remote, NumberStyles.None, CultureInfo.InvariantCulture, out var n) ? n : null;

    /// <summary>
    /// Parses kubectl's syntax. A bare name (<c>http</c>) listens on the port number the name resolves to: the
    /// container port for a pod or workload, the Service port for a Service (kubectl's translation rules).
    /// </summary>
    public static ForwardPort Parse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var spec = text.Trim();
        var parts = spec.Split(':');
        if (parts.Length > 2 || spec.Length == 0)
        {
            throw Invalid(text, "expected LOCAL:REMOTE, :REMOTE or REMOTE");
        }

        string localText = parts.Length == 2 ? parts[0] : "";
        string remote = parts[^1];
        if (remote.Length == 0)
        {
            throw Invalid(text, "the remote port is missing");
        }

        if (int.TryParse(remote, NumberStyles.None, CultureInfo.InvariantCulture, out var remoteNumber))
        {
            if (remoteNumber is < 1 or > 65535)
            {
                throw Invalid(text, $"remote port {remoteNumber} is not between 1 and 65535");
            }
        }
        else if (!IsPortName(remote))
        {
            throw Invalid(text, $"'{remote}' is neither a port number nor a valid port name (up to 15 lowercase letters, digits and '-')");
        }

        int? local;
        if (parts.Length == 1)
        {
            local = int.TryParse(remote, NumberStyles.None, CultureInfo.InvariantCulture, out var same) ? same : null;
        }
        else if (localText.Length == 0)
        {
            local = 0;
        }
        else if (int.TryParse(localText, NumberStyles.None, CultureInfo.InvariantCulture, out var number) && number is >= 0 and <= 65535)
        {
            local = number;
        }
        else
        {
            throw Invalid(text, $"local port '{localText}' is not a number between 0 and 65535");
        }

        return new ForwardPort(local, remote);
    }

    /// <summary>An IANA_SVC_NAME as Kubernetes validates it: 1-15 chars, [a-z0-9-], at least one letter, no leading/trailing/double '-'.</summary>
    internal static bool IsPortName(string name) =>
        name.Length is >= 1 and <= 15
        && name.All(c => c is (>= 'a' and <= 'z') or (>= '0' and <= '9') or '-')
        && name.Any(c => c is >= 'a' and <= 'z')
        && !name.StartsWith('-') && !name.EndsWith('-') && !name.Contains("--", StringComparison.Ordinal);

    private static KubeExposeException Invalid(string text, string why) =>
        new(KubeExposeErrorKind.InvalidArgument, "InvalidPortSpec",
            $"Port '{text}' is not valid: {why}. Write ports as kubectl does: 8080:80, :80 (random local port), 80, or a port name such as :http.",
            text);

    public override string ToString() => Local switch
    {
        null => Remote,
        0 => $":{Remote}",
        _ => $"{Local.Value.ToString(CultureInfo.InvariantCulture)}:{Remote}",
    };
}
