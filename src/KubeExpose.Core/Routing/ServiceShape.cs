using k8s.Models;

namespace KubeExpose.Core.Routing;

/// <summary>Facts about a Service's type that several route families need.</summary>
internal static class ServiceShape
{
    public static string Type(V1Service s) => s.Spec?.Type ?? "ClusterIP";

    public static bool IsExternalName(V1Service s) => Type(s) == "ExternalName";

    public static bool IsHeadless(V1Service s) => !IsExternalName(s) && s.Spec?.ClusterIP == "None";

    /// <summary>The virtual IPs (one per IP family), empty for headless and ExternalName Services.</summary>
    public static IReadOnlyList<string> ClusterIps(V1Service s)
    {
        if (IsExternalName(s) || IsHeadless(s))
        {
            return [];
        }

        if (s.Spec?.ClusterIPs is not { Count: > 0 } ips)
        {
            return s.Spec?.ClusterIP is { Length: > 0 } one && one != "None" ? [one] : [];
        }

        if (ips is List<string> list && !list.Contains("None"))
        {
            return list; // The usual case: the API's own list, shared read-only rather than copied per port.
        }

        var real = new List<string>(ips.Count);
        foreach (var ip in ips)
        {
            if (ip != "None")
            {
                real.Add(ip);
            }
        }

        return real;
    }

    public static bool HasNodePorts(V1Service s) => Type(s) is "NodePort" or "LoadBalancer";

    public static bool LocalTrafficPolicy(V1Service s) => s.Spec?.ExternalTrafficPolicy == "Local";

    public static string DnsName(V1Service s, string clusterDomain) =>
        $"{s.Metadata.Name}.{s.Metadata.NamespaceProperty ?? "default"}.svc.{clusterDomain}";
}
