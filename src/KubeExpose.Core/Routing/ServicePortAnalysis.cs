using k8s.Models;
using KubeExpose.Core.Model;

namespace KubeExpose.Core.Routing;

/// <summary>
/// The truth about one Service port before any route is chosen: which pods it selects, what they declare, which
/// endpoints are ready. Every in-cluster route (ClusterIP, DNS, env vars, proxy) inherits this verdict; node and
/// external routes add their own.
/// </summary>
internal sealed class ServicePortAnalysis
{
    private ServicePortAnalysis(V1Service service, V1ServicePort port, string ns)
    {
        Service = service;
        Port = port;
        Namespace = ns;
    }

    public V1Service Service { get; }
    public V1ServicePort Port { get; }
    public string Namespace { get; }
    public string Name => Service.Metadata.Name;

    /// <summary>The Service port as routes name it: its name, else its number.</summary>
    public string PortLabel => string.IsNullOrEmpty(Port.Name) ? Port.Port.ToString(System.Globalization.CultureInfo.InvariantCulture) : Port.Name;

    public string Protocol => Port.Protocol ?? "TCP";

    /// <summary>Pods the selector matches (empty for selectorless Services).</summary>
    public IReadOnlyList<V1Pod> SelectedPods { get; private set; } = [];

    /// <summary>Endpoints for this port, from whichever endpoints API the snapshot came from.</summary>
    public IReadOnlyList<Backend> Backends { get; private set; } = [];

    public List<Diagnosis> Diagnoses { get; } = [];

    /// <summary>The port's own verdict, folded once when the analysis is complete (every inheriting route shares it).</summary>
    public RouteStatus Status { get; private set; }

    /// <summary>The findings of <see cref="Diagnoses"/> in reading order, shared by every route that adds none of its own.</summary>
    public IReadOnlyList<Finding> Findings { get; private set; } = [];

    public bool HasSelector => Service.Spec?.Selector is { Count: > 0 };

    /// <summary>The Service's virtual IPs (see <see cref="ServiceShape.ClusterIps"/>), read once for the port's route families.</summary>
    public IReadOnlyList<string> ClusterIps => _clusterIps ??= ServiceShape.ClusterIps(Service);

    private IReadOnlyList<string>? _clusterIps;

    /// <summary>Nodes that host at least one ready endpoint of this port (what externalTrafficPolicy Local needs).</summary>
    public IReadOnlySet<string> NodesWithReadyBackend => _nodesWithReadyBackend ??= Backends.Where(b => b.Ready && b.Node is not null).Select(b => b.Node!).ToHashSet();

    private IReadOnlySet<string>? _nodesWithReadyBackend;

    /// <summary>The container port number this Service port reaches on <paramref name="pod"/>, when it can be told.</summary>
    public int? TargetPortOn(V1Pod pod)
    {
        var target = Port.TargetPort;
        if (target is null)
        {
            return Port.Port;
        }

        var value = target.Value;
        return int.TryParse(value, out var number) ? number : PodFacts.NamedPort(pod, value)?.ContainerPort;
    }

    public static ServicePortAnalysis Analyse(SnapshotIndex index, V1Service service, V1ServicePort port)
    {
        var ns = service.Metadata.NamespaceProperty ?? "default";
        var analysis = new ServicePortAnalysis(service, port, ns);
        if (ServiceShape.IsExternalName(service))
        {
            // A CNAME: no selector, no endpoints, nothing to judge but the note that the target is out of sight.
            analysis.Diagnoses.Add(FindingCatalog.ExternalNameTarget(ns, analysis.Name, service.Spec?.ExternalName ?? string.Empty));
            return analysis.Complete();
        }

        analysis.Backends = BackendsFor(index, ns, service.Metadata.Name, port);
        if (analysis.HasSelector)
        {
            analysis.SelectedPods = index.Select(ns, service.Spec!.Selector);
            analysis.JudgePods();
        }
        else if (analysis.Backends.Count == 0)
        {
            analysis.Diagnoses.Add(FindingCatalog.NoSelectorNoEndpoints(ns, analysis.Name));
        }
        else if (analysis.Backends.Any(b => b.Pod is null))
        {
            analysis.Diagnoses.Add(FindingCatalog.EndpointsWithoutPods(ns, analysis.Name, analysis.Backends.Where(b => b.Pod is null).Select(b => b.Address)));
        }

        analysis.JudgeEndpoints();
        return analysis.Complete();
    }

    /// <summary>Folds the diagnoses once; they do not change after <see cref="Analyse"/>.</summary>
    private ServicePortAnalysis Complete()
    {
        Status = Verdict.Of(Diagnoses);
        Findings = Verdict.Findings(Diagnoses);
        return this;
    }

    private void JudgePods()
    {
        var ns = Namespace;
        if (SelectedPods.Count == 0)
        {
            Diagnoses.Add(FindingCatalog.SelectorMatchesNoPods(ns, Name, string.Join(",", Service.Spec!.Selector.Select(s => $"{s.Key}={s.Value}"))));
            return;
        }

        var serving = JudgeTargetPort();
        List<string>? notReady = null;
        for (var i = 0; i < serving.Count; i++)
        {
            var pod = serving[i];
            if (!PodFacts.IsReady(pod))
            {
                (notReady ??= []).Add(PodFacts.Name(pod));
            }
        }

        if (notReady is null)
        {
            return; // The usual case: every serving pod is ready (or none serves, which the target-port check reported).
        }

        if (notReady.Count == serving.Count)
        {
            Diagnoses.Add(Service.Spec?.PublishNotReadyAddresses == true
                ? FindingCatalog.PublishNotReady(ns, Name, notReady)
                : FindingCatalog.NoPodReady(ns, Name, notReady));
        }
        else
        {
            Diagnoses.Add(Service.Spec?.PublishNotReadyAddresses == true
                ? FindingCatalog.PublishNotReady(ns, Name, notReady)
                : FindingCatalog.SomePodsNotReady(ns, Name, notReady));
        }
    }

    /// <summary>Checks what the selected pods declare for the target port; returns the pods that can serve it.</summary>
    private IReadOnlyList<V1Pod> JudgeTargetPort()
    {
        var ns = Namespace;
        var target = Port.TargetPort?.Value ?? Port.Port.ToString(System.Globalization.CultureInfo.InvariantCulture);
        if (!int.TryParse(target, out var number))
        {
            // A named targetPort: pods without that name get no endpoint for this port at all.
            // One lookup per pod: the pods missing the name, and whether any pod serves it on another protocol.
            List<string>? missing = null;
            var otherProtocol = false;
            for (var i = 0; i < SelectedPods.Count; i++)
            {
                if (PodFacts.NamedPort(SelectedPods[i], target) is { } named)
                {
                    otherProtocol |= (named.Protocol ?? "TCP") != Protocol;
                }
                else
                {
                    (missing ??= []).Add(PodFacts.Name(SelectedPods[i]));
                }
            }

            if (missing is not null && missing.Count == SelectedPods.Count)
            {
                Diagnoses.Add(FindingCatalog.NamedPortMissingAll(ns, Name, target, missing));
                return [];
            }

            if (missing is not null)
            {
                Diagnoses.Add(FindingCatalog.NamedPortMissingSome(ns, Name, target, missing));
            }

            if (missing is null && !otherProtocol)
            {
                return SelectedPods; // The usual case: every selected pod serves the port as declared, no lists needed.
            }

            var targets = new List<(V1Pod Pod, V1ContainerPort Port)>(SelectedPods.Count);
            foreach (var pod in SelectedPods)
            {
                if (PodFacts.NamedPort(pod, target) is { } named)
                {
                    targets.Add((pod, named));
                }
            }

            JudgeProtocol(targets, target);
            return targets.ConvertAll(t => t.Pod);
        }

        // A numeric targetPort always gets endpoints; whether anything listens is only provable from declarations.
        // Pods that declare ports but not this one are the doubt; pods that declare nothing give no evidence either way
        // unless no pod declares anything.
        var declaredAnywhere = SelectedPods.SelectMany(PodFacts.Ports).ToList();
        var matching = SelectedPods.SelectMany(p => PodFacts.Ports(p).Where(c => c.ContainerPort == number).Select(c => (p, c))).ToList();
        var undeclaring = SelectedPods.Where(p => PodFacts.Ports(p).Any() && !PodFacts.Ports(p).Any(c => c.ContainerPort == number)).ToList();
        if (declaredAnywhere.Count == 0)
        {
            Diagnoses.Add(FindingCatalog.NoPortsDeclared(ns, Name, number));
        }
        else if (undeclaring.Count > 0)
        {
            Diagnoses.Add(FindingCatalog.NumericPortUndeclared(ns, Name, number,
                undeclaring.SelectMany(PodFacts.Ports).Select(c => $"{c.ContainerPort}/{c.Protocol ?? "TCP"}").Distinct(),
                undeclaring.Select(PodFacts.Name)));
        }

        if (matching.Count > 0)
        {
            JudgeProtocol(matching, target);
        }

        return SelectedPods;
    }

    private void JudgeProtocol(List<(V1Pod Pod, V1ContainerPort Port)> targets, string target)
    {
        var protocol = Protocol;
        var anyWrong = false;
        foreach (var t in targets)
        {
            anyWrong |= (t.Port.Protocol ?? "TCP") != protocol;
        }

        if (!anyWrong)
        {
            return; // The usual case: skip building the per-pod sets below.
        }

        var wrong = targets.Where(t => (t.Port.Protocol ?? "TCP") != Protocol).ToList();

        // For numeric ports a pod may declare the number twice (TCP and UDP); only a pod with no matching protocol is wrong.
        var wrongPods = wrong.Select(t => t.Pod).Distinct()
            .Where(p => !targets.Any(t => t.Pod == p && (t.Port.Protocol ?? "TCP") == Protocol)).ToList();
        if (wrongPods.Count > 0)
        {
            var diagnosis = FindingCatalog.ProtocolMismatch(Namespace, Name, target, Protocol, wrong[0].Port.Protocol ?? "TCP", wrongPods.Select(PodFacts.Name));
            Diagnoses.Add(wrongPods.Count == targets.Select(t => t.Pod).Distinct().Count() ? diagnosis : diagnosis with { Effect = RouteStatus.Degraded });
        }
    }

    private void JudgeEndpoints()
    {
        if (Service.Spec?.SessionAffinity == "ClientIP")
        {
            Diagnoses.Add(FindingCatalog.SessionAffinity(Namespace, Name, Service.Spec.SessionAffinityConfig?.ClientIP?.TimeoutSeconds));
        }

        if (!HasReadyBackend() && Verdict.Of(Diagnoses) != RouteStatus.Broken)
        {
            Diagnoses.Add(FindingCatalog.NoReadyEndpoints(Namespace, Name, PortLabel));
        }
    }

    private bool HasReadyBackend()
    {
        for (var i = 0; i < Backends.Count; i++)
        {
            if (Backends[i].Ready)
            {
                return true;
            }
        }

        return false;
    }

    private static List<Backend> BackendsFor(SnapshotIndex index, string ns, string name, V1ServicePort port)
    {
        var portName = port.Name ?? string.Empty;
        var protocol = port.Protocol ?? "TCP";
        var backends = new List<Backend>();
        foreach (var group in index.Endpoints(ns, name))
        {
            EndpointPortInfo? match = null;
            foreach (var p in group.Ports)
            {
                if (p.Name == portName && p.Protocol == protocol)
                {
                    match = p;
                    break;
                }
            }

            if (match is null)
            {
                continue;
            }

            foreach (var a in group.Addresses)
            {
                backends.Add(new Backend(a.Ip, match.Port, a.Ready, a.Pod, a.Node));
            }
        }

        // Dual-stack Services list an address once per family slice; a pod appears once per address, which is right.
        // Slices usually list their pods in order already: then the (stable) sort is skipped, not redone per port.
        var distinct = Distinct(backends);
        return InOrder(distinct) ? distinct : distinct.OrderBy(b => b.Pod ?? b.Address, StringComparer.Ordinal).ToList();
    }

    /// <summary>First occurrence of each (address, port), like DistinctBy; a Service has a handful of endpoints, so a scan beats a hash set.</summary>
    private static List<Backend> Distinct(List<Backend> backends)
    {
        if (backends.Count > 16)
        {
            return backends.DistinctBy(b => (b.Address, b.Port)).ToList();
        }

        for (var i = 1; i < backends.Count; i++)
        {
            for (var j = 0; j < i; j++)
            {
                if (backends[j].Address == backends[i].Address && backends[j].Port == backends[i].Port)
                {
                    return backends.DistinctBy(b => (b.Address, b.Port)).ToList(); // rare (dual-stack slices): the general path
                }
            }
        }

        return backends;
    }

    private static bool InOrder(List<Backend> backends)
    {
        for (var i = 1; i < backends.Count; i++)
        {
            if (string.CompareOrdinal(backends[i - 1].Pod ?? backends[i - 1].Address, backends[i].Pod ?? backends[i].Address) > 0)
            {
                return false;
            }
        }

        return true;
    }
}
