using System.Net;
using System.Text.Json.Nodes;
using k8s;
using k8s.Autorest;
using KubeExpose.Core.Exposure;
using KubeExpose.Core.Model;

namespace KubeExpose.Core.Cluster;

/// <summary>
/// Expose-Workload's I/O: read the workload and the cluster's facts, plan (pure), write with server-side apply and
/// roll back what this call created when a later object fails, then read the routes from the routing model.
/// </summary>
public static class WorkloadExposer
{
    /// <summary>Reads the workload and the cluster facts and plans the objects. Sends nothing.</summary>
    public static async Task<ExposurePlan> PlanAsync(KubeSession session, ExposureRequest request, IProgress<string>? progress, CancellationToken ct)
    {
        var ns = request.Namespace ?? session.Namespace;
        progress?.Report($"Reading {request.Workload} in namespace {ns}");
        // The facts do not depend on the workload, so both are read at once: on a cold start each first request costs a
        // round trip plus JSON set-up, and this halves that.
        var reading = WorkloadReader.ReadAsync(session.Client, ns, request.Workload, ct);
        var factsReading = ClusterFactsReader.ReadAsync(session.Client, ns, request, progress, ct);
        Workload workload;
        try
        {
            workload = await reading.ConfigureAwait(false);
        }
        catch
        {
            // The workload's error is the one to report (not found, forbidden); the facts' outcome no longer matters.
            _ = factsReading.ContinueWith(t => t.Exception, TaskScheduler.Default);
            throw;
        }

        ColdPathTiming.Mark("plan: workload read");
        var facts = await factsReading.ConfigureAwait(false);
        ColdPathTiming.Mark("plan: facts read");
        var plan = ExposurePlanner.Plan(workload, request, facts);
        ColdPathTiming.Mark("plan: planned");
        return plan;
    }

    /// <summary>The result of a client dry run: the manifests, nothing sent.</summary>
    public static ExposureResult ClientDryRun(ExposurePlan plan) => ResultOf(plan, "Client", plan.ToYaml(), []);

    /// <summary>What every result says about its plan; only the dry-run mode, the YAML and the changes differ.</summary>
    private static ExposureResult ResultOf(ExposurePlan plan, string dryRun, string yaml, IReadOnlyList<ObjectChange> changes) => new()
    {
        Namespace = plan.Namespace,
        Workload = plan.WorkloadName,
        Service = plan.ServiceName,
        Ingress = plan.IngressName,
        Type = plan.ServiceType,
        Method = plan.Method,
        Reason = plan.Reason,
        DryRun = dryRun,
        Changes = changes,
        Yaml = yaml,
        Warnings = plan.Warnings,
    };

    /// <summary>
    /// Writes the plan with server-side apply (field manager kubeexpose), or validates it on the server with
    /// <paramref name="serverDryRun"/>. An object whose content would not change is not written at all. When an object
    /// fails, the objects this call created are deleted again and the error says so.
    /// </summary>
    /// <param name="session">The connection.</param>
    /// <param name="plan">What to write.</param>
    /// <param name="serverDryRun">Validate on the server (dryRun=All) and save nothing.</param>
    /// <param name="force">Take over fields another field manager owns.</param>
    /// <param name="progress">One message per object.</param>
    /// <param name="ct">Stops the writes (what was created is rolled back).</param>
    public static async Task<ExposureResult> ApplyAsync(KubeSession session, ExposurePlan plan, bool serverDryRun, bool force,
        IProgress<string>? progress, CancellationToken ct)
    {
        var appliers = plan.Manifests().Select(m => ServerSideApply.For(session.Client, m)).ToList();
        var created = new List<ServerSideApply>();
        var changes = new List<ObjectChange>();
        var documents = new List<object>();
        foreach (var a in appliers)
        {
            progress?.Report($"{(serverDryRun ? "Validating" : "Applying")} {a.Describe} in namespace {a.Namespace}");
            try
            {
                var existing = await Call(a, "get", () => a.GetAsync(ct)).ConfigureAwait(false);
                if (serverDryRun || existing is not null)
                {
                    var proposed = await Call(a, "patch", () => a.ApplyAsync(dryRun: true, force, ct)).ConfigureAwait(false);
                    var same = ObjectComparison.SameContent(existing, ServerSideApply.Json(proposed));
                    if (serverDryRun || same)
                    {
                        changes.Add(new ObjectChange(a.Describe, same ? ChangeKind.Unchanged : existing is null ? ChangeKind.WouldCreate : ChangeKind.WouldUpdate,
                            (string?)existing?["metadata"]?["resourceVersion"]));
                        documents.Add(proposed);
                        continue;
                    }
                }

                var written = await Call(a, existing is null ? "create" : "patch", () => a.ApplyAsync(dryRun: false, force, ct)).ConfigureAwait(false);
                if (existing is null)
                {
                    created.Add(a);
                }

                changes.Add(new ObjectChange(a.Describe, existing is null ? ChangeKind.Created : ChangeKind.Updated,
                    (string?)ServerSideApply.Json(written)?["metadata"]?["resourceVersion"]));
                documents.Add(written);
            }
            catch (Exception e) when (created.Count > 0 || e is KubeExposeException)
            {
                var rollback = await RollBackAsync(created, changes).ConfigureAwait(false);
                if (e is KubeExposeException k)
                {
                    throw new KubeExposeException(k.Kind, k.ErrorId, k.Message + rollback, k.Target, e);
                }

                throw new KubeExposeException(KubeExposeErrorKind.InvalidOperation, "ApplyFailed",
                    $"Applying {a.Describe} in namespace {a.Namespace} failed: {e.Message}{rollback}", $"{a.Describe} in namespace {a.Namespace}", e);
            }
        }

        return ResultOf(plan, serverDryRun ? "Server" : "None", ManifestYaml.Render(documents.Select(WithoutManagedFields)), changes);
    }

    /// <summary>The routes to the plan's Service from the routing model.</summary>
    public static async Task<IReadOnlyList<Route>> GetRoutesAsync(KubeSession session, ExposureResult result, IProgress<string>? progress, CancellationToken ct) =>
        (await ClusterReachability.GetReportAsync(session, result.Namespace, [result.Service], progress, ct).ConfigureAwait(false)).Routes;

    /// <summary>
    /// Polls the routing model until every route that can become Ready is (endpoints ready, load-balancer and
    /// Ingress addresses assigned), reporting what is still missing. Throws a Timeout error naming the routes.
    /// </summary>
    public static async Task<IReadOnlyList<Route>> WaitForRoutesAsync(KubeSession session, ExposureResult result, TimeSpan timeout,
        IProgress<string>? progress, CancellationToken ct)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (true)
        {
            var routes = await GetRoutesAsync(session, result, null, ct).ConfigureAwait(false);
            var waiting = RouteReadiness.Waiting(routes);
            if (waiting.Count == 0)
            {
                return routes;
            }

            var summary = string.Join("; ", waiting.Take(3).Select(r =>
                $"{r.Kind} {r.ServicePort} {r.Status}{(r.Findings.Count > 0 ? $" ({r.Findings[0].Code})" : "")}"));
            progress?.Report($"Waiting for {waiting.Count} route(s) of service/{result.Service}: {summary}");
            if (DateTime.UtcNow >= deadline)
            {
                throw new KubeExposeException(KubeExposeErrorKind.Timeout, "RoutesNotReady",
                    $"After {timeout.TotalSeconds:0} s, {waiting.Count} route(s) of service/{result.Service} in namespace {result.Namespace} are not Ready: " +
                    string.Join("; ", waiting.Select(r => $"{r.Kind} {r.Address}{(r.Port is null ? "" : $":{r.Port}")} {r.Status}" +
                        (r.Findings.Count > 0 ? $" — {r.Findings[0].Message}" : ""))) +
                    $". See Get-ServiceReachability {result.Service} -Namespace {result.Namespace} for the findings and remedies.",
                    $"service/{result.Service} in namespace {result.Namespace}");
            }

            await Task.Delay(TimeSpan.FromSeconds(1), ct).ConfigureAwait(false);
        }
    }

    private static async Task<T> Call<T>(ServerSideApply a, string verb, Func<Task<T>> call)
    {
        try
        {
            return await call().ConfigureAwait(false);
        }
        catch (HttpOperationException e) when (e.Response.StatusCode == HttpStatusCode.Conflict)
        {
            throw new KubeExposeException(KubeExposeErrorKind.Conflict, "FieldManagerConflict",
                $"{a.Describe} in namespace {a.Namespace} has fields owned by another field manager that this call would change." +
                $"{ServerSaid(e)} Run again with -Force to take them over (like kubectl apply --server-side --force-conflicts), " +
                "or change them with the tool that owns them.", $"{a.Describe} in namespace {a.Namespace}", e);
        }
        catch (HttpOperationException e) when (e.Response.StatusCode == HttpStatusCode.Forbidden)
        {
            throw new KubeExposeException(KubeExposeErrorKind.PermissionDenied, "Forbidden",
                $"Permission denied: cannot {verb} {a.Resource} in namespace {a.Namespace} ({a.Describe}).{ServerSaid(e)} " +
                $"Expose-Workload needs get, create and patch on {a.Resource} there (server-side apply); ask for a Role that grants them, e.g. " +
                $"kubectl create role kubeexpose -n {a.Namespace} --verb=get,create,patch,delete --resource={a.Resource}.",
                $"{a.Describe} in namespace {a.Namespace}", e);
        }
        catch (Exception e) when (e is not KubeExposeException and not OperationCanceledException)
        {
            throw ApiErrors.Map(e, verb, a.Resource, a.Namespace, a.Name);
        }
    }

    private static string ServerSaid(HttpOperationException e)
    {
        try
        {
            var message = JsonNode.Parse(e.Response.Content ?? "")?["message"]?.GetValue<string>();
            return message is null ? "" : $" Server said: {message}.";
        }
        catch (System.Text.Json.JsonException)
        {
            return "";
        }
    }

    private static async Task<string> RollBackAsync(List<ServerSideApply> created, List<ObjectChange> changes)
    {
        var updated = changes.Where(c => c.Change == ChangeKind.Updated).Select(c => c.Object).ToList();
        var kept = updated.Count == 0 ? "" : $" {string.Join(", ", updated)} existed before and stay updated.";
        if (created.Count == 0)
        {
            return kept.Length == 0 ? " Nothing was created." : kept;
        }

        var deleted = new List<string>();
        var failed = new List<string>();
        created.Reverse();
        foreach (var c in created)
        {
            try
            {
                // Not the caller's token: a Ctrl+C must not leave half an exposure behind.
                using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(30));
                await c.DeleteAsync(cts.Token).ConfigureAwait(false);
                deleted.Add(c.Describe);
            }
            catch (Exception e)
            {
                failed.Add($"{c.Describe} ({e.GetBaseException().Message}; delete it with kubectl delete {c.Describe} -n {c.Namespace})");
            }
        }

        return (deleted.Count > 0 ? $" Rolled back: deleted {string.Join(", ", deleted)}, which this call had created." : "")
            + (failed.Count > 0 ? $" Could not roll back {string.Join(", ", failed)}." : "") + kept;
    }

    private static object WithoutManagedFields(object typed)
    {
        if (typed is IKubernetesObject<k8s.Models.V1ObjectMeta> o && o.Metadata is not null)
        {
            o.Metadata.ManagedFields = null;
        }

        return typed;
    }
}
