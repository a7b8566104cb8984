using System.Net;
using System.Text.Json;
using System.Text.Json.Nodes;
using k8s;
using k8s.Autorest;
using k8s.Models;
using KubeExpose.Core.Routing;

namespace KubeExpose.Core.Cluster;

/// <summary>
/// Reads a <see cref="ClusterSnapshot"/> with one paged LIST per kind, namespace-scoped when a namespace is given —
/// never a call per Service. Services, pods and endpoints are required; nodes, Ingresses, IngressClasses and Secrets
/// are optional: when RBAC forbids them the snapshot says so and the routes that need them come out Unknown.
/// </summary>
public static class ClusterSnapshotReader
{
    private const int PageSize = 500;

    /// <param name="client">The API client.</param>
    /// <param name="namespace">The namespace to read, or null for all namespaces.</param>
    /// <param name="progress">Receives one message per kind read.</param>
    /// <param name="cancellationToken">Stops the reads.</param>
    public static async Task<ClusterSnapshot> ReadAsync(IKubernetes client, string? @namespace, IProgress<string>? progress, CancellationToken cancellationToken)
    {
        var ns = @namespace;
        var ct = cancellationToken;
        var unreadable = new Dictionary<string, string>();
        var services = Required("services", ns, progress, () => Paged<V1Service>(c => ns is null
            ? client.CoreV1.ListServiceForAllNamespacesAsync(continueParameter: c, limit: PageSize, cancellationToken: ct).Then(l => (l.Items, l.Metadata?.ContinueProperty))
            : client.CoreV1.ListNamespacedServiceAsync(ns, continueParameter: c, limit: PageSize, cancellationToken: ct).Then(l => (l.Items, l.Metadata?.ContinueProperty))));
        var pods = Required("pods", ns, progress, () => Paged<V1Pod>(c => ns is null
            ? client.CoreV1.ListPodForAllNamespacesAsync(continueParameter: c, limit: PageSize, cancellationToken: ct).Then(l => (l.Items, l.Metadata?.ContinueProperty))
            : client.CoreV1.ListNamespacedPodAsync(ns, continueParameter: c, limit: PageSize, cancellationToken: ct).Then(l => (l.Items, l.Metadata?.ContinueProperty))));
        var endpoints = ReadEndpointsAsync(client, ns, progress, ct);
        var nodes = Optional("nodes", null, unreadable, progress, () => Paged<V1Node>(c =>
            client.CoreV1.ListNodeAsync(continueParameter: c, limit: PageSize, cancellationToken: ct).Then(l => (l.Items, l.Metadata?.ContinueProperty))));
        var ingresses = Optional("ingresses.networking.k8s.io", ns, unreadable, progress, () => Paged<V1Ingress>(c => ns is null
            ? client.NetworkingV1.ListIngressForAllNamespacesAsync(continueParameter: c, limit: PageSize, cancellationToken: ct).Then(l => (l.Items, l.Metadata?.ContinueProperty))
            : client.NetworkingV1.ListNamespacedIngressAsync(ns, continueParameter: c, limit: PageSize, cancellationToken: ct).Then(l => (l.Items, l.Metadata?.ContinueProperty))));
        var classes = Optional("ingressclasses.networking.k8s.io", null, unreadable, progress, () => Paged<V1IngressClass>(c =>
            client.NetworkingV1.ListIngressClassAsync(continueParameter: c, limit: PageSize, cancellationToken: ct).Then(l => (l.Items, l.Metadata?.ContinueProperty))));
        await Task.WhenAll(services, pods, endpoints, nodes, ingresses, classes).ConfigureAwait(false);

        // Secrets only when an Ingress uses TLS: the model needs names and types, and reading Secrets needs rights
        // many users rightly lack. Data is dropped as soon as each page arrives.
        IReadOnlyList<SecretInfo> secrets = [];
        if (ingresses.Result.Any(i => i.Spec?.Tls is { Count: > 0 }))
        {
            var read = await Optional("secrets", ns, unreadable, progress, () => Paged<SecretInfo>(c => ns is null
                ? client.CoreV1.ListSecretForAllNamespacesAsync(continueParameter: c, limit: PageSize, cancellationToken: ct).Then(l => (Shrink(l.Items), l.Metadata?.ContinueProperty))
                : client.CoreV1.ListNamespacedSecretAsync(ns, continueParameter: c, limit: PageSize, cancellationToken: ct).Then(l => (Shrink(l.Items), l.Metadata?.ContinueProperty)))).ConfigureAwait(false);
            secrets = read;
        }

        return new ClusterSnapshot
        {
            Services = services.Result,
            Pods = pods.Result,
            Endpoints = endpoints.Result.Groups,
            EndpointSource = endpoints.Result.Source,
            Nodes = nodes.Result,
            Ingresses = ingresses.Result,
            IngressClasses = classes.Result,
            Secrets = secrets,
            Unreadable = unreadable,
        };
    }

    /// <summary>
    /// EndpointSlices v1, else v1beta1 (through the raw API: the client has no v1beta1 types), else v1 Endpoints: one
    /// LIST of the first API the server serves and lets us read.
    /// </summary>
    private static async Task<(IReadOnlyList<EndpointGroup> Groups, string Source)> ReadEndpointsAsync(IKubernetes client, string? ns, IProgress<string>? progress, CancellationToken ct)
    {
        try
        {
            var slices = await Paged<V1EndpointSlice>(c => ns is null
                ? client.DiscoveryV1.ListEndpointSliceForAllNamespacesAsync(continueParameter: c, limit: PageSize, cancellationToken: ct).Then(l => (l.Items, l.Metadata?.ContinueProperty))
                : client.DiscoveryV1.ListNamespacedEndpointSliceAsync(ns, continueParameter: c, limit: PageSize, cancellationToken: ct).Then(l => (l.Items, l.Metadata?.ContinueProperty))).ConfigureAwait(false);
            progress?.Report($"Read {slices.Count} EndpointSlices (discovery.k8s.io/v1).");
            return (slices.Select(EndpointShapes.FromV1Slice).OfType<EndpointGroup>().ToList(), "discovery.k8s.io/v1");
        }
        catch (HttpOperationException e) when (e.Response.StatusCode is HttpStatusCode.NotFound or HttpStatusCode.Forbidden)
        {
            // Not served (404), or RBAC lets this user read Endpoints but not slices (403): try the next API.
        }
        catch (Exception e)
        {
            throw ApiErrors.Map(e, "list", "endpointslices.discovery.k8s.io", ns);
        }

        try
        {
            var slices = await Paged<JsonNode>(async c =>
            {
                var raw = ns is null
                    ? await client.CustomObjects.ListClusterCustomObjectAsync("discovery.k8s.io", "v1beta1", "endpointslices", continueParameter: c, limit: PageSize, cancellationToken: ct).ConfigureAwait(false)
                    : await client.CustomObjects.ListNamespacedCustomObjectAsync("discovery.k8s.io", "v1beta1", ns, "endpointslices", continueParameter: c, limit: PageSize, cancellationToken: ct).ConfigureAwait(false);
                var list = raw as JsonNode ?? JsonSerializer.SerializeToNode(raw) ?? new JsonObject();
                var items = (list["items"]?.AsArray() ?? []).OfType<JsonNode>().ToList();
                return ((IList<JsonNode>)items, list["metadata"]?["continue"]?.ToString());
            }).ConfigureAwait(false);
            progress?.Report($"Read {slices.Count} EndpointSlices (discovery.k8s.io/v1beta1).");
            return (slices.Select(EndpointShapes.FromV1Beta1Slice).OfType<EndpointGroup>().ToList(), "discovery.k8s.io/v1beta1");
        }
        catch (HttpOperationException e) when (e.Response.StatusCode is HttpStatusCode.NotFound or HttpStatusCode.Forbidden)
        {
            // Not served (404), or RBAC lets this user read Endpoints but not slices (403): try the next API.
        }
        catch (Exception e)
        {
            throw ApiErrors.Map(e, "list", "endpointslices.discovery.k8s.io", ns);
        }

        var endpoints = await Required("endpoints", ns, progress, () => Paged<V1Endpoints>(c => ns is null
            ? client.CoreV1.ListEndpointsForAllNamespacesAsync(continueParameter: c, limit: PageSize, cancellationToken: ct).Then(l => (l.Items, l.Metadata?.ContinueProperty))
            : client.CoreV1.ListNamespacedEndpointsAsync(ns, continueParameter: c, limit: PageSize, cancellationToken: ct).Then(l => (l.Items, l.Metadata?.ContinueProperty)))).ConfigureAwait(false);
        return (endpoints.SelectMany(EndpointShapes.FromEndpoints).ToList(), "v1/Endpoints");
    }

    private static IList<SecretInfo> Shrink(IList<V1Secret> secrets) =>
        secrets.Select(s => new SecretInfo(s.Metadata.NamespaceProperty ?? "default", s.Metadata.Name, s.Type ?? "Opaque")).ToList();

    private static async Task<IReadOnlyList<T>> Required<T>(string resource, string? ns, IProgress<string>? progress, Func<Task<List<T>>> read)
    {
        try
        {
            var items = await read().ConfigureAwait(false);
            progress?.Report($"Read {items.Count} {resource}.");
            return items;
        }
        catch (Exception e)
        {
            throw ApiErrors.Map(e, "list", resource, ns);
        }
    }

    private static async Task<IReadOnlyList<T>> Optional<T>(string resource, string? ns, Dictionary<string, string> unreadable, IProgress<string>? progress, Func<Task<List<T>>> read)
    {
        try
        {
            var items = await read().ConfigureAwait(false);
            progress?.Report($"Read {items.Count} {resource}.");
            return items;
        }
        catch (HttpOperationException e) when (e.Response.StatusCode is HttpStatusCode.Forbidden or HttpStatusCode.NotFound)
        {
            var reason = ApiErrors.Map(e, "list", resource, ns).Message;
            lock (unreadable)
            {
                unreadable[resource.Split('.')[0]] = reason;
            }

            progress?.Report(reason);
            return [];
        }
        catch (Exception e)
        {
            throw ApiErrors.Map(e, "list", resource, ns);
        }
    }

    private static async Task<List<T>> Paged<T>(Func<string?, Task<(IList<T> Items, string? Continue)>> page)
    {
        var all = new List<T>();
        string? token = null;
        do
        {
            var (items, next) = await page(token).ConfigureAwait(false);
            all.AddRange(items ?? []);
            token = string.IsNullOrEmpty(next) ? null : next;
        }
        while (token is not null);
        return all;
    }

    private static async Task<TOut> Then<TIn, TOut>(this Task<TIn> task, Func<TIn, TOut> map) => map(await task.ConfigureAwait(false));
}
