namespace KubeExpose.Core.Exposure;

/// <summary>How -External reaches the workload from outside, and why.</summary>
/// <param name="Method">LoadBalancer, Ingress or NodePort.</param>
/// <param name="Reason">A sentence naming the evidence.</param>
/// <param name="IngressClass">The IngressClass to use when the method is Ingress.</param>
public sealed record ExternalChoice(string Method, string Reason, string? IngressClass = null)
{
    // Ports whose names or numbers say HTTP: the only traffic an Ingress carries.
    private static readonly HashSet<int> HttpPorts = [80, 443, 8080, 8000, 8443, 8888, 3000, 5000, 9000];

    /// <summary>Whether a port looks like HTTP by name or number.</summary>
    public static bool LooksHttp(string? name, int number, string protocol) =>
        protocol == "TCP" && (HttpPorts.Contains(number) || name is not null
            && (name.StartsWith("http", StringComparison.OrdinalIgnoreCase) || name.StartsWith("web", StringComparison.OrdinalIgnoreCase)));

    /// <summary>Picks LoadBalancer when the cluster has provisioned one, else Ingress for HTTP ports with a usable class, else NodePort.</summary>
    /// <param name="facts">What the cluster has shown.</param>
    /// <param name="ports">The Service ports: name, number and protocol.</param>
    /// <param name="requestedClass">The class named by -IngressClass, if any.</param>
    public static ExternalChoice Decide(ClusterFacts facts, IReadOnlyList<(string? Name, int Number, string Protocol)> ports, string? requestedClass)
    {
        if (facts.ProvisionedLoadBalancer is { } lb && facts.StalePendingLoadBalancer is null)
        {
            return new("LoadBalancer", $"LoadBalancer: this cluster provisions load balancers (Service {lb} has an address).");
        }

        var noLb = facts.StalePendingLoadBalancer is { } stale
            ? $"Service {stale} has been waiting for a load-balancer address, so none is being provisioned now"
            : "no LoadBalancer Service in this cluster has an address";

        var http = ports.Where(p => LooksHttp(p.Name, p.Number, p.Protocol)).ToList();
        var (ingressClass, classWhy) = UsableClass(facts, requestedClass);
        if (http.Count > 0 && ingressClass is not null)
        {
            var port = http[0];
            return new("Ingress",
                $"Ingress: {noLb}, port {port.Name ?? port.Number.ToString()} looks like HTTP and {classWhy}.",
                ingressClass);
        }

        var why = http.Count == 0
            ? "no port looks like HTTP for an Ingress"
            : ingressClass is null ? classWhy : "";
        return new("NodePort", $"NodePort: {noLb} and {why}; every node answers on the node port.");
    }

    private static (string? Class, string Why) UsableClass(ClusterFacts facts, string? requested)
    {
        if (!facts.IngressClassesReadable)
        {
            return (null, "IngressClasses could not be read (RBAC)");
        }

        if (requested is not null)
        {
            return facts.IngressClasses.Any(c => c.Name == requested)
                ? (requested, $"IngressClass '{requested}' exists")
                : (null, $"IngressClass '{requested}' does not exist");
        }

        var defaults = facts.IngressClasses.Where(c => c.IsDefault).ToList();
        if (defaults.Count == 1)
        {
            return (defaults[0].Name, $"IngressClass '{defaults[0].Name}' is the cluster default");
        }

        if (facts.IngressClasses.Count == 1)
        {
            return (facts.IngressClasses[0].Name, $"IngressClass '{facts.IngressClasses[0].Name}' is the only one");
        }

        return (null, facts.IngressClasses.Count == 0
            ? "there is no IngressClass"
            : $"no IngressClass is the default (pass -IngressClass: {string.Join(", ", facts.IngressClasses.Select(c => c.Name))})");
    }
}
