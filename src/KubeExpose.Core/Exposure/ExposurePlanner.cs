using System.Net;
using k8s.Models;

namespace KubeExpose.Core.Exposure;

/// <summary>
/// Turns a workload, a request and the cluster's facts into an <see cref="ExposurePlan"/>. Pure: every check that can
/// be made before sending anything is made here, so a bad request leaves nothing behind in the cluster.
/// </summary>
internal static class ExposurePlanner
{
    private static readonly string[] Types = ["ClusterIP", "NodePort", "LoadBalancer", "Headless", "ExternalName"];

    public static ExposurePlan Plan(Workload workload, ExposureRequest request, ClusterFacts facts)
    {
        var warnings = new List<string>();
        var name = request.ServiceName ?? KubeNames.ServiceNameFor(workload.Name);
        if (KubeNames.Dns1035LabelError(name) is { } nameError)
        {
            throw Invalid("InvalidServiceName",
                $"'{name}' cannot be a Service name: {nameError}. Pass -ServiceName with a valid name (for example " +
                $"{Suggest(name)}).", name);
        }

        if (request.External && request.Type is not null)
        {
            throw Invalid("ExternalWithType", "-External picks the Service type itself; pass either -External or -Type, not both.", name);
        }

        if (request.Type is not null && !Types.Contains(request.Type))
        {
            throw Invalid("InvalidServiceType", $"Unknown -Type '{request.Type}': use one of {string.Join(", ", Types)}.", name);
        }

        var type = request.Type ?? (request.NodePorts is { Count: > 0 } ? "NodePort" : "ClusterIP");
        var isExternalName = type == "ExternalName";
        var isHeadless = type == "Headless";

        IDictionary<string, string>? selector = null;
        if (!isExternalName)
        {
            var (inferred, selectorWarnings) = SelectorInference.Infer(workload);
            selector = inferred;
            warnings.AddRange(selectorWarnings);
        }

        var declared = PortInference.Infer(workload);
        var ports = BuildPorts(workload, request, declared, allowNone: isHeadless || isExternalName, warnings);

        string method;
        string reason;
        string? ingressClass = request.IngressClass;
        var wantIngress = request.Ingress;
        if (request.External)
        {
            var choice = ExternalChoice.Decide(facts, ports.Select(p => ((string?)p.Name, p.Port, p.Protocol ?? "TCP")).ToList(), request.IngressClass);
            method = choice.Method;
            reason = choice.Reason;
            if (choice.Method == "Ingress")
            {
                type = "ClusterIP";
                wantIngress = true;
                ingressClass = choice.IngressClass;
            }
            else
            {
                type = choice.Method;
            }
        }
        else
        {
            method = wantIngress ? "Ingress" : type;
            reason = request.Type is not null ? $"{type}: requested with -Type."
                : request.NodePorts is { Count: > 0 } ? "NodePort: implied by -NodePort."
                : wantIngress ? "Ingress: requested with -Ingress, in front of a ClusterIP Service."
                : "ClusterIP: the default; reachable inside the cluster only (use -External to reach it from outside).";
        }

        var spec = new V1ServiceSpec
        {
            Type = isHeadless ? "ClusterIP" : type,
            Selector = selector,
            Ports = ports.Count > 0 ? ports : null,
        };
        if (isHeadless)
        {
            spec.ClusterIP = "None";
        }

        if (isExternalName)
        {
            if (string.IsNullOrEmpty(request.ExternalName))
            {
                throw Invalid("ExternalNameMissing", "-Type ExternalName needs -ExternalName <dns-name>: the name the Service is a CNAME for.", name);
            }

            if (KubeNames.IngressHostError(request.ExternalName) is { } hostError || request.ExternalName.StartsWith('*'))
            {
                throw Invalid("InvalidExternalName", $"-ExternalName '{request.ExternalName}' is not a DNS name: it must be lower-case DNS labels separated by dots.", name);
            }

            spec.ExternalName = request.ExternalName;
        }
        else if (request.ExternalName is not null)
        {
            throw Invalid("ExternalNameWithoutType", "-ExternalName only applies to -Type ExternalName.", name);
        }

        ApplyNodePorts(request, facts, workload.Namespace, name, spec, ports);
        ApplyOptions(request, name, spec);

        var service = new V1Service
        {
            ApiVersion = "v1",
            Kind = "Service",
            Metadata = new V1ObjectMeta
            {
                Name = name,
                NamespaceProperty = workload.Namespace,
                Labels = Copy(request.Labels) ?? (workload.Labels.Count > 0 ? new Dictionary<string, string>(workload.Labels) : null),
                Annotations = Copy(request.Annotations),
            },
            Spec = spec,
        };

        var ingress = wantIngress ? BuildIngress(request, facts, service, ingressClass, warnings) : null;
        var hostPorts = request.HostPort ? BuildHostPorts(workload, ports, declared, warnings) : [];
        if (type == "LoadBalancer" && request.External && facts.ProvisionedLoadBalancer is null)
        {
            warnings.Add("No LoadBalancer Service in this cluster has an address yet: the new one may stay Pending.");
        }

        return new ExposurePlan(workload, service, ingress, hostPorts, method, reason, warnings);
    }

    private static List<V1ServicePort> BuildPorts(Workload workload, ExposureRequest request, IReadOnlyList<InferredPort> declared,
        bool allowNone, List<string> warnings)
    {
        var target = workload.Describe();
        var count = request.Ports?.Count ?? declared.Count;
        CheckPerPort("-TargetPort", request.TargetPorts?.Count, count);
        CheckPerPort("-Protocol", request.Protocols?.Count, count);
        if (count == 0)
        {
            if (allowNone)
            {
                return [];
            }

            throw new KubeExposeException(KubeExposeErrorKind.InvalidArgument, "NoPortsFound",
                $"{target} declares no container ports (in containers or native sidecars), so there is nothing to expose. " +
                "Pass -Port <number> (and -TargetPort if the container listens on another port).", target);
        }

        var ports = new List<V1ServicePort>();
        for (var i = 0; i < count; i++)
        {
            InferredPort? match;
            int number;
            if (request.Ports is null)
            {
                match = declared[i];
                number = match.Number;
            }
            else
            {
                number = request.Ports[i];
                var protocolWanted = PerPort(request.Protocols, i);
                match = declared.FirstOrDefault(d => d.Number == number && (protocolWanted is null || d.Protocol == protocolWanted))
                    ?? (declared.Count == count ? declared[i] : null);
            }

            if (number is < 1 or > 65535)
            {
                throw Invalid("PortOutOfRange", $"Port {number} is out of range: a Service port is 1-65535.", target);
            }

            var protocol = PerPort(request.Protocols, i) ?? match?.Protocol ?? "TCP";
            if (protocol is not ("TCP" or "UDP" or "SCTP"))
            {
                throw Invalid("InvalidProtocol", $"Protocol '{protocol}' is not TCP, UDP or SCTP.", target);
            }

            var targetText = PerPort(request.TargetPorts, i) ?? match?.TargetPort ?? (match?.Number ?? number).ToString();
            IntOrString targetPort;
            if (int.TryParse(targetText, out var targetNumber))
            {
                if (targetNumber is < 1 or > 65535)
                {
                    throw Invalid("PortOutOfRange", $"Target port {targetNumber} is out of range: a container port is 1-65535.", target);
                }

                targetPort = targetNumber;
                if (workload.PodSpec is not null && declared.Count > 0 && !declared.Any(d => d.Number == targetNumber))
                {
                    warnings.Add($"Target port {targetNumber} is not declared by any container of {target}: the Service works only if the " +
                        "process listens there anyway.");
                }
            }
            else
            {
                if (targetText.Length > 15 || KubeNames.PortNameError(targetText) is not null)
                {
                    throw Invalid("InvalidTargetPort", $"Target port '{targetText}' is neither a number nor a valid port name (a-z, 0-9, '-', up to 15 characters).", target);
                }

                if (workload.PodSpec is not null && !declared.Any(d => d.Name == targetText))
                {
                    throw Invalid("NamedTargetPortNotDeclared",
                        $"Target port '{targetText}' is not the name of a container port of {target} " +
                        $"(named ports: {Names(declared)}). " +
                        "Use a declared name or a number.", target);
                }

                targetPort = targetText;
            }

            ports.Add(new V1ServicePort
            {
                Name = match?.Name,
                Port = number,
                Protocol = protocol,
                TargetPort = targetPort,
            });
        }

        NamePorts(ports, target);
        var duplicate = ports.GroupBy(p => (p.Port, p.Protocol)).FirstOrDefault(g => g.Count() > 1);
        if (duplicate is not null)
        {
            throw Invalid("DuplicatePort", $"Port {duplicate.Key.Port}/{duplicate.Key.Protocol} is listed twice; each Service port must be unique.", target);
        }

        return ports;
    }

    /// <summary>The API requires every port of a multi-port Service to have a unique name; declared names are kept.</summary>
    private static void NamePorts(List<V1ServicePort> ports, string target)
    {
        if (ports.Count > 1)
        {
            var used = new HashSet<string>(ports.Where(p => p.Name is not null).Select(p => p.Name!));
            foreach (var p in ports.Where(p => p.Name is null))
            {
                var candidate = p.Protocol == "TCP" ? $"port-{p.Port}" : $"port-{p.Port}-{p.Protocol!.ToLowerInvariant()}";
                p.Name = used.Add(candidate) ? candidate : $"{candidate}-{used.Count}";
            }

            foreach (var group in ports.GroupBy(p => p.Name).Where(g => g.Count() > 1))
            {
                // The same name on TCP and UDP (dns-style): keep the name unique per Service by suffixing the protocol.
                foreach (var p in group.Skip(1))
                {
                    p.Name = $"{p.Name}-{p.Protocol!.ToLowerInvariant()}";
                }
            }
        }

        foreach (var p in ports.Where(p => p.Name is not null))
        {
            if (KubeNames.PortNameError(p.Name!) is { } error)
            {
                throw Invalid("InvalidPortName", $"Port name '{p.Name}' is not valid: {error}.", target);
            }
        }
    }

    private static void ApplyNodePorts(ExposureRequest request, ClusterFacts facts, string ns, string name, V1ServiceSpec spec, List<V1ServicePort> ports)
    {
        if (request.NodePorts is not { Count: > 0 } nodePorts)
        {
            return;
        }

        if (spec.Type is not ("NodePort" or "LoadBalancer"))
        {
            throw Invalid("NodePortWithoutNodePortType", $"-NodePort needs -Type NodePort or LoadBalancer (the Service would be {spec.Type}).", name);
        }

        if (nodePorts.Count != ports.Count)
        {
            throw Invalid("NodePortCountMismatch",
                $"-NodePort has {nodePorts.Count} value(s) but the Service has {ports.Count} port(s) ({string.Join(", ", ports.Select(p => p.Port))}); give one node port per port.", name);
        }

        for (var i = 0; i < ports.Count; i++)
        {
            var np = nodePorts[i];
            if (np < facts.NodePortMin || np > facts.NodePortMax)
            {
                throw Invalid("NodePortOutOfRange",
                    $"Node port {np} is outside the cluster's node port range {facts.NodePortMin}-{facts.NodePortMax}. Pick a port in that range.", name);
            }

            if (facts.NodePortsInUse.TryGetValue(np, out var holder) && holder != $"{ns}/{name}")
            {
                throw new KubeExposeException(KubeExposeErrorKind.Conflict, "NodePortInUse",
                    $"Node port {np} is already used by service/{holder.Split('/')[1]} in namespace {holder.Split('/')[0]}. Pick another -NodePort.", name);
            }

            ports[i].NodePort = np;
        }
    }

    private static void ApplyOptions(ExposureRequest request, string name, V1ServiceSpec spec)
    {
        var external = spec.Type is "NodePort" or "LoadBalancer";
        if (request.ExternalIPs is { Count: > 0 } ips)
        {
            foreach (var ip in ips)
            {
                if (!IPAddress.TryParse(ip, out _))
                {
                    throw Invalid("InvalidExternalIP", $"-ExternalIP '{ip}' is not an IP address.", name);
                }
            }

            spec.ExternalIPs = ips.ToList();
        }

        if (request.ExternalTrafficPolicy is { } policy)
        {
            if (!external)
            {
                throw Invalid("TrafficPolicyWithoutExternalType", "-ExternalTrafficPolicy applies to NodePort and LoadBalancer Services only.", name);
            }

            spec.ExternalTrafficPolicy = policy;
        }

        if (request.LoadBalancerClass is not null || request.LoadBalancerSourceRanges is { Count: > 0 })
        {
            if (spec.Type != "LoadBalancer")
            {
                throw Invalid("LoadBalancerOptionWithoutType", "-LoadBalancerClass and -LoadBalancerSourceRange apply to LoadBalancer Services only.", name);
            }

            spec.LoadBalancerClass = request.LoadBalancerClass;
            spec.LoadBalancerSourceRanges = request.LoadBalancerSourceRanges?.ToList();
        }

        if (request.SessionAffinity is { } affinity)
        {
            spec.SessionAffinity = affinity;
        }

        if (request.SessionAffinityTimeoutSeconds is { } timeout)
        {
            if (spec.SessionAffinity != "ClientIP")
            {
                throw Invalid("AffinityTimeoutWithoutClientIP", "-SessionAffinityTimeoutSeconds needs -SessionAffinity ClientIP.", name);
            }

            spec.SessionAffinityConfig = new V1SessionAffinityConfig { ClientIP = new V1ClientIPConfig { TimeoutSeconds = timeout } };
        }
    }

    private static V1Ingress BuildIngress(ExposureRequest request, ClusterFacts facts, V1Service service, string? ingressClass, List<string> warnings)
    {
        var name = service.Metadata.Name;
        var ports = service.Spec.Ports ?? [];
        if (ports.Count == 0)
        {
            throw Invalid("IngressWithoutPort", "An Ingress needs a Service port; pass -Port.", name);
        }

        var http = ports.FirstOrDefault(p => ExternalChoice.LooksHttp(p.Name, p.Port, p.Protocol ?? "TCP"))
            ?? ports.FirstOrDefault(p => p.Protocol == "TCP");
        if (http is null)
        {
            throw Invalid("IngressNeedsTcp",
                $"An Ingress carries HTTP over TCP, but every port of service/{name} is {string.Join("/", ports.Select(p => p.Protocol).Distinct())}. " +
                "Drop -Ingress, or use -Type NodePort or LoadBalancer for UDP.", name);
        }

        var path = request.IngressPath ?? "/";
        if (!path.StartsWith('/'))
        {
            throw Invalid("InvalidIngressPath", $"-IngressPath '{path}' must start with '/'.", name);
        }

        var pathType = request.PathType ?? "Prefix";
        if (pathType is not ("Prefix" or "Exact" or "ImplementationSpecific"))
        {
            throw Invalid("InvalidPathType", $"-PathType '{pathType}' must be Prefix, Exact or ImplementationSpecific.", name);
        }

        foreach (var host in request.IngressHosts ?? [])
        {
            if (KubeNames.IngressHostError(host) is { } hostError)
            {
                throw Invalid("InvalidIngressHost", $"-IngressHost '{host}' is not valid: {hostError}.", name);
            }
        }

        if (ingressClass is not null && facts.IngressClassesReadable && facts.IngressClasses.All(c => c.Name != ingressClass))
        {
            throw new KubeExposeException(KubeExposeErrorKind.NotFound, "IngressClassNotFound",
                $"IngressClass '{ingressClass}' does not exist. Known classes: {string.Join(", ", facts.IngressClasses.Select(c => c.Name).DefaultIfEmpty("none"))}.",
                $"ingressclass/{ingressClass}");
        }

        if (ingressClass is null)
        {
            var defaults = facts.IngressClasses.Where(c => c.IsDefault).ToList();
            if (defaults.Count == 0 && facts.IngressClasses.Count == 1)
            {
                ingressClass = facts.IngressClasses[0].Name;
            }
            else if (defaults.Count == 0)
            {
                warnings.Add(facts.IngressClasses.Count == 0
                    ? "There is no IngressClass in this cluster: no controller may serve the Ingress."
                    : $"No IngressClass is the default, so the Ingress may be ignored. Pass -IngressClass ({string.Join(", ", facts.IngressClasses.Select(c => c.Name))}).");
            }
        }

        if (request.TlsSecret is { } secret)
        {
            if (facts.TlsSecretType is null)
            {
                throw new KubeExposeException(KubeExposeErrorKind.NotFound, "TlsSecretNotFound",
                    $"Secret '{secret}' does not exist in namespace {service.Metadata.NamespaceProperty}. Create it first: " +
                    $"kubectl create secret tls {secret} -n {service.Metadata.NamespaceProperty} --cert=tls.crt --key=tls.key",
                    $"secret/{secret} in namespace {service.Metadata.NamespaceProperty}");
            }

            if (facts.TlsSecretType != "kubernetes.io/tls")
            {
                throw Invalid("TlsSecretWrongType",
                    $"Secret '{secret}' is of type {facts.TlsSecretType}, not kubernetes.io/tls, so no controller can use it for TLS. " +
                    "Recreate it with kubectl create secret tls.", $"secret/{secret}");
            }
        }

        var backend = new V1IngressBackend
        {
            Service = new V1IngressServiceBackend
            {
                Name = name,
                Port = http.Name is not null ? new V1ServiceBackendPort { Name = http.Name } : new V1ServiceBackendPort { Number = http.Port },
            },
        };
        var httpRule = new V1HTTPIngressRuleValue { Paths = [new V1HTTPIngressPath { Path = path, PathType = pathType, Backend = backend }] };
        var hosts = request.IngressHosts is { Count: > 0 } h ? h.Select(x => (string?)x).ToList() : [null];
        return new V1Ingress
        {
            ApiVersion = "networking.k8s.io/v1",
            Kind = "Ingress",
            Metadata = new V1ObjectMeta
            {
                Name = name,
                NamespaceProperty = service.Metadata.NamespaceProperty,
                Labels = service.Metadata.Labels is null ? null : new Dictionary<string, string>(service.Metadata.Labels),
            },
            Spec = new V1IngressSpec
            {
                IngressClassName = ingressClass,
                Rules = hosts.Select(host => new V1IngressRule { Host = host, Http = httpRule }).ToList(),
                Tls = request.TlsSecret is null ? null : [new V1IngressTLS { SecretName = request.TlsSecret, Hosts = request.IngressHosts?.ToList() }],
            },
        };
    }

    private static List<HostPortPatch> BuildHostPorts(Workload workload, List<V1ServicePort> ports, IReadOnlyList<InferredPort> declared, List<string> warnings)
    {
        if (workload.Kind is WorkloadKind.Pod or WorkloadKind.Job or WorkloadKind.Service)
        {
            throw Invalid("HostPortNotPatchable",
                $"-HostPort patches the pod template, and {workload.Describe()} has none that can change " +
                $"({(workload.Kind == WorkloadKind.Service ? "a Service has no pods of its own" : "its pod spec is immutable")}). " +
                "Expose the Deployment, StatefulSet, DaemonSet, ReplicaSet or ReplicationController instead.", workload.Describe());
        }

        var patches = new List<HostPortPatch>();
        foreach (var port in ports)
        {
            var target = port.TargetPort?.Value;
            var container = declared.FirstOrDefault(d => d.Container is not null && d.Protocol == port.Protocol
                && (d.Name == target || d.Number.ToString() == target));
            if (container is null)
            {
                throw Invalid("HostPortNeedsDeclaredPort",
                    $"-HostPort needs the container port behind Service port {port.Port} ({target}) to be declared in {workload.Describe()}; " +
                    "add it to the container's ports.", workload.Describe());
            }

            patches.Add(new HostPortPatch(container.Container!, container.IsSidecar, container.Number, container.Protocol, port.Port));
        }

        var list = string.Join(", ", patches.Select(p => $"{p.HostPort}/{p.Protocol}"));
        warnings.Add($"hostPort {list}: each pod of {workload.Describe()} answers on its own node's IP; when a pod is rescheduled the " +
            "address clients must use changes with it.");
        warnings.Add($"hostPort {list}: two pods that use the same hostPort cannot run on one node; with more replicas than nodes " +
            "the extra pods stay Pending, and any other pod or process using the port on a node blocks scheduling there.");
        if (workload.Kind is WorkloadKind.ReplicaSet or WorkloadKind.ReplicationController)
        {
            warnings.Add($"{workload.Describe()} does not replace running pods when its template changes: delete them to get the hostPort.");
        }

        return patches;
    }

    private static string Names(IReadOnlyList<InferredPort> declared)
    {
        var names = declared.Where(d => d.Name is not null).Select(d => d.Name!).ToList();
        return names.Count == 0 ? "none" : string.Join(", ", names);
    }

    private static void CheckPerPort(string parameter, int? given, int count)
    {
        if (given is { } n && n != 1 && n != count)
        {
            throw Invalid("PerPortCountMismatch", $"{parameter} has {n} values but there are {count} ports: give one value for all ports or one per port.", parameter);
        }
    }

    private static string? PerPort(IReadOnlyList<string>? values, int index) =>
        values is null || values.Count == 0 ? null : values.Count == 1 ? values[0] : values[index];

    private static Dictionary<string, string>? Copy(IReadOnlyDictionary<string, string>? source) =>
        source is null ? null : source.ToDictionary(p => p.Key, p => p.Value);

    private static string Suggest(string name)
    {
        var cleaned = new string(name.ToLowerInvariant().Select(c => char.IsAsciiLetterOrDigit(c) ? c : '-').ToArray()).Trim('-');
        cleaned = cleaned.TrimStart('0', '1', '2', '3', '4', '5', '6', '7', '8', '9', '-');
        cleaned = cleaned.Length > 63 ? cleaned[..63].TrimEnd('-') : cleaned;
        return cleaned.Length == 0 ? "web" : cleaned;
    }

    private static KubeExposeException Invalid(string id, string message, string? target) =>
        new(KubeExposeErrorKind.InvalidArgument, id, message, target);
}
