using System.Management.Automation;
using System.Text.Json;
using System.Text.Json.Nodes;
using KubeExpose.Tests;
using Xunit;

namespace KubeExpose.E2E.Tests;

/// <summary>
/// Expose-Workload against the real local cluster: every workload kind, every Service type, the Ingress through the
/// node's nginx, reached for real from the right vantage (kx-outside for external routes), compared with kubectl
/// expose, idempotence, conflicts, rollback and RBAC errors.
/// </summary>
[Collection(ClusterCollection.Name)]
public sealed class ExposeE2ETests(ClusterFixture cluster)
{
    private string NodeExternalIp => cluster.NodeExternalIp;

    private ScriptResult Expose(ModuleHost host, string arguments) => host.Run($"Expose-Workload {arguments}");

    private static object? Prop(PSObject o, string name) => o.Properties[name]?.Value;

    private static PSObject Single(ScriptResult r) => Assert.Single(r.AssertSuccess().Output);

    private static List<PSObject> Items(PSObject o, string name) =>
        ((System.Collections.IEnumerable)Prop(o, name)!).Cast<object>().Select(PSObject.AsPSObject).ToList();

    private static string RouteOf(PSObject probe, string name) => Prop(PSObject.AsPSObject(Prop(probe, "Route")!), name)!.ToString()!;

    private JsonNode Json(string ns, params string[] args) =>
        JsonNode.Parse(cluster.Kubectl(["-n", ns, .. args, "-o", "json"]).AssertSuccess().Output)!;

    private void Cleanup(string ns) => cluster.Kubectl("delete", "namespace", ns, "--wait=false");

    private static int FreeNodePort(ClusterFixture cluster)
    {
        var used = cluster.Kubectl("get", "svc", "-A", "-o", "jsonpath={.items[*].spec.ports[*].nodePort}").AssertSuccess().Output
            .Split(' ', StringSplitOptions.RemoveEmptyEntries).Select(int.Parse).ToHashSet();
        var random = new Random();
        while (true)
        {
            var candidate = random.Next(30100, 32700);
            if (!used.Contains(candidate))
            {
                return candidate;
            }
        }
    }

    private void AssertOutsideReaches(string url, string expected, params string[] curlArgs)
    {
        CommandResult? last = null;
        ClusterFixture.WaitFor(() =>
        {
            last = cluster.Outside(["curl", "-sS", "-m", "3", .. curlArgs, url]);
            return last.ExitCode == 0 && last.Output.Contains(expected);
        }, TimeSpan.FromSeconds(60), $"{url} from kx-outside to answer '{expected}' (last: {last?.Output}{last?.Error})");
    }

    [SkippableFact]
    public void DryRun_client_yaml_matches_kubectl_expose_field_by_field()
    {
        cluster.Require();
        var ns = cluster.NewNamespace("kx-expose-dry");
        try
        {
            cluster.DeployWeb(ns, "web", extraPorts: "\n        - {containerPort: 8443}");
            var theirs = JsonNode.Parse(cluster.Kubectl("-n", ns, "expose", "deploy/web", "--dry-run=client", "-o", "json").AssertSuccess().Output)!;

            using var host = cluster.NewModuleHost();
            var yaml = string.Concat(Expose(host, $"deploy/web -Namespace {ns} -DryRun Client -AsYaml").AssertSuccess().Output.Select(o => o.ToString()));
            var file = Path.GetTempFileName();
            File.WriteAllText(file, yaml);
            var ours = JsonNode.Parse(cluster.Kubectl("create", "--dry-run=client", "-o", "json", "-f", file).AssertSuccess().Output)!;
            File.Delete(file);

            Assert.Equal("Service", (string?)ours["kind"]);
            Assert.Equal((string?)theirs["metadata"]!["name"], (string?)ours["metadata"]!["name"]);
            Assert.True(JsonNode.DeepEquals(theirs["metadata"]!["labels"], ours["metadata"]!["labels"]), "labels differ");
            Assert.True(JsonNode.DeepEquals(theirs["spec"]!["selector"], ours["spec"]!["selector"]), "selector differs");
            // kubectl leaves type unset for ClusterIP (the server defaults it); ours says it.
            Assert.Equal((string?)theirs["spec"]!["type"] ?? "ClusterIP", (string?)ours["spec"]!["type"]);
            string Ports(JsonNode svc) => string.Join(",", svc["spec"]!["ports"]!.AsArray().Select(p => $"{p!["port"]}->{p["targetPort"]}/{p["protocol"]}"));
            Assert.Equal(Ports(theirs), Ports(ours));
            // The deliberate difference: kubectl names ports port-1, port-2; ours keeps the container's names.
            Assert.Equal(["port-1", "port-2"], theirs["spec"]!["ports"]!.AsArray().Select(p => (string?)p!["name"]));
            Assert.Equal(["http", "port-8443"], ours["spec"]!["ports"]!.AsArray().Select(p => (string?)p!["name"]));

            // Nothing was sent.
            Assert.Equal(1, cluster.Kubectl("-n", ns, "get", "svc", "web").ExitCode);
        }
        finally
        {
            Cleanup(ns);
        }
    }

    [SkippableFact]
    public void NodePort_is_reachable_from_outside_and_a_second_run_changes_nothing()
    {
        cluster.Require();
        var ns = cluster.NewNamespace("kx-expose-np");
        try
        {
            cluster.DeployWeb(ns, "web");
            var nodePort = FreeNodePort(cluster);
            using var host = cluster.NewModuleHost();
            var first = Single(Expose(host, $"deploy/web -Namespace {ns} -Type NodePort -NodePort {nodePort} -Wait -Verify -TimeoutSec 90"));
            Assert.Equal(true, Prop(first, "Created"));
            Assert.Equal(true, Prop(first, "Applied"));
            // -Verify connected to the node port from this machine (the node's host).
            var probes = Items(first, "Verification");
            Assert.Contains(probes, p => (bool)Prop(p, "Success")! && Prop(p, "Target")!.ToString() == $"{NodeExternalIp}:{nodePort}");
            Assert.Equal("NodePort", Prop(first, "Type"));
            Assert.Equal("KubeExpose.Exposure", first.TypeNames[0]);
            var routes = ((System.Collections.IEnumerable)Prop(first, "Routes")!).Cast<object>().Select(PSObject.AsPSObject).ToList();
            Assert.Contains(routes, r => Prop(r, "Kind")!.ToString() == "NodePort" && Prop(r, "Address")!.ToString() == NodeExternalIp
                && (int?)Prop(r, "Port") == nodePort && Prop(r, "Status")!.ToString() == "Ready");

            var service = Json(ns, "get", "svc", "web", "--show-managed-fields");
            Assert.Equal(nodePort, (int)service["spec"]!["ports"]![0]!["nodePort"]!);
            Assert.Contains(service["metadata"]!["managedFields"]!.AsArray(), m => (string?)m!["manager"] == "kubeexpose" && (string?)m["operation"] == "Apply");
            var version = (string?)service["metadata"]!["resourceVersion"];

            AssertOutsideReaches($"http://{NodeExternalIp}:{nodePort}/", "kubeexpose web");

            var second = Single(Expose(host, $"deploy/web -Namespace {ns} -Type NodePort -NodePort {nodePort}"));
            Assert.Equal(true, Prop(second, "Unchanged"));
            Assert.Equal(false, Prop(second, "Changed"));
            Assert.Equal(version, (string?)Json(ns, "get", "svc", "web")["metadata"]!["resourceVersion"]);

            // A changed command updates in place.
            var third = Single(Expose(host, $"deploy/web -Namespace {ns} -Type NodePort -NodePort {nodePort} -SessionAffinity ClientIP"));
            Assert.Equal(true, Prop(third, "Changed"));
            Assert.Equal(false, Prop(third, "Created"));
            Assert.Equal("ClientIP", (string?)Json(ns, "get", "svc", "web")["spec"]!["sessionAffinity"]);

            // The same node port for another Service is refused before anything is sent.
            var taken = Expose(host, $"deploy/web -Namespace {ns} -ServiceName web2 -Type NodePort -NodePort {nodePort}");
            var error = Assert.Single(taken.Errors);
            Assert.StartsWith("NodePortInUse", error.FullyQualifiedErrorId);
            Assert.Equal(1, cluster.Kubectl("-n", ns, "get", "svc", "web2").ExitCode);
        }
        finally
        {
            Cleanup(ns);
        }
    }

    [SkippableFact]
    public void Every_workload_kind_is_exposed_and_reached_from_outside()
    {
        cluster.Require();
        var ns = cluster.NewNamespace("kx-expose-kinds");
        try
        {
            const string Container = """
                      terminationGracePeriodSeconds: 1
                      containers:
                      - name: web
                        image: kubeexpose.local/web:1
                        imagePullPolicy: Never
                        ports:
                        - {name: http, containerPort: 80}
                """;
            cluster.ApplyYaml($"""
                apiVersion: apps/v1
                kind: StatefulSet
                metadata: {"{"}name: db, namespace: {ns}{"}"}
                spec:
                  serviceName: db
                  replicas: 1
                  selector:
                    matchExpressions:
                    - {"{"}key: app, operator: In, values: [db]{"}"}
                  template:
                    metadata: {"{"}labels: {"{"}app: db{"}"}{"}"}
                    spec:
                {Container}
                ---
                apiVersion: apps/v1
                kind: DaemonSet
                metadata: {"{"}name: agent, namespace: {ns}{"}"}
                spec:
                  selector: {"{"}matchLabels: {"{"}app: agent{"}"}{"}"}
                  template:
                    metadata: {"{"}labels: {"{"}app: agent{"}"}{"}"}
                    spec:
                {Container}
                ---
                apiVersion: apps/v1
                kind: ReplicaSet
                metadata: {"{"}name: rs, namespace: {ns}{"}"}
                spec:
                  replicas: 1
                  selector: {"{"}matchLabels: {"{"}app: rs{"}"}{"}"}
                  template:
                    metadata: {"{"}labels: {"{"}app: rs{"}"}{"}"}
                    spec:
                {Container}
                ---
                apiVersion: v1
                kind: ReplicationController
                metadata: {"{"}name: rc, namespace: {ns}{"}"}
                spec:
                  replicas: 1
                  selector: {"{"}app: rc{"}"}
                  template:
                    metadata: {"{"}labels: {"{"}app: rc{"}"}{"}"}
                    spec:
                {Container}
                ---
                apiVersion: batch/v1
                kind: Job
                metadata: {"{"}name: job, namespace: {ns}{"}"}
                spec:
                  template:
                    metadata: {"{"}labels: {"{"}app: job{"}"}{"}"}
                    spec:
                      restartPolicy: Never
                {Container}
                ---
                apiVersion: v1
                kind: Pod
                metadata: {"{"}name: solo, namespace: {ns}, labels: {"{"}app: solo{"}"}{"}"}
                spec:
                {Container.Replace("      ", "  ")}
                """);
            cluster.DeployWeb(ns, "web");
            foreach (var app in new[] { "db", "agent", "rs", "rc", "job", "solo" })
            {
                cluster.WaitForPods(ns, $"app={app}", 1);
            }

            using var host = cluster.NewModuleHost();
            foreach (var target in new[] { "sts/db", "ds/agent", "rs/rs", "rc/rc", "job/job", "pod/solo", "svc/web" })
            {
                var name = target.Split('/')[1];
                var serviceName = target == "svc/web" ? "web-again" : name;
                if (target == "svc/web")
                {
                    cluster.Kubectl("-n", ns, "expose", "deploy/web").AssertSuccess();
                }

                var nodePort = FreeNodePort(cluster);
                var result = Single(Expose(host, $"{target} -Namespace {ns} -ServiceName {serviceName} -Type NodePort -NodePort {nodePort} -Wait -TimeoutSec 90"));
                Assert.Equal(true, Prop(result, "Created"));
                AssertOutsideReaches($"http://{NodeExternalIp}:{nodePort}/", "kubeexpose web");
            }

            // Headless for the StatefulSet: no ClusterIP, endpoints per pod.
            var headless = Single(Expose(host, $"sts/db -Namespace {ns} -ServiceName db-headless -Type Headless -Wait -TimeoutSec 60"));
            Assert.Equal("Headless", Prop(headless, "Type"));
            Assert.Equal("None", (string?)Json(ns, "get", "svc", "db-headless")["spec"]!["clusterIP"]);
        }
        finally
        {
            Cleanup(ns);
        }
    }

    [SkippableFact]
    public void ExternalName_and_several_external_ips()
    {
        cluster.Require();
        var ns = cluster.NewNamespace("kx-expose-ext");
        try
        {
            cluster.DeployWeb(ns, "web");
            using var host = cluster.NewModuleHost();
            Single(Expose(host, $"deploy/web -Namespace {ns} -ServiceName alias -Type ExternalName -ExternalName web.example.test"));
            var alias = Json(ns, "get", "svc", "alias");
            Assert.Equal("ExternalName", (string?)alias["spec"]!["type"]);
            Assert.Equal("web.example.test", (string?)alias["spec"]!["externalName"]);

            // externalIPs: the node's ExternalIP (which kube-proxy answers on) and a second, unused pool address.
            var port = new Random().Next(18100, 18900);
            Single(Expose(host, $"deploy/web -Namespace {ns} -Port {port} -TargetPort 80 -ExternalIP {NodeExternalIp},10.214.0.250 -Wait -TimeoutSec 60"));
            Assert.Equal([NodeExternalIp, "10.214.0.250"], Json(ns, "get", "svc", "web")["spec"]!["externalIPs"]!.AsArray().Select(n => (string?)n));
            AssertOutsideReaches($"http://{NodeExternalIp}:{port}/", "kubeexpose web");
        }
        finally
        {
            Cleanup(ns);
        }
    }

    [SkippableFact]
    public void Ingress_with_host_path_and_tls_is_reachable_through_the_node_nginx()
    {
        cluster.Require();
        var ns = cluster.NewNamespace("kx-expose-ing");
        try
        {
            cluster.DeployWeb(ns, "web");
            var dir = Directory.CreateTempSubdirectory().FullName;
            var hostName = $"{ns}.example.test";
            ClusterFixture.Run("openssl", ["req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1", "-subj", $"/CN={hostName}",
                "-keyout", Path.Combine(dir, "tls.key"), "-out", Path.Combine(dir, "tls.crt")], TimeSpan.FromSeconds(60)).AssertSuccess();
            cluster.Kubectl("-n", ns, "create", "secret", "tls", "web-tls", "--cert", Path.Combine(dir, "tls.crt"), "--key", Path.Combine(dir, "tls.key")).AssertSuccess();
            cluster.Kubectl("-n", ns, "create", "secret", "generic", "not-tls", "--from-literal=a=b").AssertSuccess();

            using var host = cluster.NewModuleHost();
            var result = Single(Expose(host, $"deploy/web -Namespace {ns} -Ingress -IngressHost {hostName} -IngressPath /shop -TlsSecret web-tls -Wait -TimeoutSec 90"));
            Assert.Equal("Ingress", Prop(result, "Method"));
            Assert.Equal("web", Prop(result, "Ingress"));
            var ingress = Json(ns, "get", "ingress", "web");
            Assert.Equal(cluster.IngressClass, (string?)ingress["spec"]!["ingressClassName"]);

            AssertOutsideReaches($"http://{NodeExternalIp}/shop/cart", "path=/shop/cart", "-H", $"Host: {hostName}");
            AssertOutsideReaches($"https://{hostName}/shop", "kubeexpose web", "-k", "--resolve", $"{hostName}:443:{NodeExternalIp}");

            // Idempotent for the Ingress too (its status address does not count as a change).
            var ingressVersion = (string?)Json(ns, "get", "ingress", "web")["metadata"]!["resourceVersion"];
            var again = Single(Expose(host, $"deploy/web -Namespace {ns} -Ingress -IngressHost {hostName} -IngressPath /shop -TlsSecret web-tls"));
            Assert.Equal(true, Prop(again, "Unchanged"));
            Assert.Equal(ingressVersion, (string?)Json(ns, "get", "ingress", "web")["metadata"]!["resourceVersion"]);

            var wrongType = Expose(host, $"deploy/web -Namespace {ns} -ServiceName web2 -Ingress -TlsSecret not-tls");
            Assert.StartsWith("TlsSecretWrongType", Assert.Single(wrongType.Errors).FullyQualifiedErrorId);
            var missing = Expose(host, $"deploy/web -Namespace {ns} -ServiceName web3 -Ingress -TlsSecret nope");
            var error = Assert.Single(missing.Errors);
            Assert.StartsWith("TlsSecretNotFound", error.FullyQualifiedErrorId);
            Assert.Equal(ErrorCategory.ObjectNotFound, error.CategoryInfo.Category);
            Assert.Equal(["web"], ServiceNames(ns));
        }
        finally
        {
            Cleanup(ns);
        }
    }

    [SkippableFact]
    public void External_picks_load_balancer_with_the_controller_on_and_ingress_or_node_port_without_one()
    {
        cluster.Require();
        var ns = cluster.NewNamespace("kx-expose-lb");
        try
        {
            cluster.DeployWeb(ns, "web");
            cluster.SetLoadBalancerProvisioning(true);
            using var host = cluster.NewModuleHost();

            // Evidence first: a LoadBalancer Service that gets an address.
            cluster.Kubectl("-n", ns, "create", "service", "loadbalancer", "lb-probe", "--tcp=80:80").AssertSuccess();
            ClusterFixture.WaitFor(() => cluster.Kubectl("-n", ns, "get", "svc", "lb-probe", "-o", "jsonpath={.status.loadBalancer.ingress[0].ip}").Output.Length > 0,
                TimeSpan.FromSeconds(60), "lb-probe to get an address");
            var lb = Single(Expose(host, $"deploy/web -Namespace {ns} -External -Wait -TimeoutSec 90"));
            Assert.Equal("LoadBalancer", Prop(lb, "Method"));
            Assert.Contains("has an address", (string)Prop(lb, "Reason")!);
            var address = cluster.Kubectl("-n", ns, "get", "svc", "web", "-o", "jsonpath={.status.loadBalancer.ingress[0].ip}").AssertSuccess().Output;
            AssertOutsideReaches($"http://{address}/", "kubeexpose web");
            cluster.Kubectl("-n", ns, "delete", "svc", "web", "lb-probe").AssertSuccess();

            cluster.SetLoadBalancerProvisioning(false);
            try
            {
                var others = cluster.Kubectl("get", "svc", "-A", "-o",
                    "jsonpath={range .items[?(@.spec.type==\"LoadBalancer\")]}{.metadata.namespace}/{.metadata.name}={.status.loadBalancer.ingress[0].ip}{\"\\n\"}{end}")
                    .AssertSuccess().Output.Split('\n', StringSplitOptions.RemoveEmptyEntries).Where(l => !l.EndsWith('=')).ToList();
                var result = Single(Expose(host, $"deploy/web -Namespace {ns} -External -IngressHost {ns}.example.test -Wait -TimeoutSec 90"));
                if (others.Count > 0)
                {
                    // Another test's load balancer still has its address: that is the cluster's evidence and must be named.
                    Assert.Equal("LoadBalancer", Prop(result, "Method"));
                }
                else
                {
                    Assert.Equal("Ingress", Prop(result, "Method"));
                    Assert.Contains(cluster.IngressClass, (string)Prop(result, "Reason")!);
                    AssertOutsideReaches($"http://{NodeExternalIp}/", "kubeexpose web", "-H", $"Host: {ns}.example.test");

                    // A port that is not HTTP cannot go through an Ingress: NodePort.
                    cluster.ApplyYaml($$$"""
                        apiVersion: apps/v1
                        kind: Deployment
                        metadata: {name: db, namespace: {{{ns}}}}
                        spec:
                          replicas: 0
                          selector: {matchLabels: {app: db}}
                          template:
                            metadata: {labels: {app: db}}
                            spec:
                              containers:
                              - {name: db, image: kubeexpose.local/web:1, imagePullPolicy: Never, ports: [{name: sql, containerPort: 5432}]}
                        """);
                    var tcp = Single(Expose(host, $"deploy/db -Namespace {ns} -External"));
                    Assert.Equal("NodePort", Prop(tcp, "Method"));
                    Assert.Contains("no port looks like HTTP", (string)Prop(tcp, "Reason")!);

                    // With nothing provisioning load balancers, -Wait reports the Pending route as a timeout and still returns the result.
                    var pending = Expose(host, $"deploy/web -Namespace {ns} -ServiceName pending -Type LoadBalancer -Wait -TimeoutSec 5");
                    var timeout = Assert.Single(pending.Errors);
                    Assert.StartsWith("RoutesNotReady", timeout.FullyQualifiedErrorId);
                    Assert.Equal(ErrorCategory.OperationTimeout, timeout.CategoryInfo.Category);
                    Assert.Contains("LoadBalancer", timeout.Exception.Message);
                    Assert.Equal("LoadBalancer", Prop(Assert.Single(pending.Output), "Type"));
                }
            }
            finally
            {
                cluster.SetLoadBalancerProvisioning(true);
            }
        }
        finally
        {
            Cleanup(ns);
        }
    }

    [SkippableFact]
    public void HostPort_rolls_the_workload_and_answers_on_the_node()
    {
        cluster.Require();
        var ns = cluster.NewNamespace("kx-expose-hp");
        try
        {
            cluster.DeployWeb(ns, "web");
            var port = new Random().Next(19000, 19900);
            using var host = cluster.NewModuleHost();
            var result = host.Run($"Expose-Workload deploy/web -Namespace {ns} -Port {port} -TargetPort 80 -HostPort -Force");
            var exposure = Single(result);
            Assert.Contains(result.Warnings, w => w.Contains("rescheduled"));
            Assert.Contains("deployment/web", ((System.Collections.IEnumerable)Prop(exposure, "Changes")!).Cast<object>().Select(o => o.ToString()).Last());
            var hostPort = Json(ns, "get", "deploy", "web")["spec"]!["template"]!["spec"]!["containers"]![0]!["ports"]![0]!["hostPort"];
            Assert.Equal(port, (int)hostPort!);
            cluster.WaitForPods(ns, "app=web", 1);
            AssertOutsideReaches($"http://{NodeExternalIp}:{port}/", "kubeexpose web");
        }
        finally
        {
            Cleanup(ns);
        }
    }

    [SkippableFact]
    public void Conflict_with_another_field_manager_is_an_error_unless_Force()
    {
        cluster.Require();
        var ns = cluster.NewNamespace("kx-expose-conf");
        try
        {
            cluster.DeployWeb(ns, "web");
            cluster.Kubectl("-n", ns, "expose", "deploy/web", "--port", "80", "--target-port", "80").AssertSuccess();
            using var host = cluster.NewModuleHost();
            var conflict = Expose(host, $"deploy/web -Namespace {ns} -Port 80 -TargetPort 8080");
            var error = Assert.Single(conflict.Errors);
            Assert.StartsWith("FieldManagerConflict", error.FullyQualifiedErrorId);
            Assert.Equal(ErrorCategory.ResourceExists, error.CategoryInfo.Category);
            Assert.Contains("-Force", error.Exception.Message);
            Assert.Equal("80", cluster.Kubectl("-n", ns, "get", "svc", "web", "-o", "jsonpath={.spec.ports[0].targetPort}").Output);

            var forced = Single(Expose(host, $"deploy/web -Namespace {ns} -Port 80 -TargetPort 8080 -Force"));
            Assert.Equal(true, Prop(forced, "Changed"));
            Assert.Equal("8080", cluster.Kubectl("-n", ns, "get", "svc", "web", "-o", "jsonpath={.spec.ports[0].targetPort}").Output);
        }
        finally
        {
            Cleanup(ns);
        }
    }

    [SkippableFact]
    public void Forbidden_ingress_rolls_back_the_service_this_call_created()
    {
        cluster.Require();
        var ns = cluster.NewNamespace("kx-expose-rb");
        try
        {
            cluster.DeployWeb(ns, "web");
            var kubeconfig = ServiceAccountKubeConfig(ns, "services-only", """
                rules:
                - {apiGroups: [""], resources: [services], verbs: [get, list, create, patch, delete]}
                - {apiGroups: [apps], resources: [deployments], verbs: [get]}
                """);
            using var host = cluster.NewModuleHost();
            var result = Expose(host, $"deploy/web -Namespace {ns} -Ingress -IngressClass {cluster.IngressClass} -KubeConfig '{kubeconfig}'");
            var error = Assert.Single(result.Errors);
            Assert.Empty(result.Output);
            Assert.StartsWith("Forbidden", error.FullyQualifiedErrorId);
            Assert.Equal(ErrorCategory.PermissionDenied, error.CategoryInfo.Category);
            Assert.Contains("ingresses.networking.k8s.io", error.Exception.Message);
            Assert.True(error.Exception.Message.Contains("Rolled back: deleted service/web"), error.Exception.Message);
            Assert.Empty(ServiceNames(ns));
            File.Delete(kubeconfig);
        }
        finally
        {
            Cleanup(ns);
        }
    }

    [SkippableFact]
    public void Viewer_gets_a_permission_error_naming_the_fix_and_bad_input_leaves_nothing()
    {
        cluster.Require();
        var ns = cluster.NewNamespace("kx-expose-rbac");
        try
        {
            cluster.DeployWeb(ns, "web");
            using var host = cluster.NewModuleHost();
            var viewer = Expose(host, $"deploy/web -Namespace {ns} -KubeConfig '{cluster.ViewerKubeConfig}'");
            var error = Assert.Single(viewer.Errors);
            Assert.StartsWith("Forbidden", error.FullyQualifiedErrorId);
            Assert.Equal(ErrorCategory.PermissionDenied, error.CategoryInfo.Category);
            Assert.Contains("kubectl create role", error.Exception.Message);
            Assert.Contains("Nothing was created", error.Exception.Message);

            var unknown = Assert.Single(Expose(host, $"deploy/nope -Namespace {ns}").Errors);
            Assert.StartsWith("WorkloadNotFound", unknown.FullyQualifiedErrorId);
            Assert.Equal(ErrorCategory.ObjectNotFound, unknown.CategoryInfo.Category);
            Assert.Contains($"kubectl get deployments -n {ns}", unknown.Exception.Message);

            Assert.StartsWith("InvalidServiceName", Assert.Single(Expose(host, $"deploy/web -Namespace {ns} -ServiceName Web_1").Errors).FullyQualifiedErrorId);
            Assert.StartsWith("NodePortOutOfRange", Assert.Single(Expose(host, $"deploy/web -Namespace {ns} -Type NodePort -NodePort 8080").Errors).FullyQualifiedErrorId);
            Assert.StartsWith("IngressNeedsTcp", Assert.Single(Expose(host, $"deploy/web -Namespace {ns} -Port 53 -Protocol UDP -Ingress").Errors).FullyQualifiedErrorId);

            // -WhatIf sends nothing.
            host.Run($"Expose-Workload deploy/web -Namespace {ns} -WhatIf").AssertSuccess();
            Assert.Empty(ServiceNames(ns));
        }
        finally
        {
            Cleanup(ns);
        }
    }

    [SkippableFact]
    public void Exposure_pipes_to_Test_Endpoint_and_Verify_proves_the_node_port_and_the_API_server_proxy()
    {
        cluster.Require();
        var ns = cluster.NewNamespace("kx-expose-verify");
        try
        {
            cluster.DeployWeb(ns, "web");
            using var host = cluster.NewModuleHost();

            // Issue 6's spelling (-TimeoutSeconds) binds to -TimeoutSec.
            var exposed = host.Run($"$global:exposure = Expose-Workload deploy/web -Namespace {ns} -Type NodePort -Wait -TimeoutSeconds 90; $exposure").AssertSuccess();
            var exposure = Assert.Single(exposed.Output);
            Assert.Equal("KubeExpose.Exposure", exposure.TypeNames[0]);
            Assert.Equal(true, Prop(exposure, "Applied"));
            Assert.Equal("None", Prop(exposure, "DryRun"));
            Assert.Empty(Items(exposure, "Verification"));
            var nodePort = (int)Json(ns, "get", "svc", "web")["spec"]!["ports"]![0]!["nodePort"]!;

            // Test-Endpoint reads the real object's Routes: External routes from here, the Operator route through the
            // API server, Pod and Node routes skipped.
            var piped = host.Run("$exposure | Test-Endpoint -RetryCount 20 -RetryIntervalSec 1 -TimeoutSec 5");
            Assert.Null(piped.Exception);
            Assert.Empty(piped.Errors);
            var results = piped.Output.ToList();
            var external = results.Where(r => RouteOf(r, "Vantage") == "External").ToList();
            Assert.NotEmpty(external);
            Assert.All(external, r => Assert.True((bool)Prop(r, "Success")!, $"{Prop(r, "Target")}: {Prop(r, "Error")}"));
            Assert.Contains(external, r => Prop(r, "Target")!.ToString() == $"{NodeExternalIp}:{nodePort}");
            var proxy = Assert.Single(results, r => RouteOf(r, "Kind") == "ApiServerProxy");
            Assert.True((bool)Prop(proxy, "Success")!, Prop(proxy, "Error")?.ToString());
            Assert.Equal("ApiServer", Prop(proxy, "Through"));
            Assert.All(results.Where(r => RouteOf(r, "Vantage") is "Pod" or "Node"), r => Assert.True((bool)Prop(r, "Skipped")!));

            // -Verify on the same command: nothing changes, and the same engine reports the External and Operator routes.
            var verified = host.Run($"Expose-Workload deploy/web -Namespace {ns} -Type NodePort -Verify -TimeoutSec 60");
            var result = Single(verified);
            Assert.Empty(verified.Errors);
            Assert.Equal(true, Prop(result, "Unchanged"));
            var probes = Items(result, "Verification");
            Assert.All(probes, p => Assert.Contains(RouteOf(p, "Vantage"), new[] { "External", "Operator" }));
            var nodePortProbe = Assert.Single(probes, p => Prop(p, "Target")!.ToString() == $"{NodeExternalIp}:{nodePort}");
            Assert.True((bool)Prop(nodePortProbe, "Success")!, Prop(nodePortProbe, "Error")?.ToString());
            Assert.Equal("TCP", Prop(nodePortProbe, "Protocol"));
            var proxyProbe = Assert.Single(probes, p => RouteOf(p, "Kind") == "ApiServerProxy");
            Assert.True((bool)Prop(proxyProbe, "Success")!, Prop(proxyProbe, "Error")?.ToString());
            Assert.Equal("ApiServer", Prop(proxyProbe, "Through"));
            Assert.Equal(200, Prop(proxyProbe, "StatusCode"));
            Assert.Equal($"/api/v1/namespaces/{ns}/services/web:http/proxy/", Prop(proxyProbe, "Target"));
        }
        finally
        {
            Cleanup(ns);
        }
    }

    [SkippableFact]
    public void Verify_reports_a_route_that_cannot_work_as_failed_and_a_UDP_port_as_skipped()
    {
        cluster.Require();
        var ns = cluster.NewNamespace("kx-expose-vfail");
        try
        {
            cluster.DeployWeb(ns, "web", extraPorts: "\n        - {name: dns, containerPort: 53, protocol: UDP}");
            using var host = cluster.NewModuleHost();

            // The pods are Ready (no readiness probe), so the API calls every route Ready; but nothing listens on 8081.
            var run = host.Run($"Expose-Workload deploy/web -Namespace {ns} -Type NodePort -TargetPort 8081,53 -Verify -TimeoutSec 10");
            Assert.Null(run.Exception);
            var result = Assert.Single(run.Output);
            Assert.Equal(true, Prop(result, "Applied"));
            var service = Json(ns, "get", "svc", "web");
            var tcpNodePort = (int)service["spec"]!["ports"]!.AsArray().Single(p => (string?)p!["protocol"] == "TCP")!["nodePort"]!;

            var probes = Items(result, "Verification");
            var nodePortProbe = Assert.Single(probes, p => Prop(p, "Target")!.ToString() == $"{NodeExternalIp}:{tcpNodePort}");
            Assert.False((bool)Prop(nodePortProbe, "Success")!);
            Assert.False((bool)Prop(nodePortProbe, "Skipped")!);
            Assert.Equal("ConnectionRefused", Prop(nodePortProbe, "FailureKind")!.ToString());

            var proxyProbe = Assert.Single(probes, p => RouteOf(p, "Kind") == "ApiServerProxy");
            Assert.False((bool)Prop(proxyProbe, "Success")!);
            Assert.Equal("ApiServer", Prop(proxyProbe, "Through"));
            Assert.True((int)Prop(proxyProbe, "StatusCode")! >= 500, $"status {Prop(proxyProbe, "StatusCode")}: {Prop(proxyProbe, "Error")}");

            var udp = probes.Where(p => RouteOf(p, "Protocol") == "UDP").ToList();
            Assert.NotEmpty(udp);
            Assert.All(udp, p =>
            {
                Assert.True((bool)Prop(p, "Skipped")!);
                Assert.Contains("UDP ports cannot be probed", Prop(p, "SkipReason")!.ToString());
            });

            // Each failed route is also a non-terminating error naming it; skipped routes are not errors.
            var failed = probes.Where(p => !(bool)Prop(p, "Success")! && !(bool)Prop(p, "Skipped")!).Select(p => Prop(p, "Target")!.ToString()).ToList();
            Assert.Equal(failed.Order(), run.Errors.Select(e => e.TargetObject?.ToString()).Order());
            Assert.All(run.Errors, e =>
            {
                Assert.StartsWith("RouteVerificationFailed", e.FullyQualifiedErrorId);
                Assert.Contains($"service/web in namespace {ns}", e.Exception.Message);
            });
        }
        finally
        {
            Cleanup(ns);
        }
    }

    [SkippableFact]
    public void DryRun_server_validates_without_saving()
    {
        cluster.Require();
        var ns = cluster.NewNamespace("kx-expose-sdry");
        try
        {
            cluster.DeployWeb(ns, "web");
            using var host = cluster.NewModuleHost();
            var result = Single(Expose(host, $"deploy/web -Namespace {ns} -Type NodePort -DryRun Server"));
            Assert.Equal("Server", Prop(result, "DryRun"));
            var yaml = (string)Prop(result, "Yaml")!;
            // Only the server sets uid and creationTimestamp: this came back from the API server, not from the client.
            Assert.True(yaml.Contains("uid:") && yaml.Contains("creationTimestamp:"), yaml);
            Assert.Contains("type: NodePort", yaml);
            Assert.Empty(ServiceNames(ns));

            // A pipeline object (kubectl's JSON shape: kind + metadata) names the workload and its namespace.
            var piped = host.Run($"[pscustomobject]@{{ kind = 'Deployment'; metadata = [pscustomobject]@{{ name = 'web'; namespace = '{ns}' }} }} | Expose-Workload -DryRun Client -AsYaml").AssertSuccess();
            var pipedYaml = string.Concat(piped.Output.Select(o => o.ToString()));
            Assert.Contains($"namespace: {ns}", pipedYaml);
            Assert.Contains("app: web", pipedYaml);
        }
        finally
        {
            Cleanup(ns);
        }
    }

    private string[] ServiceNames(string ns) =>
        cluster.Kubectl("-n", ns, "get", "svc", "-o", "jsonpath={.items[*].metadata.name}").AssertSuccess().Output
            .Split(' ', StringSplitOptions.RemoveEmptyEntries);

    /// <summary>A kubeconfig for a ServiceAccount bound to a Role with the given rules in the namespace.</summary>
    private string ServiceAccountKubeConfig(string ns, string name, string rules)
    {
        cluster.ApplyYaml($"""
            apiVersion: v1
            kind: ServiceAccount
            metadata: {"{"}name: {name}, namespace: {ns}{"}"}
            ---
            apiVersion: rbac.authorization.k8s.io/v1
            kind: Role
            metadata: {"{"}name: {name}, namespace: {ns}{"}"}
            {rules}
            ---
            apiVersion: rbac.authorization.k8s.io/v1
            kind: RoleBinding
            metadata: {"{"}name: {name}, namespace: {ns}{"}"}
            roleRef: {"{"}apiGroup: rbac.authorization.k8s.io, kind: Role, name: {name}{"}"}
            subjects:
            - {"{"}kind: ServiceAccount, name: {name}, namespace: {ns}{"}"}
            """);
        string secret = "";
        ClusterFixture.WaitFor(() =>
        {
            secret = cluster.Kubectl("-n", ns, "get", "serviceaccount", name, "-o", "jsonpath={.secrets[0].name}").Output;
            return secret.Length > 0;
        }, TimeSpan.FromSeconds(60), $"the token Secret of serviceaccount {name}");
        var token = System.Text.Encoding.UTF8.GetString(Convert.FromBase64String(
            cluster.Kubectl("-n", ns, "get", "secret", secret, "-o", "jsonpath={.data.token}").AssertSuccess().Output));
        var file = Path.Combine(Path.GetTempPath(), $"kx-{ns}-{name}.kubeconfig");
        var server = cluster.Environment.GetValueOrDefault("KX_API_SERVER", "https://127.0.0.1:16443");
        File.WriteAllText(file, $"""
            apiVersion: v1
            kind: Config
            clusters:
            - name: kx
              cluster: {"{"}server: "{server}", insecure-skip-tls-verify: true{"}"}
            users:
            - name: {name}
              user: {"{"}token: "{token}"{"}"}
            contexts:
            - name: {name}
              context: {"{"}cluster: kx, user: {name}, namespace: {ns}{"}"}
            current-context: {name}
            """);
        return file;
    }
}
