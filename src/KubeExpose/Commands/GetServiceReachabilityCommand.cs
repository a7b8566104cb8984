using System.Management.Automation;
using KubeExpose.Completers;
using KubeExpose.Core;
using KubeExpose.Core.Cluster;
using KubeExpose.Core.Model;

namespace KubeExpose.Commands;

/// <summary>
/// Lists every route to a Service from every vantage point, with a status and the reasons a route is broken.
/// </summary>
/// <remarks>
/// Get-ServiceReachability reads the cluster once (one paged LIST per kind, namespace-scoped unless -AllNamespaces;
/// never a call per Service) and works out every way a client can reach each port of the named Services: ClusterIP,
/// DNS names (full and short forms) and SRV records, environment variables, NodePort on every node address,
/// LoadBalancer addresses, externalIPs, Ingress URLs, hostPort and hostNetwork pods, per-pod headless addresses,
/// ExternalName and the API-server proxy path.
///
/// Each route has a Vantage (Pod: inside the cluster network; Node: on a node; External: outside, reaching node and
/// load-balancer addresses only; Operator: through the API server), a Status (Ready, Degraded, Broken, Pending,
/// Unknown) and Findings with stable codes, messages that name the objects, and remedies. A route is never Ready
/// where the API cannot prove it: a numeric targetPort the pods do not declare, a node without an ExternalIP, an
/// externalIP that is no node's address and an ExternalName target are Unknown.
///
/// Endpoints are read from discovery.k8s.io/v1 EndpointSlices, else v1beta1 (Kubernetes 1.20 and older), else v1
/// Endpoints; the verdicts are the same from each.
///
/// Ingress routes: Address is the Ingress status address to connect to, Port 80 or 443 (443 when spec.tls covers
/// the host), and Url carries the rule's host, so a client connects to Address:Port and sends the Url's host as Host.
/// The API-server proxy route's Address and Url are the path relative to the API server.
///
/// Finding codes: KE1xxx Service (KE1001 no selector and no endpoints, KE1002 hand-made endpoints without pods,
/// KE1003 LoadBalancer pending, KE1004 ExternalName target, KE1005 session affinity, KE1006 publishNotReadyAddresses,
/// KE1007 env vars only in newer pods, KE1008 short DNS name, KE1009 externalIP not a node address, KE1010 per-pod
/// DNS name); KE2xxx endpoints and pods (KE2001 selector matches no pods, KE2002/KE2003 named targetPort missing on
/// some/all pods, KE2004 numeric targetPort undeclared, KE2005 pods declare no ports, KE2006 protocol mismatch,
/// KE2007 no pod ready, KE2008 some pods not ready, KE2009 no ready endpoints, KE2010 this pod not ready); KE3xxx
/// Ingress (KE3001 backend Service missing, KE3002 port not on Service, KE3003 IngressClass missing, KE3004 no class
/// and no default, KE3005 TLS Secret missing, KE3006 TLS Secret wrong type, KE3007 no address in status, KE3008 class or
/// TLS Secret unreadable); KE4xxx
/// nodes and hosts (KE4001 node has no ExternalIP, KE4002 externalTrafficPolicy Local without a local ready pod,
/// KE4003 node not Ready, KE4004 hostPort on a pod that is not running, KE4005 nodes cannot be read).
///
/// A Service name that does not exist produces a non-terminating ObjectNotFound error naming it; a forbidden read
/// produces a PermissionDenied error naming the verb and resource (nodes, Ingresses and Secrets are optional: without
/// them a warning is written and the routes that need them are Unknown).
/// </remarks>
/// <example>
/// <code>Get-ServiceReachability web</code>
/// <para>Shows every route to the Service "web" in the current namespace, one row per route: Service, port, vantage, kind, address or URL, status and the first finding.</para>
/// </example>
/// <example>
/// <code>Get-ServiceReachability web -Status Broken,Degraded | Format-List</code>
/// <para>Diagnoses a broken Service: only the routes that do not work, with every finding and its remedy. For a Service whose targetPort is named 'http' while the pods name their port 'web', every route shows Broken with KE2003 "targetPort 'http' of Service shop/web is not a named port of any selected pod (web-7d9c-abcde): the port has no endpoints." and the remedy to name the container port or use the number.</para>
/// </example>
/// <example>
/// <code>Get-ServiceReachability -AllNamespaces -Vantage External</code>
/// <para>Lists how every Service in the cluster can be reached from outside.</para>
/// </example>
/// <example>
/// <code>Get-ServiceReachability web -Vantage Operator | Select-Object -ExpandProperty Url</code>
/// <para>Prints the API-server proxy path of each port, for example /api/v1/namespaces/default/services/web:http/proxy/.</para>
/// </example>
[Cmdlet(VerbsCommon.Get, "ServiceReachability", DefaultParameterSetName = NamedSet)]
[OutputType(typeof(Route))]
public sealed class GetServiceReachabilityCommand : KubeCmdlet
{
    private const string NamedSet = "Named";
    private const string AllNamespacesSet = "AllNamespaces";

    // Requests are gathered over the pipeline and answered in EndProcessing: one snapshot per namespace, not one per object.
    private readonly Dictionary<string, HashSet<string>?> _requests = new(StringComparer.Ordinal);
    private bool _allNamespacesRequested;
    private HashSet<string>? _allNamespacesNames;

    /// <summary>The Service name(s). Accepts Service objects and Publish-Workload results from the pipeline (by property name).</summary>
    [Parameter(Mandatory = true, Position = 0, ValueFromPipelineByPropertyName = true, ParameterSetName = NamedSet)]
    [Parameter(Position = 0, ValueFromPipelineByPropertyName = true, ParameterSetName = AllNamespacesSet)]
    [Alias("Service", "ServiceName")]
    [ValidateNotNullOrEmpty]
    [ArgumentCompleter(typeof(ServiceCompleter))]
    public string[] Name { get; set; } = [];

    /// <summary>Look at Services in every namespace.</summary>
    [Parameter(Mandatory = true, ParameterSetName = AllNamespacesSet)]
    [Alias("A")]
    public SwitchParameter AllNamespaces { get; set; }

    /// <summary>Only routes usable from these vantage points: Pod, Node, External, Operator.</summary>
    [Parameter]
    public Vantage[]? Vantage { get; set; }

    /// <summary>Only routes with these statuses: Ready, Degraded, Broken, Pending, Unknown.</summary>
    [Parameter]
    public RouteStatus[]? Status { get; set; }

    protected override void ProcessRecord()
    {
        if (AllNamespaces)
        {
            _allNamespacesRequested = true;
            if (Name.Length > 0)
            {
                (_allNamespacesNames ??= new HashSet<string>(StringComparer.Ordinal)).UnionWith(Name);
            }

            return;
        }

        var ns = Namespace ?? Session.Namespace;
        if (!_requests.TryGetValue(ns, out var names))
        {
            _requests[ns] = names = new HashSet<string>(StringComparer.Ordinal);
        }

        names!.UnionWith(Name);
    }

    protected override void EndProcessing()
    {
        if (_allNamespacesRequested)
        {
            Answer(null, _allNamespacesNames);
        }

        foreach (var (ns, names) in _requests)
        {
            Answer(ns, names);
        }
    }

    private void Answer(string? ns, HashSet<string>? names)
    {
        ReachabilityReport report;
        try
        {
            report = Await((ct, progress) => ClusterReachability.GetReportAsync(Session, ns, names, progress, ct),
                $"Reading routes {(ns is null ? "in all namespaces" : $"in namespace {ns}")}");
        }
        catch (KubeExposeException e)
        {
            WriteCoreError(e, ns);
            return;
        }

        foreach (var reason in report.Unreadable)
        {
            WriteWarning(reason);
        }

        foreach (var unknown in report.UnknownServices)
        {
            var where = ns is null ? "in any namespace" : $"in namespace {ns}";
            WriteCoreError(new KubeExposeException(KubeExposeErrorKind.NotFound, "ServiceNotFound",
                $"Service '{unknown}' was not found {where}. List them with: kubectl get services {(ns is null ? "-A" : $"-n {ns}")}.",
                ns is null ? $"service/{unknown}" : $"service/{unknown} in namespace {ns}"), unknown);
        }

        foreach (var route in report.Routes)
        {
            if ((Vantage is null || Vantage.Contains(route.Vantage)) && (Status is null || Status.Contains(route.Status)))
            {
                WriteObject(route);
            }
        }
    }
}
