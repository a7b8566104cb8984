using k8s.Models;
using KubeExpose.Core.Routing;

namespace KubeExpose.Bench;

/// <summary>
/// A generated cluster shaped like a busy real one: Services spread over namespaces, three pods each (one in twenty
/// not ready), a mix of ClusterIP, NodePort, LoadBalancer and headless Services, Ingresses on some of them, a
/// handful of nodes. Deterministic, so runs compare.
/// </summary>
internal static class SyntheticCluster
{
    public static ClusterSnapshot Generate(int services, int podsPerService, int ingresses, int nodes, int namespaces = 20)
    {
        var created = new DateTime(2026, 1, 1, 0, 0, 0, DateTimeKind.Utc);
        var nodeList = Enumerable.Range(0, nodes).Select(n => new V1Node
        {
            Metadata = new V1ObjectMeta { Name = $"node-{n}" },
            Status = new V1NodeStatus
            {
                Addresses = [new V1NodeAddress { Address = $"10.0.{n / 250}.{n % 250 + 1}", Type = "InternalIP" }, new V1NodeAddress { Address = $"203.0.{n / 250}.{n % 250 + 1}", Type = "ExternalIP" }],
                Conditions = [new V1NodeCondition { Status = "True", Type = "Ready" }],
            },
        }).ToList();

        var serviceList = new List<V1Service>(services);
        var pods = new List<V1Pod>(services * podsPerService);
        var groups = new List<EndpointGroup>(services);
        for (var s = 0; s < services; s++)
        {
            var ns = $"ns-{s % namespaces}";
            var name = $"svc-{s}";
            var type = (s % 10) switch { < 6 => "ClusterIP", < 8 => "NodePort", 8 => "LoadBalancer", _ => "ClusterIP" };
            var headless = s % 10 == 9;
            serviceList.Add(new V1Service
            {
                Metadata = new V1ObjectMeta { Name = name, NamespaceProperty = ns, CreationTimestamp = created.AddMinutes(s) },
                Spec = new V1ServiceSpec
                {
                    Type = type,
                    ClusterIP = headless ? "None" : $"10.96.{s / 250 % 250}.{s % 250 + 1}",
                    Selector = new Dictionary<string, string> { ["app"] = name },
                    Ports = [new V1ServicePort { Port = 80, Name = "http", TargetPort = "http", Protocol = "TCP", NodePort = type == "ClusterIP" ? null : 30000 + s % 2700 }],
                },
                Status = type == "LoadBalancer" ? new V1ServiceStatus { LoadBalancer = new V1LoadBalancerStatus { Ingress = [new V1LoadBalancerIngress { Ip = $"198.51.{s / 250 % 250}.{s % 250 + 1}" }] } } : null,
            });

            var addresses = new List<EndpointAddressInfo>();
            for (var p = 0; p < podsPerService; p++)
            {
                var podName = $"{name}-{p}";
                var ip = $"10.{100 + (s * podsPerService + p) / 65536 % 100}.{(s * podsPerService + p) / 256 % 256}.{(s * podsPerService + p) % 256}";
                var ready = (s * podsPerService + p) % 20 != 7;
                var node = $"node-{(s + p) % nodes}";
                pods.Add(new V1Pod
                {
                    Metadata = new V1ObjectMeta
                    {
                        Name = podName, NamespaceProperty = ns, CreationTimestamp = created.AddMinutes(s + p),
                        Labels = new Dictionary<string, string> { ["app"] = name, ["pod-template-hash"] = "abc123" },
                    },
                    Spec = new V1PodSpec
                    {
                        NodeName = node,
                        Containers = [new V1Container { Name = "web", Ports = [new V1ContainerPort { ContainerPort = 8080, Name = "http", Protocol = "TCP" }] }],
                    },
                    Status = new V1PodStatus { Phase = "Running", PodIP = ip, Conditions = [new V1PodCondition { Status = ready ? "True" : "False", Type = "Ready" }] },
                });
                addresses.Add(new EndpointAddressInfo(ip, ready, podName, node, null));
            }

            groups.Add(new EndpointGroup(ns, name, [new EndpointPortInfo("http", 8080, "TCP")], addresses));
        }

        var ingressList = Enumerable.Range(0, ingresses).Select(i => new V1Ingress
        {
            Metadata = new V1ObjectMeta { Name = $"ing-{i}", NamespaceProperty = $"ns-{i % namespaces}" },
            Spec = new V1IngressSpec
            {
                IngressClassName = "nginx",
                Rules = [new V1IngressRule
                {
                    Host = $"app{i}.example.com",
                    Http = new V1HTTPIngressRuleValue
                    {
                        Paths = [new V1HTTPIngressPath
                        {
                            Path = "/",
                            PathType = "Prefix",
                            Backend = new V1IngressBackend { Service = new V1IngressServiceBackend { Name = $"svc-{i * 5 % services}", Port = new V1ServiceBackendPort { Name = "http" } } },
                        }],
                    },
                }],
            },
            Status = new V1IngressStatus { LoadBalancer = new V1IngressLoadBalancerStatus { Ingress = [new V1IngressLoadBalancerIngress { Ip = "203.0.0.1" }] } },
        }).ToList();

        return new ClusterSnapshot
        {
            Services = serviceList,
            Pods = pods,
            Endpoints = groups,
            EndpointSource = "discovery.k8s.io/v1",
            Nodes = nodeList,
            Ingresses = ingressList,
            IngressClasses = [new V1IngressClass { Metadata = new V1ObjectMeta { Name = "nginx" }, Spec = new V1IngressClassSpec { Controller = "k8s.io/ingress-nginx" } }],
        };
    }
}
