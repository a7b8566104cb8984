using k8s;
using k8s.Models;
using KubeExpose.Core.Exposure;
using Xunit;

namespace KubeExpose.Core.Tests.Exposure;

/// <summary>ModelYaml stands in for KubernetesYaml.Serialize to save start-up time; its output must be the same.</summary>
public sealed class ModelYamlTests
{
    public static TheoryData<object> Objects() => new()
    {
        new V1Service
        {
            ApiVersion = "v1",
            Kind = "Service",
            Metadata = new V1ObjectMeta
            {
                Name = "web", NamespaceProperty = "ns",
                Labels = new Dictionary<string, string> { ["app"] = "web", ["flag"] = "true", ["n"] = "80", ["empty"] = "" },
                Annotations = new Dictionary<string, string> { ["note"] = "a: b", ["multi"] = "x\ny" },
            },
            Spec = new V1ServiceSpec
            {
                Type = "NodePort",
                Selector = new Dictionary<string, string> { ["app"] = "web" },
                Ports =
                [
                    new V1ServicePort { Name = "http", Port = 80, TargetPort = 8080, Protocol = "TCP", NodePort = 30080 },
                    new V1ServicePort { Name = "named", Port = 443, TargetPort = "https", Protocol = "TCP" },
                ],
                ExternalIPs = ["10.0.0.1"],
                SessionAffinity = "ClientIP",
                SessionAffinityConfig = new V1SessionAffinityConfig { ClientIP = new V1ClientIPConfig { TimeoutSeconds = 600 } },
                ClusterIP = "None",
                PublishNotReadyAddresses = false,
            },
        },
        new V1Ingress
        {
            ApiVersion = "networking.k8s.io/v1",
            Kind = "Ingress",
            Metadata = new V1ObjectMeta { Name = "web", NamespaceProperty = "ns" },
            Spec = new V1IngressSpec
            {
                IngressClassName = "nginx",
                Tls = [new V1IngressTLS { Hosts = ["web.example"], SecretName = "tls" }],
                Rules =
                [
                    new V1IngressRule
                    {
                        Host = "web.example",
                        Http = new V1HTTPIngressRuleValue
                        {
                            Paths =
                            [
                                new V1HTTPIngressPath
                                {
                                    Path = "/", PathType = "Prefix",
                                    Backend = new V1IngressBackend { Service = new V1IngressServiceBackend { Name = "web", Port = new V1ServiceBackendPort { Number = 80 } } },
                                },
                            ],
                        },
                    },
                ],
            },
        },
        new V1Deployment
        {
            ApiVersion = "apps/v1",
            Kind = "Deployment",
            Metadata = new V1ObjectMeta { Name = "web" },
            Spec = new V1DeploymentSpec
            {
                Selector = new V1LabelSelector { MatchLabels = new Dictionary<string, string> { ["app"] = "web" } },
                Template = new V1PodTemplateSpec
                {
                    Spec = new V1PodSpec
                    {
                        Containers =
                        [
                            new V1Container
                            {
                                Name = "web", Image = "web:1",
                                Ports = [new V1ContainerPort { ContainerPort = 80, HostPort = 8080 }],
                                Resources = new V1ResourceRequirements { Limits = new Dictionary<string, ResourceQuantity> { ["cpu"] = new("500m") } },
                            },
                        ],
                    },
                },
            },
        },
        new V1Secret { ApiVersion = "v1", Kind = "Secret", Data = new Dictionary<string, byte[]> { ["k"] = "v"u8.ToArray() } },
    };

    [Theory]
    [MemberData(nameof(Objects))]
    public void Writes_what_KubernetesYaml_writes(object value)
    {
        // ManifestYaml ends every document with exactly one line break itself; the rest must match to the character.
        Assert.Equal(KubernetesYaml.Serialize(value).TrimEnd('\n'), ModelYaml.Serialize(value).TrimEnd('\n'));
    }
}
