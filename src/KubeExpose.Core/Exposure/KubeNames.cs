using System.Net;
using System.Text.RegularExpressions;

namespace KubeExpose.Core.Exposure;

/// <summary>The API server's name rules, checked before anything is sent so the error can say what to change.</summary>
public static partial class KubeNames
{
    [GeneratedRegex("^[a-z]([-a-z0-9]*[a-z0-9])?$")]
    private static partial Regex Dns1035Pattern();

    [GeneratedRegex("^[a-z0-9]([-a-z0-9]*[a-z0-9])?$")]
    private static partial Regex Dns1123LabelPattern();

    /// <summary>Why <paramref name="name"/> is not a DNS-1035 label (Service names), or null when it is.</summary>
    public static string? Dns1035LabelError(string name)
    {
        if (name.Length > 63)
        {
            return $"it is {name.Length} characters long; the limit is 63";
        }

        return Dns1035Pattern().IsMatch(name)
            ? null
            : "it must consist of lower-case letters, digits and '-', start with a letter and end with a letter or digit";
    }

    /// <summary>A DNS-1035 label derived from a workload name, as kubectl does: truncated to 63 characters.</summary>
    public static string ServiceNameFor(string workloadName) =>
        workloadName.Length <= 63 ? workloadName : workloadName[..63].TrimEnd('-', '.');

    /// <summary>Why a host is not a valid Ingress host (DNS-1123 subdomain, optionally with a leading "*."), or null.</summary>
    public static string? IngressHostError(string host)
    {
        if (IPAddress.TryParse(host, out _))
        {
            return "an Ingress host must be a DNS name, not an IP address";
        }

        var name = host.StartsWith("*.", StringComparison.Ordinal) ? host[2..] : host;
        if (name.Length is 0 or > 253)
        {
            return "a host must be 1 to 253 characters";
        }

        return name.Split('.').All(l => l.Length <= 63 && Dns1123LabelPattern().IsMatch(l))
            ? null
            : "a host must be lower-case DNS labels separated by dots (a leading '*.' is allowed)";
    }

    /// <summary>Why a Service port name is invalid (a DNS-1123 label), or null.</summary>
    public static string? PortNameError(string name) =>
        name.Length <= 63 && Dns1123LabelPattern().IsMatch(name) ? null : "a port name must be a lower-case DNS label (a-z, 0-9, '-')";
}
