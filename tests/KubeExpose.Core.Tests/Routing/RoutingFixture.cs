using System.Text.Json.Nodes;
using k8s;
using k8s.Models;
using KubeExpose.Core.Cluster;
using KubeExpose.Core.Model;
using KubeExpose.Core.Routing;
using YamlDotNet.Serialization;

namespace KubeExpose.Core.Tests.Routing;

/// <summary>The endpoints API a snapshot's endpoints are presented through.</summary>
public enum EndpointsApi
{
    /// <summary>As written in the fixture (v1 or v1beta1 EndpointSlices, or v1 Endpoints).</summary>
    AsWritten,
    /// <summary>Every v1 EndpointSlice of the fixture as discovery.k8s.io/v1.</summary>
    SliceV1,
    /// <summary>Every v1 EndpointSlice rewritten as discovery.k8s.io/v1beta1 JSON, the node in topology, as Kubernetes 1.20 serves it.</summary>
    SliceV1Beta1,
    /// <summary>Every v1 EndpointSlice rewritten as a subset of a v1 Endpoints object.</summary>
    Endpoints,
}

/// <summary>
/// One routing scenario from tests/fixtures/routing/NAME.yaml: Kubernetes objects as kubectl prints them, one per
/// YAML document. A document of kind <c>Unreadable</c> (apiVersion kubeexpose.test/v1) lists kinds the reader could
/// not list, as <c>resources: {nodes: "reason"}</c>.
/// </summary>
public sealed class RoutingFixture
{
    private static readonly IDeserializer Yaml = new DeserializerBuilder().Build();

    private readonly List<V1EndpointSlice> _slices = [];
    private readonly List<JsonNode> _betaSlices = [];
    private readonly List<V1Endpoints> _endpoints = [];
    private readonly List<V1Service> _services = [];
    private readonly List<V1Pod> _pods = [];
    private readonly List<V1Node> _nodes = [];
    private readonly List<V1Ingress> _ingresses = [];
    private readonly List<V1IngressClass> _classes = [];
    private readonly List<SecretInfo> _secrets = [];
    private readonly Dictionary<string, string> _unreadable = [];

    private RoutingFixture(string name) => Name = name;

    public string Name { get; }

    public static string Directory => Path.Combine(AppContext.BaseDirectory, "fixtures", "routing");

    /// <summary>Every fixture file name, for theories that must hold for all scenarios.</summary>
    public static IEnumerable<object[]> All() =>
        System.IO.Directory.GetFiles(Directory, "*.yaml").Select(Path.GetFileName).Order(StringComparer.Ordinal).Select(f => new object[] { f! });

    /// <summary>Whether the fixture's endpoints are v1 EndpointSlices only, so it can be presented through every API.</summary>
    public bool Convertible => _betaSlices.Count == 0 && _endpoints.Count == 0;

    public static RoutingFixture Load(string file)
    {
        var fixture = new RoutingFixture(file);
        var text = File.ReadAllText(Path.Combine(Directory, file));
        foreach (var document in text.Split(["\n---\n", "\n---\r\n"], StringSplitOptions.RemoveEmptyEntries))
        {
            if (string.IsNullOrWhiteSpace(document) || document.Split('\n').All(l => l.TrimStart().StartsWith('#') || l.Trim().Length == 0))
            {
                continue;
            }

            var head = Yaml.Deserialize<Dictionary<string, object>>(document);
            var kind = head["kind"]?.ToString();
            var apiVersion = head["apiVersion"]?.ToString();
            switch ((apiVersion, kind))
            {
                case ("v1", "Service"): fixture._services.Add(KubernetesYaml.Deserialize<V1Service>(document, true)); break;
                case ("v1", "Pod"): fixture._pods.Add(KubernetesYaml.Deserialize<V1Pod>(document, true)); break;
                case ("v1", "Node"): fixture._nodes.Add(KubernetesYaml.Deserialize<V1Node>(document, true)); break;
                case ("v1", "Endpoints"): fixture._endpoints.Add(KubernetesYaml.Deserialize<V1Endpoints>(document, true)); break;
                case ("discovery.k8s.io/v1", "EndpointSlice"): fixture._slices.Add(KubernetesYaml.Deserialize<V1EndpointSlice>(document, true)); break;
                case ("discovery.k8s.io/v1beta1", "EndpointSlice"):
                    // As YAML gives it, scalars as strings: the reader must cope with either.
                    fixture._betaSlices.Add(System.Text.Json.JsonSerializer.SerializeToNode(Yaml.Deserialize<object>(document))!);
                    break;
                case ("networking.k8s.io/v1", "Ingress"): fixture._ingresses.Add(KubernetesYaml.Deserialize<V1Ingress>(document, true)); break;
                case ("networking.k8s.io/v1", "IngressClass"): fixture._classes.Add(KubernetesYaml.Deserialize<V1IngressClass>(document, true)); break;
                case ("v1", "Secret"):
                    var secret = KubernetesYaml.Deserialize<V1Secret>(document, true);
                    fixture._secrets.Add(new SecretInfo(secret.Metadata.NamespaceProperty ?? "default", secret.Metadata.Name, secret.Type ?? "Opaque"));
                    break;
                case ("kubeexpose.test/v1", "Unreadable"):
                    foreach (var (resource, reason) in (Dictionary<object, object>)head["resources"])
                    {
                        fixture._unreadable[resource.ToString()!] = reason.ToString()!;
                    }

                    break;
                default: throw new InvalidDataException($"{file}: unsupported object {apiVersion} {kind}");
            }
        }

        return fixture;
    }

    /// <summary>The snapshot the reader would produce, with the endpoints seen through <paramref name="api"/>.</summary>
    public ClusterSnapshot Snapshot(EndpointsApi api = EndpointsApi.AsWritten)
    {
        if (api != EndpointsApi.AsWritten && !Convertible)
        {
            throw new InvalidOperationException($"{Name} writes its endpoints in another API; it cannot be converted.");
        }

        var (groups, source) = api switch
        {
            EndpointsApi.SliceV1Beta1 => (_slices.Select(ToV1Beta1).Select(EndpointShapes.FromV1Beta1Slice).OfType<EndpointGroup>().ToList(), "discovery.k8s.io/v1beta1"),
            EndpointsApi.Endpoints => (_slices.GroupBy(ServiceOf).Select(g => ToEndpoints(g.Key, g)).SelectMany(EndpointShapes.FromEndpoints).ToList(), "v1/Endpoints"),
            _ when _betaSlices.Count > 0 => (_betaSlices.Select(EndpointShapes.FromV1Beta1Slice).OfType<EndpointGroup>().ToList(), "discovery.k8s.io/v1beta1"),
            _ when _endpoints.Count > 0 => (_endpoints.SelectMany(EndpointShapes.FromEndpoints).ToList(), "v1/Endpoints"),
            _ => (_slices.Select(EndpointShapes.FromV1Slice).OfType<EndpointGroup>().ToList(), "discovery.k8s.io/v1"),
        };
        return new ClusterSnapshot
        {
            Services = _services,
            Pods = _pods,
            Endpoints = groups,
            EndpointSource = source,
            Nodes = _nodes,
            Ingresses = _ingresses,
            IngressClasses = _classes,
            Secrets = _secrets,
            Unreadable = _unreadable,
        };
    }

    /// <summary>Runs the model on the fixture.</summary>
    public IReadOnlyList<Route> Routes(EndpointsApi api = EndpointsApi.AsWritten, params string[] services) =>
        RouteModel.Build(Snapshot(api), services.Length == 0 ? null : services).Routes;

    private static (string Ns, string Service) ServiceOf(V1EndpointSlice s) =>
        (s.Metadata.NamespaceProperty ?? "default", s.Metadata.Labels[EndpointShapes.ServiceNameLabel]);

    /// <summary>What Kubernetes 1.20 serves: v1beta1, the node under topology kubernetes.io/hostname, no nodeName.</summary>
    private static JsonNode ToV1Beta1(V1EndpointSlice slice)
    {
        var node = JsonNode.Parse(KubernetesJson.Serialize(slice))!;
        node["apiVersion"] = "discovery.k8s.io/v1beta1";
        foreach (var endpoint in node["endpoints"]?.AsArray() ?? [])
        {
            if (endpoint!["nodeName"]?.ToString() is { } nodeName)
            {
                endpoint.AsObject().Remove("nodeName");
                endpoint["topology"] = new JsonObject { ["kubernetes.io/hostname"] = nodeName };
            }
        }

        return node;
    }

    /// <summary>What the v1 Endpoints controller writes: one subset per port set, ready and not-ready addresses apart.</summary>
    private static V1Endpoints ToEndpoints((string Ns, string Service) key, IEnumerable<V1EndpointSlice> slices) => new()
    {
        Metadata = new V1ObjectMeta { Name = key.Service, NamespaceProperty = key.Ns },
        Subsets = slices.Where(s => s.Endpoints is { Count: > 0 }).Select(s => new V1EndpointSubset
        {
            Ports = (s.Ports ?? []).Select(p => new Corev1EndpointPort { Port = p.Port ?? 0, Name = p.Name, Protocol = p.Protocol }).ToList(),
            Addresses = s.Endpoints.Where(e => e.Conditions?.Ready ?? true).SelectMany(Addresses).ToList(),
            NotReadyAddresses = s.Endpoints.Where(e => !(e.Conditions?.Ready ?? true)).SelectMany(Addresses).ToList(),
        }).ToList(),
    };

    private static IEnumerable<V1EndpointAddress> Addresses(V1Endpoint e) => e.Addresses.Select(ip => new V1EndpointAddress
    {
        Ip = ip,
        Hostname = e.Hostname,
        NodeName = e.NodeName,
        TargetRef = e.TargetRef is null ? null : new V1ObjectReference { Kind = e.TargetRef.Kind, Name = e.TargetRef.Name, NamespaceProperty = e.TargetRef.NamespaceProperty },
    });
}
