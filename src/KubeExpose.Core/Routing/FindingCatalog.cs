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

    // Every message and remedy is a static function of the finding's arguments, formatted only when someone reads it
    // (see Finding): the model reports a finding per DNS name and per env-var route, and most are never read.
    // Sequences are copied when the finding is made, so the text cannot change with the caller's collections.

    internal static Diagnosis NoSelectorNoEndpoints(string ns, string svc) => New("KE1001", Error, Broken, (ns, svc),
        static x => $"Service {x.ns}/{x.svc} has no selector and no endpoints: nothing receives its traffic.",
        static x => $"Add a selector that matches the pods (kubectl set selector service/{x.svc} app=NAME -n {x.ns}), or create an EndpointSlice labelled kubernetes.io/service-name={x.svc}.");

    internal static Diagnosis EndpointsWithoutPods(string ns, string svc, IEnumerable<string> addresses) => New("KE1002", Warning, Ready, (ns, svc, addresses: Keep(addresses)),
        static x => $"Service {x.ns}/{x.svc} has hand-made endpoints ({Join(x.addresses)}) that name no pod: the API-server proxy answers 503 for them.",
        static _ => "Reach it another way (ClusterIP, NodePort), or give each endpoint a targetRef to a Pod with that IP.");

    internal static Diagnosis LoadBalancerPending(string ns, string svc) => New("KE1003", Warning, Pending, (ns, svc),
        static x => $"Service {x.ns}/{x.svc} is type LoadBalancer but status.loadBalancer has no ingress address: no load-balancer controller has provisioned it (yet).",
        static _ => "Wait, or check that a load-balancer controller (cloud provider, MetalLB) runs; meanwhile use its NodePort routes.");

    internal static Diagnosis ExternalNameTarget(string ns, string svc, string target) => New("KE1004", Info, Unknown, (ns, svc, target),
        static x => $"Service {x.ns}/{x.svc} is a DNS alias (CNAME) for {x.target}; whether {x.target} answers is outside what the Kubernetes API knows.",
        static x => $"Test {x.target} from a pod; note that HTTP clients send Host: {x.svc}.{x.ns}..., which the target may reject.");

    internal static Diagnosis SessionAffinity(string ns, string svc, int? seconds) => New("KE1005", Info, Ready, (ns, svc, seconds),
        static x => $"Service {x.ns}/{x.svc} has sessionAffinity ClientIP (timeout {x.seconds ?? 10800}s): each client keeps reaching the same pod, so a bad pod stays bad for its clients.",
        static _ => "Test from more than one client address, or set sessionAffinity: None.");

    internal static Diagnosis PublishNotReady(string ns, string svc, IEnumerable<string> pods) => New("KE1006", Warning, Degraded, (ns, svc, pods: Keep(pods)),
        static x => $"Service {x.ns}/{x.svc} sets publishNotReadyAddresses, so its endpoints include pods that are not ready: {Join(x.pods)}.",
        static _ => "Expected for StatefulSet peer discovery; otherwise remove publishNotReadyAddresses.");

    /// <summary>
    /// KE1007; the first <paramref name="olderCount"/> names of <paramref name="podsByAge"/> (a namespace's pods, oldest
    /// first) are the pods older than the Service; the message names at most eight.
    /// </summary>
    internal static Diagnosis EnvVarCaveat(string ns, string svc, IReadOnlyList<string> podsByAge, int olderCount) => New("KE1007", Info, Ready, (ns, svc, podsByAge, olderCount),
        static x => x.olderCount == 0
            ? $"The variables exist only in pods of namespace {x.ns} created after Service {x.ns}/{x.svc} (and with enableServiceLinks not false)."
            : $"The variables exist only in pods of namespace {x.ns} created after Service {x.ns}/{x.svc}; {x.olderCount} pod(s) are older and lack them: {Join(x.podsByAge.Take(x.olderCount), x.olderCount)}.",
        static _ => "Prefer the DNS name; restart older pods if they rely on the variables.");

    internal static Diagnosis ShortDnsName(string ns, string name) => New("KE1008", Info, Ready, (ns, name),
        static x => $"{x.name} resolves only through the pod's DNS search path{(x.name.Contains('.') ? string.Empty : $" and only from pods in namespace {x.ns}")}.",
        static _ => "Use the fully qualified name from other namespaces and from clients with their own resolv.conf.");

    internal static Diagnosis ExternalIpNotNodeAddress(string ns, string svc, string ip) => New("KE1009", Warning, Unknown, (ns, svc, ip),
        static x => $"externalIP {x.ip} of Service {x.ns}/{x.svc} is not an address of any node: Kubernetes neither assigns nor routes it, so whether traffic to it reaches a node is outside what the API knows.",
        static x => $"Make sure the network routes {x.ip} to a node, or use a LoadBalancer Service.");

    /// <summary>KE1010: the endpoint's DNS name is <paramref name="label"/>.<paramref name="serviceDnsName"/> (joined only when read).</summary>
    internal static Diagnosis HeadlessPodName(string label, string serviceDnsName) => New("KE1010", Info, Ready, (label, serviceDnsName),
        static x => $"DNS name of this endpoint: {x.label}.{x.serviceDnsName}.",
        static _ => null);

    internal static Diagnosis SelectorMatchesNoPods(string ns, string svc, string selector) => New("KE2001", Error, Broken, (ns, svc, selector),
        static x => $"Selector {x.selector} of Service {x.ns}/{x.svc} matches no pods in namespace {x.ns}.",
        static x => $"Compare with the pods' labels (kubectl get pods -n {x.ns} --show-labels) and fix the selector or the pod template.");

    internal static Diagnosis NamedPortMissingSome(string ns, string svc, string port, IEnumerable<string> pods) => New("KE2002", Warning, Degraded, (ns, svc, port, pods: Keep(pods)),
        static x => $"targetPort '{x.port}' of Service {x.ns}/{x.svc} is not a named port of these selected pods, which get no traffic on it: {Join(x.pods)}.",
        static x => $"Name the container port '{x.port}' in every pod template the selector matches (containers or native sidecars).");

    internal static Diagnosis NamedPortMissingAll(string ns, string svc, string port, IEnumerable<string> pods) => New("KE2003", Error, Broken, (ns, svc, port, pods: Keep(pods)),
        static x => $"targetPort '{x.port}' of Service {x.ns}/{x.svc} is not a named port of any selected pod ({Join(x.pods)}): the port has no endpoints.",
        static x => $"Name a container port '{x.port}' (ports[].name) in the pod template, or set targetPort to the number the container listens on.");

    internal static Diagnosis NumericPortUndeclared(string ns, string svc, int port, IEnumerable<string> declared, IEnumerable<string> pods) => New("KE2004", Warning, Unknown,
        (ns, svc, port, declared: Keep(declared), pods: Keep(pods)),
        static x => $"targetPort {x.port} of Service {x.ns}/{x.svc} is not declared by selected pods {Join(x.pods)}, which declare {Join(x.declared)}; undeclared ports can work, but the API cannot prove anything listens on {x.port}.",
        static x => $"Check the targetPort (the pods declare {Join(x.declared)}), or declare containerPort {x.port} in the pod template.");

    internal static Diagnosis NoPortsDeclared(string ns, string svc, int port) => New("KE2005", Info, Unknown, (ns, svc, port),
        static x => $"The pods selected by Service {x.ns}/{x.svc} declare no container ports, so the API cannot prove anything listens on targetPort {x.port}.",
        static x => $"Declare containerPort {x.port} in the pod template, then the model can verify it; or run Test-Endpoint on the route.");

    internal static Diagnosis ProtocolMismatch(string ns, string svc, string port, string serviceProtocol, string containerProtocol, IEnumerable<string> pods) => New("KE2006", Error, Broken,
        (ns, svc, port, serviceProtocol, containerProtocol, pods: Keep(pods)),
        static x => $"Service {x.ns}/{x.svc} port {x.port} is {x.serviceProtocol} but the container port is {x.containerProtocol} on {Join(x.pods)}.",
        static _ => "Make the Service port protocol and the container port protocol the same.");

    internal static Diagnosis NoPodReady(string ns, string svc, IEnumerable<string> pods) => New("KE2007", Error, Broken, (ns, svc, pods: Keep(pods)),
        static x => $"None of the pods selected by Service {x.ns}/{x.svc} is ready: {Join(x.pods)}.",
        static x => $"See why: kubectl describe pod -n {x.ns} (readiness probe, crash loop, image pull).");

    internal static Diagnosis SomePodsNotReady(string ns, string svc, IEnumerable<string> pods) => New("KE2008", Warning, Degraded, (ns, svc, pods: Keep(pods)),
        static x => $"Some pods selected by Service {x.ns}/{x.svc} are not ready and get no traffic: {Join(x.pods)}.",
        static x => $"See why: kubectl describe pod -n {x.ns} NAME.");

    internal static Diagnosis NoReadyEndpoints(string ns, string svc, string port) => New("KE2009", Error, Broken, (ns, svc, port),
        static x => $"Service {x.ns}/{x.svc} port {x.port} has no ready endpoints.",
        static x => $"Check kubectl get endpointslices -n {x.ns} -l kubernetes.io/service-name={x.svc}.");

    internal static Diagnosis EndpointNotReady(string ns, string pod) => New("KE2010", Error, Broken, (ns, pod),
        static x => $"Pod {x.ns}/{x.pod} is not ready: its address answers only if the client ignores readiness.",
        static x => $"kubectl describe pod {x.pod} -n {x.ns}");

    internal static Diagnosis IngressBackendMissing(string ns, string ingress, string svc) => New("KE3001", Error, Broken, (ns, ingress, svc),
        static x => $"Ingress {x.ns}/{x.ingress} sends traffic to Service {x.ns}/{x.svc}, which does not exist.",
        static x => $"Create Service {x.svc} in namespace {x.ns} or fix the backend in the Ingress.");

    internal static Diagnosis IngressPortMissing(string ns, string ingress, string svc, string port, IEnumerable<string> ports) => New("KE3002", Error, Broken,
        (ns, ingress, svc, port, ports: Keep(ports)),
        static x => $"Ingress {x.ns}/{x.ingress} uses port {x.port} of Service {x.ns}/{x.svc}, which has ports {Join(x.ports)}.",
        static _ => "Use one of the Service's port names or numbers in the Ingress backend.");

    internal static Diagnosis IngressClassMissing(string ns, string ingress, string className, IEnumerable<string> classes) => New("KE3003", Error, Broken,
        (ns, ingress, className, classes: Keep(classes)),
        static x => $"Ingress {x.ns}/{x.ingress} names IngressClass {x.className}, which does not exist (classes: {Join(x.classes)}); no controller serves it.",
        static _ => "Set spec.ingressClassName to an existing class.");

    internal static Diagnosis IngressNoClass(string ns, string ingress, IEnumerable<string> classes) => New("KE3004", Error, Broken, (ns, ingress, classes: Keep(classes)),
        static x => $"Ingress {x.ns}/{x.ingress} names no IngressClass and no class is marked default (classes: {Join(x.classes)}).",
        static _ => "Set spec.ingressClassName, or annotate one class ingressclass.kubernetes.io/is-default-class=true.");

    internal static Diagnosis TlsSecretMissing(string ns, string ingress, string secret) => New("KE3005", Error, Broken, (ns, ingress, secret),
        static x => $"Ingress {x.ns}/{x.ingress} uses TLS Secret {x.ns}/{x.secret}, which does not exist: the controller serves a default certificate clients reject.",
        static x => $"kubectl create secret tls {x.secret} -n {x.ns} --cert=... --key=...");

    internal static Diagnosis TlsSecretWrongType(string ns, string ingress, string secret, string type) => New("KE3006", Error, Broken, (ns, ingress, secret, type),
        static x => $"Ingress {x.ns}/{x.ingress} uses Secret {x.ns}/{x.secret} for TLS, but its type is {x.type}, not kubernetes.io/tls.",
        static x => $"Recreate it with kubectl create secret tls {x.secret} -n {x.ns} --cert=... --key=...");

    internal static Diagnosis IngressNoAddress(string ns, string ingress) => New("KE3007", Warning, Pending, (ns, ingress),
        static x => $"Ingress {x.ns}/{x.ingress} has no address in status.loadBalancer: no controller has admitted it (yet).",
        static _ => "Check that the ingress controller for its class runs and watches this namespace.");

    internal static Diagnosis IngressUncheckable(string ns, string ingress, string reason) => New("KE3008", Warning, Unknown, (ns, ingress, reason),
        static x => $"Ingress {x.ns}/{x.ingress} cannot be fully checked: {x.reason}",
        static _ => "Ask for RBAC that grants 'list' on the resource named, or check the Ingress by connecting (Test-Endpoint).");

    internal static Diagnosis NodeNoExternalIp(string node) => New("KE4001", Warning, Unknown, node,
        static node => $"Node {node} has no ExternalIP: whether clients outside the cluster network reach its InternalIP is outside what the API knows.",
        static _ => "Use a LoadBalancer or an Ingress for outside clients, or test this address from outside (Test-Endpoint).");

    internal static Diagnosis LocalPolicyNoLocalPod(string ns, string svc, string node) => New("KE4002", Error, Broken, (ns, svc, node),
        static x => $"Service {x.ns}/{x.svc} has externalTrafficPolicy Local and node {x.node} runs no ready pod of it: the node drops the traffic.",
        static _ => "Use the nodes that run a ready pod, spread the pods (DaemonSet, topology spread), or set externalTrafficPolicy Cluster.");

    internal static Diagnosis NodeNotReady(string node) => New("KE4003", Warning, Unknown, node,
        static node => $"Node {node} is not Ready: whether it forwards traffic is unknown.",
        static node => $"kubectl describe node {node}");

    internal static Diagnosis HostPortPodNotRunning(string ns, string pod, string phase) => New("KE4004", Error, Broken, (ns, pod, phase),
        static x => $"Pod {x.ns}/{x.pod} declares the hostPort but is {x.phase}, not Running: nothing listens on the node.",
        static x => $"kubectl describe pod {x.pod} -n {x.ns} (a hostPort already taken on the node keeps pods Pending).");

    internal static Diagnosis NodesUnreadable(string reason) => New("KE4005", Warning, Unknown, reason,
        static reason => $"Node addresses cannot be read ({reason}), so node routes cannot be listed or judged.",
        static _ => "Ask for RBAC that grants 'list' on 'nodes'.");

    private static Diagnosis New<TState>(string code, FindingSeverity severity, RouteStatus effect, TState state,
        Func<TState, string> message, Func<TState, string?> remedy) =>
        new(new Finding(code, severity, new FindingText<TState>(state, message, remedy)), effect);

    /// <summary>The items as they are now: a lazily formatted message must not see later changes (or re-run a query).</summary>
    private static string[] Keep(IEnumerable<string> items) => items.ToArray();

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
