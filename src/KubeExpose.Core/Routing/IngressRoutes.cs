using k8s.Models;
using KubeExpose.Core.Model;

namespace KubeExpose.Core.Routing;

/// <summary>
/// One External route per Ingress address and host/path rule (and the default backend). Address is the Ingress
/// status address to connect to; Port is 443 for hosts covered by spec.tls, else 80; Url is
/// <c>scheme://HOST/path</c> with the rule's host, so a prober connects to Address:Port and sends <c>Host: HOST</c>.
/// A rule without a host puts the address in the Url. The backend Service port's own verdict is inherited.
/// </summary>
internal static class IngressRoutes
{
    private const string DefaultClassAnnotation = "ingressclass.kubernetes.io/is-default-class";
    private const string LegacyClassAnnotation = "kubernetes.io/ingress.class";

    public static IEnumerable<Route> For(V1Ingress ingress, SnapshotIndex index, Func<V1Service, V1ServicePort, ServicePortAnalysis> analyse,
        Func<string, bool> wanted)
    {
        var ns = ingress.Metadata.NamespaceProperty ?? "default";
        var name = ingress.Metadata.Name;
        // What every rule of the Ingress shares, judged when the first rule for a wanted Service comes up: asked about
        // one Service, the model skips the class and address checks of every other Ingress.
        List<Diagnosis>? common = null;
        List<string> addresses = [];
        foreach (var (host, path, backend) in Rules(ingress))
        {
            var serviceName = backend.Service?.Name;
            if (serviceName is null || !wanted(serviceName))
            {
                continue; // Resource backends are not Services; other Services are not asked for.
            }

            if (common is null)
            {
                common = [];
                JudgeClass(ingress, index, common);
                addresses = (ingress.Status?.LoadBalancer?.Ingress ?? []).Select(i => i.Ip ?? i.Hostname).OfType<string>().Where(x => x.Length > 0).ToList();
                if (addresses.Count == 0)
                {
                    common.Add(FindingCatalog.IngressNoAddress(ns, name));
                }
            }

            var tls = ingress.Spec?.Tls?.FirstOrDefault(t => t.Hosts is not { Count: > 0 } || (host is not null && t.Hosts.Any(h => HostMatches(h, host))));
            var diagnoses = new List<Diagnosis>(common);
            if (tls?.SecretName is { } secretName)
            {
                var secret = index.Secret(ns, secretName);
                if (index.Snapshot.Unreadable.TryGetValue("secrets", out var why))
                {
                    diagnoses.Add(FindingCatalog.IngressUncheckable(ns, name, $"TLS Secret {ns}/{secretName} cannot be read ({why})"));
                }
                else if (secret is null)
                {
                    diagnoses.Add(FindingCatalog.TlsSecretMissing(ns, name, secretName));
                }
                else if (secret is not null && secret.Type != "kubernetes.io/tls")
                {
                    diagnoses.Add(FindingCatalog.TlsSecretWrongType(ns, name, secretName, secret.Type));
                }
            }

            var (scheme, port) = tls is null ? ("http", 80) : ("https", 443);
            var portRef = backend.Service!.Port?.Name ?? backend.Service.Port?.Number?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "?";
            var service = index.Service(ns, serviceName);
            var servicePort = service?.Spec?.Ports?.FirstOrDefault(p =>
                (backend.Service.Port?.Name is { } n && p.Name == n) || (backend.Service.Port?.Number is { } num && p.Port == num));
            ServicePortAnalysis? analysis = null;
            if (service is null)
            {
                diagnoses.Add(FindingCatalog.IngressBackendMissing(ns, name, serviceName));
            }
            else if (servicePort is null)
            {
                diagnoses.Add(FindingCatalog.IngressPortMissing(ns, name, serviceName, portRef,
                    (service.Spec?.Ports ?? []).Select(p => p.Name is { Length: > 0 } ? $"{p.Name} ({p.Port})" : p.Port.ToString(System.Globalization.CultureInfo.InvariantCulture))));
            }
            else
            {
                analysis = analyse(service, servicePort);
                diagnoses.AddRange(analysis.Diagnoses);
            }

            IEnumerable<string?> targets = addresses.Count == 0 ? new string?[] { null } : addresses;
            foreach (var address in targets)
            {
                var url = $"{scheme}://{host ?? address ?? "(no address)"}{path}";
                yield return new Route
                {
                    Namespace = ns,
                    Service = serviceName,
                    ServicePort = analysis?.PortLabel ?? portRef,
                    Protocol = "TCP",
                    Vantage = Vantage.External,
                    Kind = RouteKind.Ingress,
                    Address = address ?? "(no address)",
                    Port = port,
                    Url = url,
                    Status = Verdict.Of(diagnoses),
                    Findings = Verdict.Findings(diagnoses),
                    Backends = analysis?.Backends ?? [],
                };
            }
        }
    }

    private static IEnumerable<(string? Host, string Path, V1IngressBackend Backend)> Rules(V1Ingress ingress)
    {
        if (ingress.Spec?.DefaultBackend is { } fallback)
        {
            yield return (null, "/", fallback);
        }

        foreach (var rule in ingress.Spec?.Rules ?? [])
        {
            foreach (var path in rule.Http?.Paths ?? [])
            {
                yield return (string.IsNullOrEmpty(rule.Host) ? null : rule.Host, string.IsNullOrEmpty(path.Path) ? "/" : path.Path, path.Backend);
            }
        }
    }

    private static bool HostMatches(string pattern, string host) =>
        pattern == host || (pattern.StartsWith("*.", StringComparison.Ordinal) && host.EndsWith(pattern[1..], StringComparison.OrdinalIgnoreCase)
            && host.Count(c => c == '.') == pattern.Count(c => c == '.'));

    private static void JudgeClass(V1Ingress ingress, SnapshotIndex index, List<Diagnosis> diagnoses)
    {
        var ns = ingress.Metadata.NamespaceProperty ?? "default";
        if (index.Snapshot.Unreadable.TryGetValue("ingressclasses", out var why))
        {
            diagnoses.Add(FindingCatalog.IngressUncheckable(ns, ingress.Metadata.Name, $"IngressClasses cannot be read ({why}), so whether a controller serves it is unknown"));
            return;
        }

        var classes = index.Snapshot.IngressClasses;
        var names = classes.Select(c => c.Metadata.Name).ToList();
        var className = ingress.Spec?.IngressClassName;
        if (className is not null)
        {
            if (!names.Contains(className))
            {
                diagnoses.Add(FindingCatalog.IngressClassMissing(ns, ingress.Metadata.Name, className, names));
            }
        }
        else if (ingress.Metadata.Annotations?.ContainsKey(LegacyClassAnnotation) != true
            && !classes.Any(c => c.Metadata.Annotations?.TryGetValue(DefaultClassAnnotation, out var v) == true && v == "true"))
        {
            diagnoses.Add(FindingCatalog.IngressNoClass(ns, ingress.Metadata.Name, names));
        }
    }
}
