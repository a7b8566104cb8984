using System.Collections;
using System.Management.Automation;
using KubeExpose.Completers;
using KubeExpose.Core.Exposure;

namespace KubeExpose.Commands;

/// <summary>
/// Exposes a workload as a Service (and optionally an Ingress or host ports) in one step, and reports the routes it gives.
/// </summary>
/// <remarks>
/// Expose-Workload (the exported alias of Publish-Workload) exposes any workload: a Deployment, StatefulSet, DaemonSet,
/// ReplicaSet, ReplicationController, Job, Pod or an existing Service. The selector comes from the workload (matchLabels,
/// or pod template labels that satisfy matchExpressions); the ports come from its containers and native sidecars, with
/// their names and protocols. The Service (and Ingress) are written with server-side apply under the field manager
/// "kubeexpose", so running the same command twice changes nothing and a changed command updates. If a later object
/// fails, what this call created is rolled back. -External inspects the cluster and picks what will work from outside:
/// LoadBalancer where the cluster provisions them, else an Ingress for HTTP ports where an IngressClass is usable, else
/// NodePort, and says why. The result carries the routes to the new Service, each with its status.
/// </remarks>
/// <example>
/// <code>Expose-Workload deploy/web -Port 80</code>
/// <para>Creates (or updates) a ClusterIP Service "web" for the Deployment "web" on port 80 and lists its routes.</para>
/// </example>
/// <example>
/// <code>Expose-Workload deploy/web -External -Wait</code>
/// <para>Exposes "web" outside the cluster the way this cluster supports, waits until the routes are Ready, and shows why that way was chosen.</para>
/// </example>
/// <example>
/// <code>Expose-Workload sts/db -Type Headless -DryRun Client -AsYaml</code>
/// <para>Prints the headless Service manifest for the StatefulSet "db" without sending anything to the cluster.</para>
/// </example>
/// <example>
/// <code>Expose-Workload deploy/web -Ingress -IngressHost web.example.test -IngressClass nginx -TlsSecret web-tls</code>
/// <para>Exposes "web" with a ClusterIP Service and an Ingress rule for https://web.example.test/.</para>
/// </example>
[Cmdlet(VerbsData.Publish, "Workload", SupportsShouldProcess = true, DefaultParameterSetName = TargetSet)]
[Alias("Expose-Workload")]
[OutputType(typeof(ExposureResult))]
public sealed class PublishWorkloadCommand : KubeCmdlet
{
    private const string TargetSet = "Target";
    private const string KindNameSet = "KindName";
    private const string InputObjectSet = "InputObject";

    /// <summary>The workload as kubectl writes it: deploy/NAME, sts/NAME, ds/NAME, rs/NAME, rc/NAME, job/NAME, pod/NAME or svc/NAME (long kind names work too).</summary>
    [Parameter(Mandatory = true, Position = 0, ParameterSetName = TargetSet)]
    [ValidateNotNullOrEmpty]
    [ArgumentCompleter(typeof(WorkloadCompleter))]
    public string Target { get; set; } = null!;

    /// <summary>The kind of the workload: Deployment, StatefulSet, DaemonSet, ReplicaSet, ReplicationController, Job, Pod or Service.</summary>
    [Parameter(Mandatory = true, ParameterSetName = KindNameSet)]
    [ValidateSet("Deployment", "StatefulSet", "DaemonSet", "ReplicaSet", "ReplicationController", "Job", "Pod", "Service")]
    public string Kind { get; set; } = null!;

    /// <summary>The name of the workload.</summary>
    [Parameter(Mandatory = true, Position = 0, ParameterSetName = KindNameSet)]
    [ValidateNotNullOrEmpty]
    public string Name { get; set; } = null!;

    /// <summary>A workload object from the pipeline: a KubernetesClient object, or kubectl's JSON output after ConvertFrom-Json.</summary>
    [Parameter(Mandatory = true, ValueFromPipeline = true, ParameterSetName = InputObjectSet)]
    public PSObject InputObject { get; set; } = null!;

    /// <summary>The Service type: ClusterIP (default), NodePort, LoadBalancer, Headless (clusterIP None) or ExternalName.</summary>
    [Parameter]
    [ValidateSet("ClusterIP", "NodePort", "LoadBalancer", "Headless", "ExternalName")]
    public string? Type { get; set; }

    /// <summary>Reach the workload from outside the cluster the way this cluster supports (LoadBalancer, else Ingress for HTTP ports, else NodePort); the result says why.</summary>
    [Parameter]
    public SwitchParameter External { get; set; }

    /// <summary>The Service port(s). Defaults to every port the workload's containers and native sidecars declare.</summary>
    [Parameter]
    [ValidateRange(1, 65535)]
    public int[]? Port { get; set; }

    /// <summary>The target port(s), by name or number, one per -Port (or one for all). Defaults to the container port.</summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    public string[]? TargetPort { get; set; }

    /// <summary>The protocol(s), one per -Port (or one for all): TCP, UDP or SCTP. Defaults to the container port's protocol.</summary>
    [Parameter]
    [ValidateSet("TCP", "UDP", "SCTP")]
    public string[]? Protocol { get; set; }

    /// <summary>The name of the Service (and Ingress). Defaults to the workload's name; must be a DNS-1035 label.</summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    public string? ServiceName { get; set; }

    /// <summary>The node port(s), one per -Port, within the cluster's node port range (30000-32767 by default).</summary>
    [Parameter]
    [ValidateRange(1, 65535)]
    public int[]? NodePort { get; set; }

    /// <summary>External IPs the Service answers on (spec.externalIPs); several are allowed.</summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    public string[]? ExternalIP { get; set; }

    /// <summary>The DNS name an ExternalName Service points at (CNAME).</summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    public string? ExternalName { get; set; }

    /// <summary>The load balancer implementation to use (spec.loadBalancerClass).</summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    public string? LoadBalancerClass { get; set; }

    /// <summary>Client CIDRs allowed through the load balancer (spec.loadBalancerSourceRanges).</summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    public string[]? LoadBalancerSourceRange { get; set; }

    /// <summary>Cluster (default) or Local: Local keeps the client's source IP but answers only on nodes with a ready pod.</summary>
    [Parameter]
    [ValidateSet("Cluster", "Local")]
    public string? ExternalTrafficPolicy { get; set; }

    /// <summary>None (default) or ClientIP: send each client to the same pod.</summary>
    [Parameter]
    [ValidateSet("None", "ClientIP")]
    public string? SessionAffinity { get; set; }

    /// <summary>How long ClientIP affinity lasts, in seconds (1-86400).</summary>
    [Parameter]
    [ValidateRange(1, 86400)]
    public int? SessionAffinityTimeoutSeconds { get; set; }

    /// <summary>Labels for the Service (and Ingress), as a hashtable. Defaults to the workload's labels.</summary>
    [Parameter]
    public Hashtable? Label { get; set; }

    /// <summary>Annotations for the Service, as a hashtable.</summary>
    [Parameter]
    public Hashtable? Annotation { get; set; }

    /// <summary>Also create an Ingress for the Service.</summary>
    [Parameter]
    public SwitchParameter Ingress { get; set; }

    /// <summary>The host name(s) of the Ingress rule(s). Without it the rule matches every host.</summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    public string[]? IngressHost { get; set; }

    /// <summary>The path of the Ingress rule. Defaults to "/".</summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    public string? IngressPath { get; set; }

    /// <summary>How the Ingress path matches: Prefix (default), Exact or ImplementationSpecific.</summary>
    [Parameter]
    [ValidateSet("Prefix", "Exact", "ImplementationSpecific")]
    public string? PathType { get; set; }

    /// <summary>The IngressClass for the Ingress. Defaults to the cluster's default IngressClass.</summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    public string? IngressClass { get; set; }

    /// <summary>A Secret of type kubernetes.io/tls that terminates TLS for the Ingress hosts; checked to exist.</summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    public string? TlsSecret { get; set; }

    /// <summary>Also publish the ports on each pod's node (hostPort). This patches the pod template and rolls the workload.</summary>
    [Parameter]
    public SwitchParameter HostPort { get; set; }

    /// <summary>Take over fields another field manager owns, and roll the workload for -HostPort without asking.</summary>
    [Parameter]
    public SwitchParameter Force { get; set; }

    /// <summary>Client: build the manifests and send nothing. Server: have the API server validate them without saving.</summary>
    [Parameter]
    [ValidateSet("Client", "Server")]
    public string? DryRun { get; set; }

    /// <summary>Emit the manifests as YAML text instead of the result object.</summary>
    [Parameter]
    public SwitchParameter AsYaml { get; set; }

    /// <summary>Wait until the routes are Ready (LoadBalancer address assigned, endpoints ready), with progress.</summary>
    [Parameter]
    public SwitchParameter Wait { get; set; }

    /// <summary>How long -Wait and -Verify wait, in seconds. Defaults to 120.</summary>
    [Parameter]
    [ValidateRange(1, 3600)]
    public int TimeoutSec { get; set; } = 120;

    /// <summary>After exposing, probe each route this machine can reach and report the outcome (implies -Wait).</summary>
    [Parameter]
    public SwitchParameter Verify { get; set; }

    protected override void ProcessRecord() => throw new NotImplementedException("Publish-Workload lands with its own issue.");
}
