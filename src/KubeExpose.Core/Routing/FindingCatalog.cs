using KubeExpose.Core.Model;
using static KubeExpose.Core.Model.FindingSeverity;
using static KubeExpose.Core.Model.RouteStatus;

namespace KubeExpose.Core.Routing;

/// <summary>
/// Every finding the routing model can report, in one place, so codes stay stable and documented. KE1xxx are about
/// the Service, KE2xxx about its endpoints and pods, KE3xxx about Ingresses, KE4xxx about nodes and host ports.
/// A code, once published, keeps its meaning; new findings take new codes.
/// </summary>
public static class FindingCatalog
{
    /// <summary>Code, severity and a one-line title for every finding (documentation and tests read this).</summary>
    public static IReadOnlyList<(string Code, FindingSeverity Severity, string Title)> Codes { get; } =
    [
        ("KE1001", Error, "Service has no selector and no endpoints"),
        ("KE1002", Warning, "Hand-made endpoints do not point at pods (the API-server proxy refuses them)"),
        ("KE1003", Warning, "LoadBalancer has no address yet"),
        ("KE1004", Info, "ExternalName Service is a DNS alias the API cannot check"),
        ("KE1005", Info, "Session affinity pins each client to one pod"),
        ("KE1006", Warning, "publishNotReadyAddresses sends traffic to pods that are not ready"),
        ("KE1007", Info, "Environment variables exist only in pods created after the Service"),
        ("KE1008", Info, "Short DNS name resolves only through the pod's search path"),
        ("KE1009", Warning, "externalIP is not an address of any node"),
        ("KE1010", Info, "Per-pod DNS name of a headless Service"),
        ("KE2001", Error, "Selector matches no pods"),
        ("KE2002", Warning, "Named targetPort missing on some selected pods"),
        ("KE2003", Error, "Named targetPort missing on every selected pod"),
        ("KE2004", Warning, "Numeric targetPort not declared by the selected pods"),
        ("KE2005", Info, "Selected pods declare no ports at all"),
        ("KE2006", Error, "Protocol of the Service port differs from the container port"),
        ("KE2007", Error, "Pods exist but none is ready"),
        ("KE2008", Warning, "Some selected pods are not ready"),
        ("KE2009", Error, "No ready endpoints"),
        ("KE2010", Error, "This pod is not ready"),
        ("KE3001", Error, "Ingress backend Service does not exist"),
        ("KE3002", Error, "Ingress backend port is not a port of the Service"),
        ("KE3003", Error, "IngressClass named by the Ingress does not exist"),
        ("KE3004", Error, "Ingress names no class and there is no default IngressClass"),
        ("KE3005", Error, "TLS Secret of the Ingress does not exist"),
        ("KE3006", Error, "TLS Secret of the Ingress has the wrong type"),
        ("KE3007", Warning, "Ingress has no address in its status"),
        ("KE3008", Warning, "IngressClasses or TLS Secrets cannot be read, so the Ingress cannot be checked"),
        ("KE4001", Warning, "Node has no ExternalIP"),
        ("KE4002", Error, "externalTrafficPolicy Local and no ready pod on this node"),
        ("KE4003", Warning, "Node is not Ready"),
        ("KE4004", Error, "hostPort declared on a pod that is not running"),
        ("KE4005", Warning, "Nodes cannot be read"),
    ];

    internal static Diagnosis NoSelectorNoEndpoints(string ns, string svc) => New("KE1001", Error, Broken,
        $"Service {ns}/{svc} has no selector and no endpoints: nothing receives its traffic.",
        $"Add a selector that matches the pods (kubectl set selector service/{svc} app=NAME -n {ns}), or create an EndpointSlice labelled kubernetes.io/service-name={svc}.");

    internal static Diagnosis EndpointsWithoutPods(string ns, string svc, IEnumerable<string> addresses) => New("KE1002", Warning, Ready,
        $"Service {ns}/{svc} has hand-made endpoints ({Join(addresses)}) that name no pod: the API-server proxy answers 503 for them.",
        "Reach it another way (ClusterIP, NodePort), or give each endpoint a targetRef to a Pod with that IP.");

    internal static Diagnosis LoadBalancerPending(string ns, string svc) => New("KE1003", Warning, Pending,
        $"Service {ns}/{svc} is type LoadBalancer but status.loadBalancer has no ingress address: no load-balancer controller has provisioned it (yet).",
        "Wait, or check that a load-balancer controller (cloud provider, MetalLB) runs; meanwhile use its NodePort routes.");

    internal static Diagnosis ExternalNameTarget(string ns, string svc, string target) => New("KE1004", Info, Unknown,
        $"Service {ns}/{svc} is a DNS alias (CNAME) for {target}; whether {target} answers is outside what the Kubernetes API knows.",
        $"Test {target} from a pod; note that HTTP clients send Host: {svc}.{ns}..., which the target may reject.");

    internal static Diagnosis SessionAffinity(string ns, string svc, int? seconds) => New("KE1005", Info, Ready,
        $"Service {ns}/{svc} has sessionAffinity ClientIP (timeout {seconds ?? 10800}s): each client keeps reaching the same pod, so a bad pod stays bad for its clients.",
        "Test from more than one client address, or set sessionAffinity: None.");

    internal static Diagnosis PublishNotReady(string ns, string svc, IEnumerable<string> pods) => New("KE1006", Warning, Degraded,
        $"Service {ns}/{svc} sets publishNotReadyAddresses, so its endpoints include pods that are not ready: {Join(pods)}.",
        "Expected for StatefulSet peer discovery; otherwise remove publishNotReadyAddresses.");

    /// <summary>KE1007; <paramref name="olderPods"/> is a sample (the message names at most eight) of the <paramref name="olderCount"/> pods older than the Service.</summary>
    internal static Diagnosis EnvVarCaveat(string ns, string svc, IReadOnlyCollection<string> olderPods, int olderCount) => New("KE1007", Info, Ready,
        olderCount == 0
            ? $"The variables exist only in pods of namespace {ns} created after Service {ns}/{svc} (and with enableServiceLinks not false)."
            : $"The variables exist only in pods of namespace {ns} created after Service {ns}/{svc}; {olderCount} pod(s) are older and lack them: {Join(olderPods, olderCount)}.",
        "Prefer the DNS name; restart older pods if they rely on the variables.");

    internal static Diagnosis ShortDnsName(string ns, string name) => New("KE1008", Info, Ready,
        $"{name} resolves only through the pod's DNS search path{(name.Contains('.') ? string.Empty : $" and only from pods in namespace {ns}")}.",
        "Use the fully qualified name from other namespaces and from clients with their own resolv.conf.");

    internal static Diagnosis ExternalIpNotNodeAddress(string ns, string svc, string ip) => New("KE1009", Warning, Unknown,
        $"externalIP {ip} of Service {ns}/{svc} is not an address of any node: Kubernetes neither assigns nor routes it, so whether traffic to it reaches a node is outside what the API knows.",
        $"Make sure the network routes {ip} to a node, or use a LoadBalancer Service.");

    internal static Diagnosis HeadlessPodName(string name) => New("KE1010", Info, Ready,
        $"DNS name of this endpoint: {name}.", null);

    internal static Diagnosis SelectorMatchesNoPods(string ns, string svc, string selector) => New("KE2001", Error, Broken,
        $"Selector {selector} of Service {ns}/{svc} matches no pods in namespace {ns}.",
        $"Compare with the pods' labels (kubectl get pods -n {ns} --show-labels) and fix the selector or the pod template.");

    internal static Diagnosis NamedPortMissingSome(string ns, string svc, string port, IEnumerable<string> pods) => New("KE2002", Warning, Degraded,
        $"targetPort '{port}' of Service {ns}/{svc} is not a named port of these selected pods, which get no traffic on it: {Join(pods)}.",
        $"Name the container port '{port}' in every pod template the selector matches (containers or native sidecars).");

    internal static Diagnosis NamedPortMissingAll(string ns, string svc, string port, IEnumerable<string> pods) => New("KE2003", Error, Broken,
        $"targetPort '{port}' of Service {ns}/{svc} is not a named port of any selected pod ({Join(pods)}): the port has no endpoints.",
        $"Name a container port '{port}' (ports[].name) in the pod template, or set targetPort to the number the container listens on.");

    internal static Diagnosis NumericPortUndeclared(string ns, string svc, int port, IEnumerable<string> declared, IEnumerable<string> pods) => New("KE2004", Warning, Unknown,
        $"targetPort {port} of Service {ns}/{svc} is not declared by selected pods {Join(pods)}, which declare {Join(declared)}; undeclared ports can work, but the API cannot prove anything listens on {port}.",
        $"Check the targetPort (the pods declare {Join(declared)}), or declare containerPort {port} in the pod template.");

    internal static Diagnosis NoPortsDeclared(string ns, string svc, int port) => New("KE2005", Info, Unknown,
        $"The pods selected by Service {ns}/{svc} declare no container ports, so the API cannot prove anything listens on targetPort {port}.",
        $"Declare containerPort {port} in the pod template, then the model can verify it; or run Test-Endpoint on the route.");

    internal static Diagnosis ProtocolMismatch(string ns, string svc, string port, string serviceProtocol, string containerProtocol, IEnumerable<string> pods) => New("KE2006", Error, Broken,
        $"Service {ns}/{svc} port {port} is {serviceProtocol} but the container port is {containerProtocol} on {Join(pods)}.",
        "Make the Service port protocol and the container port protocol the same.");

    internal static Diagnosis NoPodReady(string ns, string svc, IEnumerable<string> pods) => New("KE2007", Error, Broken,
        $"None of the pods selected by Service {ns}/{svc} is ready: {Join(pods)}.",
        $"See why: kubectl describe pod -n {ns} (readiness probe, crash loop, image pull).");

    internal static Diagnosis SomePodsNotReady(string ns, string svc, IEnumerable<string> pods) => New("KE2008", Warning, Degraded,
        $"Some pods selected by Service {ns}/{svc} are not ready and get no traffic: {Join(pods)}.",
        $"See why: kubectl describe pod -n {ns} NAME.");

    internal static Diagnosis NoReadyEndpoints(string ns, string svc, string port) => New("KE2009", Error, Broken,
        $"Service {ns}/{svc} port {port} has no ready endpoints.",
        $"Check kubectl get endpointslices -n {ns} -l kubernetes.io/service-name={svc}.");

    internal static Diagnosis EndpointNotReady(string ns, string pod) => New("KE2010", Error, Broken,
        $"Pod {ns}/{pod} is not ready: its address answers only if the client ignores readiness.", $"kubectl describe pod {pod} -n {ns}");

    internal static Diagnosis IngressBackendMissing(string ns, string ingress, string svc) => New("KE3001", Error, Broken,
        $"Ingress {ns}/{ingress} sends traffic to Service {ns}/{svc}, which does not exist.",
        $"Create Service {svc} in namespace {ns} or fix the backend in the Ingress.");

    internal static Diagnosis IngressPortMissing(string ns, string ingress, string svc, string port, IEnumerable<string> ports) => New("KE3002", Error, Broken,
        $"Ingress {ns}/{ingress} uses port {port} of Service {ns}/{svc}, which has ports {Join(ports)}.",
        "Use one of the Service's port names or numbers in the Ingress backend.");

    internal static Diagnosis IngressClassMissing(string ns, string ingress, string className, IEnumerable<string> classes) => New("KE3003", Error, Broken,
        $"Ingress {ns}/{ingress} names IngressClass {className}, which does not exist (classes: {Join(classes)}); no controller serves it.",
        "Set spec.ingressClassName to an existing class.");

    internal static Diagnosis IngressNoClass(string ns, string ingress, IEnumerable<string> classes) => New("KE3004", Error, Broken,
        $"Ingress {ns}/{ingress} names no IngressClass and no class is marked default (classes: {Join(classes)}).",
        "Set spec.ingressClassName, or annotate one class ingressclass.kubernetes.io/is-default-class=true.");

    internal static Diagnosis TlsSecretMissing(string ns, string ingress, string secret) => New("KE3005", Error, Broken,
        $"Ingress {ns}/{ingress} uses TLS Secret {ns}/{secret}, which does not exist: the controller serves a default certificate clients reject.",
        $"kubectl create secret tls {secret} -n {ns} --cert=... --key=...");

    internal static Diagnosis TlsSecretWrongType(string ns, string ingress, string secret, string type) => New("KE3006", Error, Broken,
        $"Ingress {ns}/{ingress} uses Secret {ns}/{secret} for TLS, but its type is {type}, not kubernetes.io/tls.",
        $"Recreate it with kubectl create secret tls {secret} -n {ns} --cert=... --key=...");

    internal static Diagnosis IngressNoAddress(string ns, string ingress) => New("KE3007", Warning, Pending,
        $"Ingress {ns}/{ingress} has no address in status.loadBalancer: no controller has admitted it (yet).",
        "Check that the ingress controller for its class runs and watches this namespace.");

    internal static Diagnosis IngressUncheckable(string ns, string ingress, string reason) => New("KE3008", Warning, Unknown,
        $"Ingress {ns}/{ingress} cannot be fully checked: {reason}",
        "Ask for RBAC that grants 'list' on the resource named, or check the Ingress by connecting (Test-Endpoint).");

    internal static Diagnosis NodeNoExternalIp(string node) => New("KE4001", Warning, Unknown,
        $"Node {node} has no ExternalIP: whether clients outside the cluster network reach its InternalIP is outside what the API knows.",
        "Use a LoadBalancer or an Ingress for outside clients, or test this address from outside (Test-Endpoint).");

    internal static Diagnosis LocalPolicyNoLocalPod(string ns, string svc, string node) => New("KE4002", Error, Broken,
        $"Service {ns}/{svc} has externalTrafficPolicy Local and node {node} runs no ready pod of it: the node drops the traffic.",
        "Use the nodes that run a ready pod, spread the pods (DaemonSet, topology spread), or set externalTrafficPolicy Cluster.");

    internal static Diagnosis NodeNotReady(string node) => New("KE4003", Warning, Unknown,
        $"Node {node} is not Ready: whether it forwards traffic is unknown.", $"kubectl describe node {node}");

    internal static Diagnosis HostPortPodNotRunning(string ns, string pod, string phase) => New("KE4004", Error, Broken,
        $"Pod {ns}/{pod} declares the hostPort but is {phase}, not Running: nothing listens on the node.",
        $"kubectl describe pod {pod} -n {ns} (a hostPort already taken on the node keeps pods Pending).");

    internal static Diagnosis NodesUnreadable(string reason) => New("KE4005", Warning, Unknown,
        $"Node addresses cannot be read ({reason}), so node routes cannot be listed or judged.",
        "Ask for RBAC that grants 'list' on 'nodes'.");

    private static Diagnosis New(string code, FindingSeverity severity, RouteStatus effect, string message, string? remedy) =>
        new(new Finding(code, severity, message, remedy), effect);

    private static string Join(IEnumerable<string> items)
    {
        var all = items as IReadOnlyCollection<string> ?? items.ToList();
        return Join(all, all.Count);
    }

    /// <summary>At most eight items, then how many more there are (of <paramref name="total"/> when the list is a sample).</summary>
    private static string Join(IEnumerable<string> items, int total)
    {
        var list = items.Take(8).ToList();
        var count = Math.Max(total, list.Count);
        return list.Count switch
        {
            0 => "none",
            _ when count <= list.Count => string.Join(", ", list),
            _ => $"{string.Join(", ", list)} and {count - list.Count} more",
        };
    }
}
