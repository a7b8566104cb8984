using System.Collections;
using System.Management.Automation;
using KubeExpose.Completers;
using KubeExpose.Core;
using KubeExpose.Core.Cluster;
using KubeExpose.Core.Exposure;
using KubeExpose.Core.Model;
using KubeExpose.Core.Probing;

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
///
/// The result (KubeExpose.Exposure) has Workload, Namespace, Service, Ingress, Type, Method, Reason, Applied (false for
/// -DryRun), DryRun, Changes (Created, Updated or Unchanged per object; WouldCreate/WouldUpdate in a server dry run),
/// Created, Changed, Unchanged, Yaml, Routes, Verification and Warnings. It can be piped to Test-Endpoint, which probes
/// its Routes. Running the same command twice reports Unchanged and writes nothing (the
/// resourceVersion stays the same). A field owned by another field manager (for example set by kubectl expose) is a
/// FieldManagerConflict error unless -Force. Errors are raised before anything is sent where possible: unknown workload,
/// invalid Service name (DNS-1035), port or node port out of range, node port already taken, UDP with -Ingress, missing or
/// non-TLS Secret, unknown IngressClass; a 403 names the verbs and resource and the kubectl create role that fixes it.
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
/// <example>
/// <code>Expose-Workload deploy/web -Type NodePort -NodePort 30080 -Wait -Verify</code>
/// <para>Exposes "web" on node port 30080 (checked against the node port range and the ports in use), waits until its routes are Ready, then probes the node port from this machine and the Service through the API server's proxy with Test-Endpoint's engine; Verification holds the outcome of each.</para>
/// </example>
/// <example>
/// <code>Expose-Workload deploy/web -Type NodePort -Wait | Test-Endpoint -RetryCount 3</code>
/// <para>Exposes "web", waits for its routes, and hands the result to Test-Endpoint, which probes the External routes from here and the API-server proxy route with your credentials (Pod and Node routes come back Skipped).</para>
/// </example>
/// <example>
/// <code>Expose-Workload deploy/web -Port 18080 -TargetPort 80 -HostPort -Force</code>
/// <para>Adds hostPort 18080 to the container that declares port 80 (this rolls the pods) and warns about the caveats: the node IP changes when a pod moves, and two pods cannot share the port on one node.</para>
/// </example>
/// <example>
/// <code>kubectl get deploy -o json | ConvertFrom-Json | ForEach-Object items | Expose-Workload -WhatIf</code>
/// <para>Shows which Services would be written for every Deployment in the namespace, without writing them.</para>
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

    /// <summary>How long -Wait waits for the routes, in seconds (defaults to 120); -Verify then probes for at most this long, capped at 30. Alias: -TimeoutSeconds.</summary>
    [Parameter]
    [Alias("TimeoutSeconds")]
    [ValidateRange(1, 3600)]
    public int TimeoutSec { get; set; } = 120;

    /// <summary>After exposing, probe the External routes from this machine and the Operator route through the API server (Test-Endpoint's engine), and report each in Verification; a failure is also a non-terminating error. Implies -Wait.</summary>
    [Parameter]
    public SwitchParameter Verify { get; set; }

    /// <summary>The PowerShell type name of the result, which the views key on.</summary>
    public const string ResultTypeName = "KubeExpose.Exposure";

    protected override void ProcessRecord()
    {
        string target = Target ?? Name ?? "(pipeline object)";
        try
        {
            var request = BuildRequest(out target);
            var plan = Await((ct, progress) => WorkloadExposer.PlanAsync(Session, request, progress, ct), $"Expose-Workload {target}: reading the workload and the cluster");
            foreach (var warning in plan.Warnings)
            {
                WriteWarning(warning);
            }

            ExposureResult result;
            if (DryRun == "Client")
            {
                result = WorkloadExposer.ClientDryRun(plan);
            }
            else if (DryRun == "Server")
            {
                result = Await((ct, progress) => WorkloadExposer.ApplyAsync(Session, plan, serverDryRun: true, Force, progress, ct),
                    $"Expose-Workload {target}: server dry run");
            }
            else
            {
                var objects = string.Join(", ", plan.Objects);
                if (!ShouldProcess($"{objects} in namespace {plan.Namespace}", $"Expose {plan.WorkloadName} ({plan.Method}) with server-side apply"))
                {
                    return;
                }

                if (plan.HostPorts.Count > 0 && !Force && !ShouldContinue(
                    $"-HostPort changes the pod template of {plan.WorkloadName} in namespace {plan.Namespace}, which replaces its running pods. Continue?",
                    "Roll the workload"))
                {
                    return;
                }

                result = Await((ct, progress) => WorkloadExposer.ApplyAsync(Session, plan, serverDryRun: false, Force, progress, ct),
                    $"Expose-Workload {target}: applying");
                result = WithRoutes(result);
            }

            if (AsYaml)
            {
                WriteObject(result.Yaml);
                return;
            }

            var output = new PSObject(result);
            output.TypeNames.Insert(0, ResultTypeName);
            WriteObject(output);
        }
        catch (KubeExposeException e)
        {
            WriteCoreError(e, target);
        }
    }

    private ExposureResult WithRoutes(ExposureResult result)
    {
        IReadOnlyList<Route> routes;
        if (Wait || Verify)
        {
            try
            {
                routes = Await((ct, progress) => WorkloadExposer.WaitForRoutesAsync(Session, result, TimeSpan.FromSeconds(TimeoutSec), progress, ct),
                    $"Waiting for the routes of service/{result.Service}");
            }
            catch (KubeExposeException e) when (e.Kind == KubeExposeErrorKind.Timeout)
            {
                // The objects are written; say what is not ready yet and still return what there is.
                WriteCoreError(e, result.Service);
                routes = Await(ct => WorkloadExposer.GetRoutesAsync(Session, result, null, ct));
            }
        }
        else
        {
            routes = Await(ct => WorkloadExposer.GetRoutesAsync(Session, result, null, ct));
        }

        result = result with { Routes = routes };
        if (Verify)
        {
            var session = Session;
            var probes = Await((ct, progress) => RouteVerifier.VerifyAsync(session, routes, TimeSpan.FromSeconds(Math.Min(TimeoutSec, 30)), progress, ct),
                $"Probing the routes of service/{result.Service}");
            foreach (var probe in probes)
            {
                if (probe.Skipped)
                {
                    WriteVerbose($"-Verify skipped {probe.Route?.Kind} route {probe.Target}: {probe.SkipReason}");
                }
                else if (!probe.Success)
                {
                    WriteError(VerifyFailed(probe, result));
                }
            }

            result = result with { Verification = probes };
        }

        return result;
    }

    /// <summary>A route that did not answer: the objects are written, so this is reported, not thrown.</summary>
    private static ErrorRecord VerifyFailed(EndpointTestResult probe, ExposureResult result)
    {
        var attempts = probe.Attempts > 1 ? $" after {probe.Attempts} attempts" : string.Empty;
        var message = $"-Verify: the {probe.Route?.Kind} route {probe.Target} of service/{result.Service} in namespace {result.Namespace} " +
            $"failed{attempts}: {probe.Error}. See Get-ServiceReachability {result.Service} -Namespace {result.Namespace} for the findings, " +
            $"or probe it again with Test-Endpoint.";
        var category = probe.FailureKind switch
        {
            ProbeFailureKind.Timeout => ErrorCategory.OperationTimeout,
            ProbeFailureKind.Forbidden => ErrorCategory.PermissionDenied,
            ProbeFailureKind.UnexpectedStatus or ProbeFailureKind.UnexpectedContent => ErrorCategory.InvalidResult,
            _ => ErrorCategory.ConnectionError,
        };
        return new ErrorRecord(new KubeExposeException(KubeExposeErrorKind.Connection, "RouteVerificationFailed", message, probe.Target),
            "RouteVerificationFailed", category, probe.Target);
    }

    private ExposureRequest BuildRequest(out string target)
    {
        WorkloadRef workload;
        string? ns = Namespace;
        switch (ParameterSetName)
        {
            case KindNameSet:
                WorkloadRef.TryParseKind(Kind, out var kind);
                workload = new WorkloadRef(kind, Name);
                break;
            case InputObjectSet:
                (workload, var objectNamespace) = FromInputObject(InputObject);
                ns ??= objectNamespace;
                break;
            default:
                workload = WorkloadRef.Parse(Target);
                break;
        }

        target = workload.ToString();
        return new ExposureRequest
        {
            Workload = workload,
            Namespace = ns,
            Type = Type,
            External = External,
            Ports = Port,
            TargetPorts = TargetPort,
            Protocols = Protocol,
            ServiceName = ServiceName,
            NodePorts = NodePort,
            ExternalIPs = ExternalIP,
            ExternalName = ExternalName,
            LoadBalancerClass = LoadBalancerClass,
            LoadBalancerSourceRanges = LoadBalancerSourceRange,
            ExternalTrafficPolicy = ExternalTrafficPolicy,
            SessionAffinity = SessionAffinity,
            SessionAffinityTimeoutSeconds = SessionAffinityTimeoutSeconds,
            Labels = ToDictionary(Label, nameof(Label)),
            Annotations = ToDictionary(Annotation, nameof(Annotation)),
            Ingress = Ingress,
            IngressHosts = IngressHost,
            IngressPath = IngressPath,
            PathType = PathType,
            IngressClass = IngressClass,
            TlsSecret = TlsSecret,
            HostPort = HostPort,
        };
    }

    /// <summary>
    /// Kind, name and namespace from a pipeline object: kubectl's JSON after ConvertFrom-Json (kind, metadata) or a
    /// KubernetesClient object (Kind may be empty on listed items, so the type name V1Deployment is used then).
    /// </summary>
    private static (WorkloadRef, string?) FromInputObject(PSObject input)
    {
        var kind = input.Properties["kind"]?.Value as string;
        var metadata = input.Properties["metadata"]?.Value;
        var meta = metadata is null ? null : PSObject.AsPSObject(metadata);
        var name = meta?.Properties["name"]?.Value as string;
        var ns = meta?.Properties["namespace"]?.Value as string;
        if (string.IsNullOrEmpty(kind))
        {
            var typeName = input.BaseObject.GetType().Name;
            kind = typeName.Length > 2 && typeName[0] == 'V' && char.IsDigit(typeName[1]) ? typeName[2..] : typeName;
        }

        if (string.IsNullOrEmpty(name) || !WorkloadRef.TryParseKind(kind, out var parsed))
        {
            throw new KubeExposeException(KubeExposeErrorKind.InvalidArgument, "UnsupportedInputObject",
                $"The pipeline object (kind '{kind}', name '{name}') is not an exposable workload. Pipe Deployments, StatefulSets, " +
                "DaemonSets, ReplicaSets, ReplicationControllers, Jobs, Pods or Services, e.g. kubectl get deploy web -o json | ConvertFrom-Json.",
                name);
        }

        return (new WorkloadRef(parsed, name), ns);
    }

    private static Dictionary<string, string>? ToDictionary(Hashtable? table, string parameter)
    {
        if (table is null)
        {
            return null;
        }

        var result = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (DictionaryEntry entry in table)
        {
            if (entry.Value is null)
            {
                throw new KubeExposeException(KubeExposeErrorKind.InvalidArgument, "NullLabelValue",
                    $"-{parameter} '{entry.Key}' has no value; give a string (use '' for an empty value).", entry.Key.ToString());
            }

            result[entry.Key.ToString()!] = entry.Value.ToString()!;
        }

        return result;
    }
}
