using System.Net;
using System.Text.Json.Nodes;
using k8s;
using k8s.Autorest;
using k8s.Models;

namespace KubeExpose.Core.Cluster;

/// <summary>
/// One object to write with server-side apply: how to read it, apply it and delete it. The body is sent as JSON
/// (valid YAML) with content type application/apply-patch+yaml, field manager <see cref="FieldManager"/>.
/// </summary>
internal sealed class ServerSideApply
{
    public const string FieldManager = "kubeexpose";

    private ServerSideApply(string resource, string kind, string ns, string name, string body,
        Func<CancellationToken, Task<object>> get, Func<V1Patch, string?, bool?, CancellationToken, Task<object>> apply,
        Func<CancellationToken, Task> delete)
    {
        Resource = resource;
        Kind = kind;
        Namespace = ns;
        Name = name;
        Body = body;
        _get = get;
        _apply = apply;
        _delete = delete;
    }

    private readonly Func<CancellationToken, Task<object>> _get;
    private readonly Func<V1Patch, string?, bool?, CancellationToken, Task<object>> _apply;
    private readonly Func<CancellationToken, Task> _delete;

    /// <summary>The resource as RBAC names it: <c>services</c>, <c>ingresses.networking.k8s.io</c>.</summary>
    public string Resource { get; }

    /// <summary>kubectl's kind/name prefix: <c>service</c>, <c>ingress.networking.k8s.io</c>, <c>deployment</c>.</summary>
    public string Kind { get; }
    public string Namespace { get; }
    public string Name { get; }
    public string Body { get; }
    public string Describe => $"{Kind}/{Name}";

    /// <summary>The object as it is now, or null when it does not exist.</summary>
    public async Task<JsonNode?> GetAsync(CancellationToken ct)
    {
        try
        {
            return Json(await _get(ct).ConfigureAwait(false));
        }
        catch (HttpOperationException e) when (e.Response.StatusCode == HttpStatusCode.NotFound)
        {
            return null;
        }
    }

    /// <summary>Applies the body; <paramref name="dryRun"/> true asks the server to validate without saving.</summary>
    public Task<object> ApplyAsync(bool dryRun, bool force, CancellationToken ct) =>
        _apply(new V1Patch(Body, V1Patch.PatchType.ApplyPatch), dryRun ? "All" : null, force ? true : null, ct);

    public async Task DeleteAsync(CancellationToken ct)
    {
        try
        {
            await _delete(ct).ConfigureAwait(false);
        }
        catch (System.Text.Json.JsonException)
        {
            // Older servers (1.20) answer a Service DELETE with a Status, which the client fails to read as a Service:
            // the delete itself went through. Confirm rather than trust.
            if (await GetAsync(ct).ConfigureAwait(false) is { } still && still["metadata"]?["deletionTimestamp"] is null)
            {
                throw;
            }
        }
    }

    public static JsonNode? Json(object o) => JsonNode.Parse(KubernetesJson.Serialize(o));

    public static ServerSideApply For(IKubernetes client, object manifest)
    {
        switch (manifest)
        {
            case V1Service s:
                {
                    var (ns, name) = (s.Metadata.NamespaceProperty, s.Metadata.Name);
                    return new("services", "service", ns, name, KubernetesJson.Serialize(s),
                        async ct => await client.CoreV1.ReadNamespacedServiceAsync(name, ns, cancellationToken: ct).ConfigureAwait(false),
                        async (p, dry, force, ct) => await client.CoreV1.PatchNamespacedServiceAsync(p, name, ns, dryRun: dry, fieldManager: FieldManager, force: force, cancellationToken: ct).ConfigureAwait(false),
                        ct => client.CoreV1.DeleteNamespacedServiceAsync(name, ns, cancellationToken: ct));
                }

            case V1Ingress i:
                {
                    var (ns, name) = (i.Metadata.NamespaceProperty, i.Metadata.Name);
                    return new("ingresses.networking.k8s.io", "ingress.networking.k8s.io", ns, name, KubernetesJson.Serialize(i),
                        async ct => await client.NetworkingV1.ReadNamespacedIngressAsync(name, ns, cancellationToken: ct).ConfigureAwait(false),
                        async (p, dry, force, ct) => await client.NetworkingV1.PatchNamespacedIngressAsync(p, name, ns, dryRun: dry, fieldManager: FieldManager, force: force, cancellationToken: ct).ConfigureAwait(false),
                        ct => client.NetworkingV1.DeleteNamespacedIngressAsync(name, ns, cancellationToken: ct));
                }

            case JsonObject workload:
                return ForWorkload(client, workload);

            default:
                throw new ArgumentException($"Cannot apply a {manifest.GetType().Name}.", nameof(manifest));
        }
    }

    private static ServerSideApply ForWorkload(IKubernetes client, JsonObject body)
    {
        var kind = (string)body["kind"]!;
        var name = (string)body["metadata"]!["name"]!;
        var ns = (string)body["metadata"]!["namespace"]!;
        var text = body.ToJsonString();
        Task NoDelete(CancellationToken ct) => throw new InvalidOperationException("A workload is patched, never created, so it is never rolled back by deletion.");
        return kind switch
        {
            "Deployment" => new("deployments.apps", "deployment", ns, name, text,
                async ct => await client.AppsV1.ReadNamespacedDeploymentAsync(name, ns, cancellationToken: ct).ConfigureAwait(false),
                async (p, dry, force, ct) => await client.AppsV1.PatchNamespacedDeploymentAsync(p, name, ns, dryRun: dry, fieldManager: FieldManager, force: force, cancellationToken: ct).ConfigureAwait(false),
                NoDelete),
            "StatefulSet" => new("statefulsets.apps", "statefulset", ns, name, text,
                async ct => await client.AppsV1.ReadNamespacedStatefulSetAsync(name, ns, cancellationToken: ct).ConfigureAwait(false),
                async (p, dry, force, ct) => await client.AppsV1.PatchNamespacedStatefulSetAsync(p, name, ns, dryRun: dry, fieldManager: FieldManager, force: force, cancellationToken: ct).ConfigureAwait(false),
                NoDelete),
            "DaemonSet" => new("daemonsets.apps", "daemonset", ns, name, text,
                async ct => await client.AppsV1.ReadNamespacedDaemonSetAsync(name, ns, cancellationToken: ct).ConfigureAwait(false),
                async (p, dry, force, ct) => await client.AppsV1.PatchNamespacedDaemonSetAsync(p, name, ns, dryRun: dry, fieldManager: FieldManager, force: force, cancellationToken: ct).ConfigureAwait(false),
                NoDelete),
            "ReplicaSet" => new("replicasets.apps", "replicaset", ns, name, text,
                async ct => await client.AppsV1.ReadNamespacedReplicaSetAsync(name, ns, cancellationToken: ct).ConfigureAwait(false),
                async (p, dry, force, ct) => await client.AppsV1.PatchNamespacedReplicaSetAsync(p, name, ns, dryRun: dry, fieldManager: FieldManager, force: force, cancellationToken: ct).ConfigureAwait(false),
                NoDelete),
            _ => new("replicationcontrollers", "replicationcontroller", ns, name, text,
                async ct => await client.CoreV1.ReadNamespacedReplicationControllerAsync(name, ns, cancellationToken: ct).ConfigureAwait(false),
                async (p, dry, force, ct) => await client.CoreV1.PatchNamespacedReplicationControllerAsync(p, name, ns, dryRun: dry, fieldManager: FieldManager, force: force, cancellationToken: ct).ConfigureAwait(false),
                NoDelete),
        };
    }
}
