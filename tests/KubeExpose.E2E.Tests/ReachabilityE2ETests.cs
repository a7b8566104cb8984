using System.Management.Automation;
using KubeExpose.Tests;
using Xunit;

namespace KubeExpose.E2E.Tests;

/// <summary>
/// Get-ServiceReachability against the real local cluster, checked by connecting: every route it calls Ready answers
/// from its vantage (External from the kx-outside namespace, Node from this host, which is the node, Pod from inside a
/// pod, Operator through the API server), and routes it calls Broken do not. Each test has a namespace of its own.
/// </summary>
[Collection(ClusterCollection.Name)]
public sealed class ReachabilityE2ETests : IDisposable
{
    private const string InternalIp = "10.211.0.10";
    private const string ExternalIp = "10.211.1.10";
    private static readonly TimeSpan Settle = TimeSpan.FromSeconds(90);

    private readonly ClusterFixture _cluster;
    private readonly List<string> _namespaces = [];
    private readonly List<string> _files = [];
    private ModuleHost? _host;

    public ReachabilityE2ETests(ClusterFixture cluster) => _cluster = cluster;

    public void Dispose()
    {
        _host?.Dispose();
        foreach (var file in _files)
        {
            File.Delete(file);
        }

        foreach (var ns in _namespaces)
        {
            _cluster.Kubectl("delete", "namespace", ns, "--wait=false");
        }
    }

    private ModuleHost Host => _host ??= _cluster.NewModuleHost();

    private string NewNamespace()
    {
        var ns = _cluster.NewNamespace("reach");
        _namespaces.Add(ns);
        return ns;
    }

    [SkippableFact]
    public void Healthy_NodePort_service_every_Ready_route_answers_from_its_vantage_and_ClusterIP_not_from_outside()
    {
        _cluster.Require();
        var ns = NewNamespace();
        _cluster.DeployWeb(ns, "web", replicas: 2);
        ApplyService(ns, "web", "type: NodePort", "selector: {app: web}", "ports: [{name: http, port: 80, targetPort: http}]");
        WaitForReadyEndpoints(ns, "web", 2);

        var routes = Routes(ns, "web");

        Assert.All(routes, r => Assert.Equal("Ready", r.Status));
        var external = One(routes, "NodePort", "External");
        Assert.Equal(ExternalIp, external.Address);
        Assert.Contains("kubeexpose web host=web-", AssertAnswers(ns, external));
        Assert.Equal(InternalIp, One(routes, "NodePort", "Node").Address);

        var clusterIp = routes.Where(r => r.Kind == "ClusterIP").ToList();
        Assert.Equal(["Node", "Pod"], clusterIp.Select(r => r.Vantage).Order());
        Assert.StartsWith("10.212.", clusterIp[0].Address);
        Assert.NotEqual(0, _cluster.Outside("curl", "-sS", "-m", "3", $"http://{clusterIp[0].Address}:{clusterIp[0].Port}/").ExitCode);

        var proxy = One(routes, "ApiServerProxy", "Operator");
        Assert.Equal($"/api/v1/namespaces/{ns}/services/web:http/proxy/", proxy.Url);

        foreach (var route in routes.Where(r => r.Kind is "ClusterIP" or "NodePort" or "ApiServerProxy"))
        {
            Assert.Contains("kubeexpose web host=web-", AssertAnswers(ns, route));
        }

        // The pods predate the Service, so the model says they lack its variables; kubelet agrees.
        var env = One(routes, "EnvVar", "Pod");
        Assert.Equal("$WEB_SERVICE_HOST:$WEB_SERVICE_PORT_HTTP", env.Address);
        var pods = _cluster.Kubectl("-n", ns, "get", "pods", "-l", "app=web", "-o", "jsonpath={.items[*].metadata.name}").AssertSuccess().Output
            .Split(' ', StringSplitOptions.RemoveEmptyEntries);
        Assert.All(pods, p => Assert.Contains(p, env.FirstMessage));
        var variables = _cluster.Kubectl("-n", ns, "exec", pods[0], "--", "env").AssertSuccess().Output;
        Assert.DoesNotContain("WEB_SERVICE_HOST=", variables);

        // The backends are the endpoints the cluster itself lists.
        var sliceAddresses = _cluster.Kubectl("-n", ns, "get", "endpointslices", "-l", "kubernetes.io/service-name=web", "-o",
            "jsonpath={range .items[*].endpoints[*]}{.addresses[0]}{\"\\n\"}{end}").AssertSuccess().Output
            .Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Order();
        Assert.Equal(sliceAddresses, external.Backends.Order());
        Assert.Equal(2, external.Backends.Length);
    }

    [SkippableFact]
    public void Selector_that_matches_nothing_is_Broken_with_KE2001_and_indeed_nothing_answers()
    {
        _cluster.Require();
        var ns = NewNamespace();
        _cluster.DeployWeb(ns, "web", replicas: 1);
        ApplyService(ns, "web", "type: NodePort", "selector: {app: wbe}", "ports: [{name: http, port: 80, targetPort: http}]");

        var routes = Routes(ns, "web");

        Assert.All(routes, r => Assert.Equal("Broken", r.Status));
        Assert.All(routes, r => Assert.Contains("KE2001", r.Codes));
        Assert.Contains("Selector app=wbe", One(routes, "ClusterIP", "Pod").FirstMessage);
        foreach (var route in routes.Where(r => r.Kind is "ClusterIP" or "NodePort" or "ApiServerProxy"))
        {
            AssertDoesNotAnswer(route);
        }
    }

    [SkippableFact]
    public void Wrong_named_targetPort_is_Broken_with_KE2003_and_indeed_nothing_answers()
    {
        _cluster.Require();
        var ns = NewNamespace();
        _cluster.DeployWeb(ns, "web", replicas: 1);
        ApplyService(ns, "web", "type: NodePort", "selector: {app: web}", "ports: [{name: http, port: 80, targetPort: www}]");

        var routes = Routes(ns, "web");

        var external = One(routes, "NodePort", "External");
        Assert.Equal("Broken", external.Status);
        Assert.Contains("KE2003", external.Codes);
        Assert.Contains("targetPort 'www'", external.FirstMessage);
        AssertDoesNotAnswer(external);
        AssertDoesNotAnswer(One(routes, "ClusterIP", "Node"));
    }

    [SkippableFact]
    public void Some_pods_not_ready_is_Degraded_with_KE2008_naming_them_and_the_ready_pod_still_answers()
    {
        _cluster.Require();
        var ns = NewNamespace();
        _cluster.DeployWeb(ns, "web", replicas: 1);
        _cluster.ApplyYaml($$$"""
            apiVersion: v1
            kind: Pod
            metadata: {name: web-sick, namespace: {{{ns}}}, labels: {app: web}}
            spec:
              terminationGracePeriodSeconds: 1
              containers:
              - name: web
                image: kubeexpose.local/web:1
                imagePullPolicy: Never
                ports: [{name: http, containerPort: 80}]
                readinessProbe: {tcpSocket: {port: 9}, periodSeconds: 1}
            """);
        ApplyService(ns, "web", "type: NodePort", "selector: {app: web}", "ports: [{name: http, port: 80, targetPort: http}]");
        ClusterFixture.WaitFor(() => _cluster.Kubectl("-n", ns, "get", "pod", "web-sick", "-o", "jsonpath={.status.phase}").Output == "Running",
            Settle, "pod web-sick running");
        WaitForReadyEndpoints(ns, "web", 1);

        var routes = Routes(ns, "web");

        var external = One(routes, "NodePort", "External");
        Assert.Equal("Degraded", external.Status);
        Assert.Contains("KE2008", external.Codes);
        Assert.EndsWith("get no traffic: web-sick.", external.FirstMessage);
        Assert.Contains("kubeexpose web host=web-", AssertAnswers(ns, external));
        Assert.DoesNotContain("host=web-sick", AssertAnswers(ns, external));
    }

    [SkippableFact]
    public void LoadBalancer_is_Pending_while_provisioning_is_off_and_Ready_and_answering_when_it_is_on()
    {
        _cluster.Require();
        var ns = NewNamespace();
        _cluster.DeployWeb(ns, "web", replicas: 1);
        try
        {
            Script("lb", "off").AssertSuccess();
            ApplyService(ns, "web", "type: LoadBalancer", "selector: {app: web}", "ports: [{name: http, port: 8080, targetPort: http}]");
            WaitForReadyEndpoints(ns, "web", 1);
            Thread.Sleep(3000); // three controller periods: it really is off

            var pending = Routes(ns, "web");
            var lb = One(pending, "LoadBalancer", "External");
            Assert.Equal(("Pending", "(pending)"), (lb.Status, lb.Address));
            Assert.Contains("KE1003", lb.Codes);
            // Meanwhile the NodePort routes the model calls Ready do answer.
            Assert.Contains("kubeexpose web", AssertAnswers(ns, One(pending, "NodePort", "External")));
        }
        finally
        {
            Script("lb", "on").AssertSuccess();
        }

        ClusterFixture.WaitFor(() => _cluster.Kubectl("-n", ns, "get", "service", "web", "-o", "jsonpath={.status.loadBalancer.ingress[0].ip}").Output != "",
            Settle, "a LoadBalancer address");
        var ready = One(Routes(ns, "web"), "LoadBalancer", "External");
        Assert.Equal("Ready", ready.Status);
        Assert.StartsWith("10.214.0.", ready.Address);
        Assert.Equal(8080, ready.Port);
        Assert.Contains("kubeexpose web host=web-", AssertAnswers(ns, ready));
    }

    [SkippableFact]
    public void Ingress_URL_is_Ready_and_answers_through_nginx_and_a_missing_backend_is_Broken_with_KE3001()
    {
        _cluster.Require();
        var ns = NewNamespace();
        var ingressClass = _cluster.Environment.GetValueOrDefault("KX_INGRESS_CLASS", "kx-nginx");
        _cluster.DeployWeb(ns, "web", replicas: 1);
        ApplyService(ns, "web", "type: ClusterIP", "selector: {app: web}", "ports: [{name: http, port: 80, targetPort: http}]");
        _cluster.ApplyYaml($$$"""
            apiVersion: networking.k8s.io/v1
            kind: Ingress
            metadata: {name: shop, namespace: {{{ns}}}}
            spec:
              ingressClassName: {{{ingressClass}}}
              rules:
              - host: {{{ns}}}.kx.test
                http: {paths: [{path: /, pathType: Prefix, backend: {service: {name: web, port: {name: http} } } }]}
              - host: ghost-{{{ns}}}.kx.test
                http: {paths: [{path: /, pathType: Prefix, backend: {service: {name: ghost, port: {number: 80} } } }]}
            """);
        WaitForReadyEndpoints(ns, "web", 1);
        ClusterFixture.WaitFor(() => _cluster.Kubectl("-n", ns, "get", "ingress", "shop", "-o", "jsonpath={.status.loadBalancer.ingress[0].ip}").Output != "",
            Settle, "the Ingress address");

        var ingress = One(Routes(ns, "web"), "Ingress", "External");
        Assert.Equal("Ready", ingress.Status);
        Assert.Equal(($"http://{ns}.kx.test/", 80), (ingress.Url, ingress.Port));
        Assert.Equal(_cluster.Environment.GetValueOrDefault("KX_INGRESS_IP", ExternalIp), ingress.Address);
        Assert.Contains("kubeexpose web host=web-", AssertAnswers(ns, ingress));

        var result = Host.Run($"Get-ServiceReachability ghost -Namespace {ns} {Project}");
        Assert.Equal("ServiceNotFound,KubeExpose.Commands.GetServiceReachabilityCommand", Assert.Single(result.Errors).FullyQualifiedErrorId);
        Assert.Contains($"Service 'ghost' was not found in namespace {ns}", result.Errors[0].Exception.Message);
        var ghost = ToRoutes(result.Output).Single(r => r.Kind == "Ingress");
        Assert.Equal("Broken", ghost.Status);
        Assert.Contains("KE3001", ghost.Codes);
        AssertDoesNotAnswer(ghost);
    }

    [SkippableFact]
    public void HostPort_and_externalIP_routes_that_are_Ready_answer_from_outside()
    {
        _cluster.Require();
        var ns = NewNamespace();
        _cluster.DeployWeb(ns, "web", replicas: 1, extraPorts: "\n        - {name: alt, containerPort: 8443, hostPort: 18443}");
        ApplyService(ns, "web", "type: ClusterIP", "selector: {app: web}", "externalIPs: [" + ExternalIp + "]",
            "ports: [{name: http, port: 18095, targetPort: http}, {name: alt, port: 18096, targetPort: alt}]");
        WaitForReadyEndpoints(ns, "web", 1);

        var routes = Routes(ns, "web");

        var externalIp = routes.Single(r => r.Kind == "ExternalIP" && r.Port == 18095);
        Assert.Equal(("Ready", ExternalIp), (externalIp.Status, externalIp.Address));
        Assert.Contains("kubeexpose web host=web-", AssertAnswers(ns, externalIp));
        var hostPort = One(routes, "HostPort", "External");
        Assert.Equal(("Ready", ExternalIp, 18443), (hostPort.Status, hostPort.Address, hostPort.Port));
        // The web image serves TLS on 8443 with a self-signed certificate: a TLS handshake proves the hostPort path.
        var tls = _cluster.Outside("curl", "-sSk", "-m", "5", $"https://{hostPort.Address}:{hostPort.Port}/");
        Assert.True(tls.ExitCode == 0, $"hostPort route {hostPort} did not answer from outside: {tls.Error}");
    }

    [SkippableFact]
    public void Headless_service_lists_each_pod_by_its_IP_and_those_answer_from_a_pod()
    {
        _cluster.Require();
        var ns = NewNamespace();
        _cluster.DeployWeb(ns, "web", replicas: 2);
        ApplyService(ns, "web", "clusterIP: None", "selector: {app: web}", "ports: [{name: http, port: 80, targetPort: http}]");
        WaitForReadyEndpoints(ns, "web", 2);

        var routes = Routes(ns, "web");

        Assert.DoesNotContain(routes, r => r.Kind == "ClusterIP");
        var headless = routes.Where(r => r.Kind == "Headless").ToList();
        var podIps = _cluster.Kubectl("-n", ns, "get", "pods", "-l", "app=web", "-o", "jsonpath={.items[*].status.podIP}").AssertSuccess().Output
            .Split(' ', StringSplitOptions.RemoveEmptyEntries).Order();
        Assert.Equal(podIps, headless.Select(r => r.Address).Order());
        Assert.All(headless, r => Assert.Equal(("Pod", "Ready", 80), (r.Vantage, r.Status, r.Port)));
        foreach (var route in headless)
        {
            Assert.Contains("kubeexpose web host=web-", AssertAnswers(ns, route));
            Assert.NotEqual(0, _cluster.Outside("curl", "-sS", "-m", "3", $"http://{route.Address}:{route.Port}/").ExitCode);
        }
    }

    [SkippableFact]
    public void ExternalName_is_Unknown_and_externalTrafficPolicy_Local_with_a_local_pod_is_Ready()
    {
        _cluster.Require();
        var ns = NewNamespace();
        ApplyService(ns, "payments", "type: ExternalName", "externalName: api.payments.example.com");
        _cluster.DeployWeb(ns, "web", replicas: 1);
        ApplyService(ns, "web", "type: NodePort", "externalTrafficPolicy: Local", "selector: {app: web}", "ports: [{name: http, port: 80, targetPort: http}]");
        WaitForReadyEndpoints(ns, "web", 1);

        var cname = One(Routes(ns, "payments"), "ExternalName", "Pod");
        Assert.Equal(("Unknown", "api.payments.example.com"), (cname.Status, cname.Address));
        Assert.Contains("KE1004", cname.Codes);

        var local = One(Routes(ns, "web"), "NodePort", "External");
        Assert.Equal("Ready", local.Status);
        Assert.Contains("kubeexpose web host=web-", AssertAnswers(ns, local));
    }

    [SkippableFact]
    public void Reads_v1beta1_EndpointSlices_on_1_20_and_a_viewer_without_Secret_access_gets_Unknown_not_Ready()
    {
        _cluster.Require();
        var ns = NewNamespace();
        var ingressClass = _cluster.Environment.GetValueOrDefault("KX_INGRESS_CLASS", "kx-nginx");
        _cluster.DeployWeb(ns, "web", replicas: 1);
        ApplyService(ns, "web", "type: ClusterIP", "selector: {app: web}", "ports: [{name: http, port: 80, targetPort: http}]");
        _cluster.ApplyYaml($$$"""
            apiVersion: networking.k8s.io/v1
            kind: Ingress
            metadata: {name: shop, namespace: {{{ns}}}}
            spec:
              ingressClassName: {{{ingressClass}}}
              tls: [{hosts: [{{{ns}}}.kx.test], secretName: no-such-secret}]
              rules: [{host: {{{ns}}}.kx.test, http: {paths: [{path: /, pathType: Prefix, backend: {service: {name: web, port: {name: http} } } }]} }]
            """);
        WaitForReadyEndpoints(ns, "web", 1);
        // Until the Ingress controller publishes its address the route is rightly Pending; wait so Unknown is what is tested.
        ClusterFixture.WaitFor(
            () => _cluster.Kubectl("-n", ns, "get", "ingress", "shop", "-o", "jsonpath={.status.loadBalancer.ingress[0].ip}").Output.Trim().Length > 0,
            TimeSpan.FromSeconds(60), $"the address of ingress shop in {ns}");

        var verbose = Host.Run($"Get-ServiceReachability web -Namespace {ns} -Verbose 4>&1 | Where-Object {{ $_ -is [System.Management.Automation.VerboseRecord] }} | ForEach-Object Message")
            .AssertSuccess().Output.Select(o => o.ToString()).ToList();
        Assert.Contains(verbose, m => m.Contains("EndpointSlices (discovery.k8s.io/v1beta1)", StringComparison.Ordinal));

        var admin = One(Routes(ns, "web"), "Ingress", "External");
        Assert.Equal("Broken", admin.Status);
        Assert.Contains("KE3005", admin.Codes);

        Skip.If(string.IsNullOrEmpty(_cluster.ViewerKubeConfig), "the cluster has no viewer kubeconfig");
        var viewer = Host.Run($"Get-ServiceReachability web -Namespace {ns} -KubeConfig '{_cluster.ViewerKubeConfig}' {Project}");
        Assert.Empty(viewer.Errors);
        Assert.Contains(viewer.Warnings, w => w.Contains("secrets", StringComparison.Ordinal));
        var route = ToRoutes(viewer.Output).Single(r => r.Kind == "Ingress");
        Assert.Equal("Unknown", route.Status);
        Assert.Contains("KE3008", route.Codes);
    }

    [SkippableFact]
    public void Forbidden_reads_are_PermissionDenied_and_a_user_allowed_only_Endpoints_gets_the_fallback_and_Unknown_node_routes()
    {
        _cluster.Require();
        var ns = NewNamespace();
        _cluster.DeployWeb(ns, "web", replicas: 1);
        ApplyService(ns, "web", "type: NodePort", "selector: {app: web}", "ports: [{name: http, port: 80, targetPort: http}]");
        WaitForReadyEndpoints(ns, "web", 1);
        _cluster.Kubectl("-n", ns, "create", "serviceaccount", "nobody").AssertSuccess();
        var kubeconfig = ServiceAccountKubeConfig(ns, "nobody");

        // No rights at all: the required reads fail with an error that names the verb, the resource and the fix.
        var denied = Host.Run($"Get-ServiceReachability web -Namespace {ns} -KubeConfig '{kubeconfig}'");
        var error = Assert.Single(denied.Errors);
        Assert.Equal(ErrorCategory.PermissionDenied, error.CategoryInfo.Category);
        Assert.Matches($"Permission denied: cannot list (services|pods|endpoints) in namespace {ns}", error.Exception.Message);
        Assert.Contains("Ask for RBAC that grants 'list'", error.Exception.Message);
        Assert.Empty(denied.Output);

        // Services, pods and v1 Endpoints only: no EndpointSlices, nodes, Ingresses or IngressClasses.
        _cluster.Kubectl("-n", ns, "create", "role", "endpoints-only", "--verb=list", "--resource=services,pods,endpoints").AssertSuccess();
        _cluster.Kubectl("-n", ns, "create", "rolebinding", "endpoints-only", "--role=endpoints-only", $"--serviceaccount={ns}:nobody").AssertSuccess();
        var command = $"Get-ServiceReachability web -Namespace {ns} -KubeConfig '{kubeconfig}'";
        ScriptResult limited = null!;
        ClusterFixture.WaitFor(() => (limited = Host.Run($"{command} {Project}")).Errors.Count == 0, Settle, "the RoleBinding to take effect");
        Assert.Contains(limited.Warnings, w => w.Contains("cannot list nodes", StringComparison.Ordinal));
        Assert.Contains(limited.Warnings, w => w.Contains("cannot list ingresses.networking.k8s.io", StringComparison.Ordinal));
        var verbose = Host.Run($"{command} -Verbose 4>&1 | Where-Object {{ $_ -is [System.Management.Automation.VerboseRecord] }} | ForEach-Object Message")
            .Output.Select(o => o.ToString()).ToList();
        Assert.Contains(verbose, m => m.StartsWith("Read 1 endpoints", StringComparison.Ordinal));
        Assert.DoesNotContain(verbose, m => m.Contains("EndpointSlices", StringComparison.Ordinal));
        var routes = ToRoutes(limited.Output);
        Assert.Equal("Ready", One(routes, "ClusterIP", "Pod").Status);
        var nodePort = One(routes, "NodePort", "External");
        Assert.Equal(("Unknown", "(node addresses)"), (nodePort.Status, nodePort.Address));
        Assert.Contains("KE4005", nodePort.Codes);
        Assert.Equal(_cluster.Kubectl("-n", ns, "get", "endpoints", "web", "-o", "jsonpath={.subsets[0].addresses[0].ip}").AssertSuccess().Output.Trim(),
            Assert.Single(One(routes, "ClusterIP", "Pod").Backends));
    }

    // --- helpers ---

    /// <summary>A route as plain strings: the test host must not load the module's types.</summary>
    private sealed record E2ERoute(string Service, string Kind, string Vantage, string Address, int? Port, string? Url, string Status,
        string[] Codes, string FirstMessage, string[] Backends)
    {
        public override string ToString() => $"{Service} {Vantage} {Kind} {Url ?? $"{Address}:{Port}"} {Status} [{string.Join(",", Codes)}]";
    }

    private const string Project =
        "| ForEach-Object { [pscustomobject]@{ Service = $_.Service; Kind = \"$($_.Kind)\"; Vantage = \"$($_.Vantage)\"; Address = $_.Address; " +
        "Port = $_.Port; Url = $_.Url; Status = \"$($_.Status)\"; Codes = (@($_.Findings | ForEach-Object Code) -join ','); " +
        "First = \"$(@($_.Findings)[0].Message)\"; Backends = (@($_.Backends | ForEach-Object Address) -join ',') } }";

    private List<E2ERoute> Routes(string ns, string service)
    {
        var routes = ToRoutes(Host.Run($"Get-ServiceReachability {service} -Namespace {ns} {Project}").AssertSuccess().Output);
        Assert.NotEmpty(routes);
        return routes;
    }

    private static List<E2ERoute> ToRoutes(IEnumerable<PSObject> output) => output.Select(o =>
    {
        string? S(string name) => o.Properties[name].Value?.ToString();
        string[] L(string name) => (S(name) ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries);
        return new E2ERoute(S("Service")!, S("Kind")!, S("Vantage")!, S("Address")!, o.Properties["Port"].Value is { } p ? Convert.ToInt32(p) : null,
            S("Url"), S("Status")!, L("Codes"), S("First") ?? "", L("Backends"));
    }).ToList();

    private static E2ERoute One(IEnumerable<E2ERoute> routes, string kind, string vantage)
    {
        var found = routes.Where(r => r.Kind == kind && r.Vantage == vantage).ToList();
        Assert.True(found.Count == 1, $"Expected one {kind} route from {vantage}: {string.Join("; ", routes)}");
        return found[0];
    }

    private void ApplyService(string ns, string name, params string[] spec) =>
        _cluster.ApplyYaml($"apiVersion: v1\nkind: Service\nmetadata: {{name: {name}, namespace: {ns}}}\nspec:\n{string.Join("\n", spec.Select(s => "  " + s))}\n");

    private void WaitForReadyEndpoints(string ns, string service, int count) =>
        ClusterFixture.WaitFor(() =>
        {
            var r = _cluster.Kubectl("-n", ns, "get", "endpointslices", "-l", $"kubernetes.io/service-name={service}", "-o",
                "jsonpath={range .items[*].endpoints[*]}{.conditions.ready}{\"\\n\"}{end}");
            return r.ExitCode == 0 && r.Output.Split('\n').Count(s => s.Trim() == "true") >= count;
        }, Settle, $"{count} ready endpoint(s) of {ns}/{service}");

    /// <summary>Connects to the route from its vantage, retrying while kube-proxy and nginx catch up; returns the page.</summary>
    private string AssertAnswers(string ns, E2ERoute route)
    {
        CommandResult last = default!;
        ClusterFixture.WaitFor(() => (last = Connect(ns, route)).ExitCode == 0 && last.Output.Contains("kubeexpose web", StringComparison.Ordinal),
            TimeSpan.FromSeconds(45), $"{route} to answer (last: {last?.Error}{last?.Output})");
        return last!.Output;
    }

    /// <summary>A route the model calls Broken must not answer (tried a few times, so a late answer would be seen).</summary>
    private void AssertDoesNotAnswer(E2ERoute route)
    {
        for (var i = 0; i < 3; i++)
        {
            var r = Connect(null, route);
            Assert.False(r.ExitCode == 0 && r.Output.Contains("kubeexpose web", StringComparison.Ordinal), $"{route} answered: {r.Output}");
            Thread.Sleep(500);
        }
    }

    private CommandResult Connect(string? ns, E2ERoute route)
    {
        // An Ingress route is reached at Address:Port with the Url's host as Host header, as its doc says.
        var url = $"http://{route.Address}:{route.Port}/";
        string[] curl = route.Kind == "Ingress"
            ? ["curl", "-sS", "-m", "5", "--fail", "-H", $"Host: {new Uri(route.Url!).Host}", url]
            : ["curl", "-sS", "-m", "5", "--fail", url];
        return route.Vantage switch
        {
            "External" => _cluster.Outside(curl),
            "Node" => ClusterFixture.Run(curl[0], curl[1..], TimeSpan.FromSeconds(20)),
            "Operator" => _cluster.Kubectl("get", "--raw", route.Url!),
            "Pod" => FromPod(ns, route.Address, route.Port ?? 80),
            _ => throw new InvalidOperationException(route.Vantage),
        };
    }

    /// <summary>
    /// An HTTP GET from inside a pod of the test's namespace, with busybox nc (the image's static busybox wget crashes
    /// on lookups): the exit code is nc's, the output the raw response.
    /// </summary>
    private CommandResult FromPod(string? ns, string address, int port)
    {
        ns ??= _namespaces[^1];
        var pod = _cluster.Kubectl("-n", ns, "get", "pods", "-l", "app=web", "--field-selector=status.phase=Running", "-o", "jsonpath={.items[0].metadata.name}").Output;
        return _cluster.Kubectl("-n", ns, "exec", pod, "--", "sh", "-c", $"printf 'GET / HTTP/1.0\\r\\nHost: e2e\\r\\n\\r\\n' | nc -w 5 {address} {port}");
    }

    /// <summary>A kubeconfig for a ServiceAccount's token (Kubernetes 1.20 still creates token Secrets).</summary>
    private string ServiceAccountKubeConfig(string ns, string account)
    {
        var secret = "";
        ClusterFixture.WaitFor(() => (secret = _cluster.Kubectl("-n", ns, "get", "serviceaccount", account, "-o", "jsonpath={.secrets[0].name}").Output.Trim()) != "",
            Settle, $"the token Secret of {ns}/{account}");
        var token = System.Text.Encoding.UTF8.GetString(Convert.FromBase64String(
            _cluster.Kubectl("-n", ns, "get", "secret", secret, "-o", "jsonpath={.data.token}").AssertSuccess().Output.Trim()));
        var server = _cluster.Environment.GetValueOrDefault("KX_API_SERVER", "https://127.0.0.1:16443");
        var path = Path.Combine(Path.GetTempPath(), $"kx-{ns}-{account}.kubeconfig");
        _files.Add(path);
        File.WriteAllText(path, $"""
            apiVersion: v1
            kind: Config
            clusters: [{"{"}name: kx, cluster: {"{"}server: "{server}", insecure-skip-tls-verify: true{"}"}{"}"}]
            users: [{"{"}name: {account}, user: {"{"}token: "{token}"{"}"}{"}"}]
            contexts: [{"{"}name: kx, context: {"{"}cluster: kx, user: {account}, namespace: {ns}{"}"}{"}"}]
            current-context: kx
            """);
        return path;
    }

    private static CommandResult Script(params string[] args) =>
        ClusterFixture.Run("bash", [ClusterFixture.ScriptPath, .. args], TimeSpan.FromSeconds(60));
}
