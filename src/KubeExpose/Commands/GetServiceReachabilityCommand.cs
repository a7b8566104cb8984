using System.Management.Automation;
using KubeExpose.Completers;
using KubeExpose.Core.Model;

namespace KubeExpose.Commands;

/// <summary>
/// Lists every route to a Service from every vantage point, with a status and the reasons a route is broken.
/// </summary>
/// <remarks>
/// Get-ServiceReachability reads the cluster once (one LIST per kind) and works out every way a client can reach each
/// port of the named Services: ClusterIP, DNS A and SRV names, environment variables, NodePort on every node address,
/// LoadBalancer addresses, externalIPs, Ingress URLs, hostPort and hostNetwork pods, per-pod headless names, ExternalName
/// and the API-server proxy path. Each route has a Vantage (Pod, Node, External, Operator), a Status (Ready, Degraded,
/// Broken, Pending, Unknown) and Findings with stable codes, messages that name the objects, and remedies. A route is
/// never Ready where the cluster cannot prove it.
/// </remarks>
/// <example>
/// <code>Get-ServiceReachability web</code>
/// <para>Shows every route to the Service "web" in the current namespace.</para>
/// </example>
/// <example>
/// <code>Get-ServiceReachability web -Status Broken,Degraded | Format-List</code>
/// <para>Diagnoses a broken Service: only the routes that do not work, with every finding and its remedy.</para>
/// </example>
/// <example>
/// <code>Get-ServiceReachability -AllNamespaces -Vantage External</code>
/// <para>Lists how every Service in the cluster can be reached from outside.</para>
/// </example>
[Cmdlet(VerbsCommon.Get, "ServiceReachability", DefaultParameterSetName = NamedSet)]
[OutputType(typeof(Route))]
public sealed class GetServiceReachabilityCommand : KubeCmdlet
{
    private const string NamedSet = "Named";
    private const string AllNamespacesSet = "AllNamespaces";

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

    protected override void ProcessRecord() => throw new NotImplementedException("Get-ServiceReachability lands with its own issue.");
}
