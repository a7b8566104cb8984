namespace KubeExpose.Plugin.Cli;

/// <summary>The flags of each subcommand, and the words that name the subcommands.</summary>
public static class CommandCatalog
{
    public static readonly IReadOnlyList<FlagSpec> Global =
    [
        FlagSpec.Value("namespace", "NS", "The namespace. Defaults to the kubeconfig context's namespace, else \"default\".", 'n'),
        FlagSpec.Value("context", "NAME", "The kubeconfig context to use."),
        FlagSpec.Value("kubeconfig", "PATH", "The kubeconfig file. Defaults to $KUBECONFIG, then ~/.kube/config."),
        FlagSpec.Bool("help", "Help for kubectl expose2 (or the subcommand).", 'h'),
        FlagSpec.Bool("version", "Print the plugin's version."),
    ];

    private static readonly FlagSpec AllNamespaces = FlagSpec.Bool("all-namespaces", "Look in every namespace.", 'A');
    private static readonly FlagSpec NoHeaders = FlagSpec.Bool("no-headers", "Print tables without the header line.");

    private static FlagSpec Output(string formats) => FlagSpec.Value("output", formats, $"Output format: {formats.Replace("|", ", ", StringComparison.Ordinal)}.", 'o');

    public static readonly IReadOnlyList<FlagSpec> Expose =
    [
        FlagSpec.List("port", "PORT", "The Service port(s). Defaults to every port the workload's containers declare."),
        FlagSpec.List("target-port", "PORT", "The target port(s), by name or number, one per --port (or one for all)."),
        FlagSpec.List("container-port", "PORT", "Synonym for --target-port."),
        FlagSpec.Value("type", "TYPE", "ClusterIP (default), NodePort, LoadBalancer, ExternalName (or Headless)."),
        FlagSpec.Value("name", "NAME", "The name of the Service (and Ingress). Defaults to the workload's name."),
        FlagSpec.List("protocol", "PROTO", "TCP, UDP or SCTP, one per --port (or one for all)."),
        FlagSpec.List("external-ip", "IP", "External IP(s) the Service answers on (repeatable)."),
        FlagSpec.Value("session-affinity", "None|ClientIP", "Send each client to the same pod with ClientIP."),
        FlagSpec.Value("session-affinity-timeout", "SECONDS", "How long ClientIP affinity lasts."),
        FlagSpec.Value("cluster-ip", "None", "Only \"None\": a headless Service."),
        FlagSpec.Value("labels", "K=V,...", "Labels for the Service. Defaults to the workload's labels.", 'l'),
        FlagSpec.List("annotation", "K=V", "Annotations for the Service (repeatable)."),
        FlagSpec.Value("external-name", "DNS", "The DNS name of an ExternalName Service."),
        FlagSpec.Value("load-balancer-class", "CLASS", "spec.loadBalancerClass."),
        FlagSpec.List("load-balancer-source-ranges", "CIDR", "Client CIDRs allowed through the load balancer."),
        FlagSpec.Value("external-traffic-policy", "Cluster|Local", "Local keeps the client IP; only nodes with a ready pod answer."),
        FlagSpec.Bool("external", "Reach it from outside the way this cluster supports (LoadBalancer, else Ingress, else NodePort)."),
        FlagSpec.List("node-port", "PORT", "The node port(s), one per --port."),
        FlagSpec.Bool("ingress", "Also create an Ingress for the Service."),
        FlagSpec.List("ingress-host", "HOST", "Host name(s) of the Ingress rule (with --ingress)."),
        FlagSpec.Value("ingress-path", "PATH", "The Ingress rule's path. Defaults to /."),
        FlagSpec.Value("path-type", "TYPE", "Prefix (default), Exact or ImplementationSpecific."),
        FlagSpec.Value("ingress-class", "CLASS", "The IngressClass. Defaults to the cluster's default class."),
        FlagSpec.Value("tls-secret", "NAME", "A kubernetes.io/tls Secret that terminates TLS for the Ingress hosts."),
        FlagSpec.Bool("host-port", "Also publish the ports on each pod's node (patches the pod template)."),
        FlagSpec.Bool("force", "Take over fields another field manager owns."),
        new FlagSpec("dry-run", null, FlagKind.OptionalValue, "none|client|server", "client: print what would be sent; server: have the API server validate it.", "client"),
        FlagSpec.Bool("wait", "Wait until the routes are Ready."),
        FlagSpec.Value("timeout", "DURATION", "How long --wait and --verify wait (30s, 2m). Defaults to 120s."),
        FlagSpec.Bool("verify", "Probe each route this machine can reach (implies --wait)."),
        Output("yaml|json|name|wide"),
        NoHeaders,
    ];

    public static readonly IReadOnlyList<FlagSpec> Reach =
    [
        AllNamespaces,
        FlagSpec.Value("fail-on", "broken|degraded", "Exit 1 when a route is Broken (or Broken or Degraded)."),
        FlagSpec.List("vantage", "V", "Only routes usable from: Pod, Node, External, Operator."),
        FlagSpec.List("status", "S", "Only routes with status: Ready, Degraded, Broken, Pending, Unknown."),
        Output("wide|json|yaml|name"),
        NoHeaders,
    ];

    public static readonly IReadOnlyList<FlagSpec> Tunnel =
    [
        FlagSpec.List("address", "IP", "Local addresses to listen on. Defaults to 127.0.0.1 (and ::1)."),
    ];

    public static readonly IReadOnlyList<FlagSpec> Proxy =
    [
        FlagSpec.Value("port", "PORT", "The local port. Defaults to 8001; 0 picks a random port.", 'p'),
        FlagSpec.List("address", "IP", "Local addresses to listen on. Defaults to 127.0.0.1."),
        FlagSpec.Value("accept-hosts", "REGEX", "Host header values to accept."),
        FlagSpec.Value("accept-paths", "REGEX", "Paths to accept."),
        FlagSpec.Value("reject-paths", "REGEX", "Paths to reject, even if accepted."),
        FlagSpec.Value("reject-methods", "REGEX", "HTTP methods to reject."),
        FlagSpec.Value("api-prefix", "PREFIX", "The prefix to serve the API under. Defaults to /."),
        FlagSpec.Bool("allow-remote-access", "Allow a non-loopback --address (anyone who reaches it uses your credentials)."),
        FlagSpec.Value("service", "svc/NAME[:PORT]", "Print the API-server proxy URL of this Service port."),
    ];

    public static readonly IReadOnlyList<FlagSpec> Test =
    [
        FlagSpec.Value("method", "METHOD", "The HTTP method. Defaults to GET.", 'X'),
        FlagSpec.List("header", "'NAME: VALUE'", "An extra HTTP request header (repeatable).", 'H'),
        FlagSpec.Value("host-header", "HOST", "The Host header to send (to test an Ingress rule by address)."),
        FlagSpec.List("expect-status", "CODE", "HTTP status codes that count as success. Defaults to 200-399."),
        FlagSpec.Value("expect-content", "REGEX", "A regular expression the response must match."),
        FlagSpec.Bool("insecure-skip-tls-verify", "Accept any server certificate.", 'k'),
        FlagSpec.Value("send", "TEXT", "Text to send after a TCP connect."),
        FlagSpec.Value("retries", "N", "Retries of a failed probe. Defaults to 0."),
        FlagSpec.Value("retry-interval", "DURATION", "Time between retries. Defaults to 1s."),
        FlagSpec.Value("timeout", "DURATION", "Time one attempt may take. Defaults to 10s."),
        FlagSpec.Value("count", "N", "Probe each target N times and report latencies."),
        FlagSpec.Value("through", "direct|apiserver", "apiserver: probe Service routes through the API-server proxy."),
        FlagSpec.Value("parallel", "N", "How many targets to probe at once. Defaults to 8."),
        FlagSpec.Bool("quiet", "Print nothing; the exit code says whether every target succeeded.", 'q'),
        Output("wide|json|yaml|name"),
        NoHeaders,
    ];

    /// <summary>The words that select a subcommand; anything else in the first position is a workload to expose.</summary>
    public static readonly IReadOnlyDictionary<string, Subcommand> Words = new Dictionary<string, Subcommand>(StringComparer.Ordinal)
    {
        ["reach"] = Subcommand.Reach,
        ["tunnel"] = Subcommand.Tunnel,
        ["proxy"] = Subcommand.Proxy,
        ["test"] = Subcommand.Test,
    };

    public static IReadOnlyList<FlagSpec> FlagsOf(Subcommand subcommand) => subcommand switch
    {
        Subcommand.Expose => Expose,
        Subcommand.Reach => Reach,
        Subcommand.Tunnel => Tunnel,
        Subcommand.Proxy => Proxy,
        _ => Test,
    };

    /// <summary>Every flag a subcommand accepts: its own and the global ones.</summary>
    public static IReadOnlyList<FlagSpec> AllFlagsOf(Subcommand subcommand) => [.. FlagsOf(subcommand), .. Global];

    public static string NameOf(Subcommand subcommand) =>
        subcommand == Subcommand.Expose ? "kubectl expose2" : "kubectl expose2 " + subcommand.ToString().ToLowerInvariant();
}
