using k8s;

namespace KubeExpose.Core.Cluster;

/// <summary>
/// Names for tab completion. Completion must never hang a prompt or throw at the user: every lookup is bounded by a
/// short timeout and answers with nothing on any failure.
/// </summary>
public static class CompletionSource
{
    private static readonly TimeSpan Budget = TimeSpan.FromSeconds(2);

    /// <summary>The short and long kubectl names of the kinds that can be exposed or tunnelled to.</summary>
    public static readonly IReadOnlyList<string> WorkloadPrefixes =
        ["deploy/", "sts/", "ds/", "rs/", "rc/", "job/", "pod/", "svc/"];

    public static IReadOnlyList<string> Contexts(KubeConnectionOptions options)
    {
        try
        {
            var paths = KubeSession.KubeConfigPaths(options.KubeConfig);
            return paths.Length == 0 ? [] : KubeConfigMerge.Load(paths).Contexts?.Select(c => c.Name).ToList() ?? [];
        }
        catch (Exception)
        {
            return [];
        }
    }

    public static IReadOnlyList<string> Namespaces(KubeConnectionOptions options) =>
        Bounded(options, async (session, token) =>
            (await session.Client.CoreV1.ListNamespaceAsync(cancellationToken: token).ConfigureAwait(false))
            .Items.Select(n => n.Metadata.Name).ToList());

    public static IReadOnlyList<string> Services(KubeConnectionOptions options) =>
        Bounded(options, async (session, token) =>
            (await session.Client.CoreV1.ListNamespacedServiceAsync(session.Namespace, cancellationToken: token).ConfigureAwait(false))
            .Items.Select(s => s.Metadata.Name).ToList());

    /// <summary>Workloads as <c>kind/name</c>, for the prefix the user has typed (for example <c>deploy/</c>).</summary>
    public static IReadOnlyList<string> Workloads(KubeConnectionOptions options, string prefix) =>
        Bounded(options, async (session, token) =>
        {
            var ns = session.Namespace;
            var apps = session.Client.AppsV1;
            var core = session.Client.CoreV1;
            IEnumerable<string> names = prefix switch
            {
                "deploy/" => (await apps.ListNamespacedDeploymentAsync(ns, cancellationToken: token).ConfigureAwait(false)).Items.Select(i => i.Metadata.Name),
                "sts/" => (await apps.ListNamespacedStatefulSetAsync(ns, cancellationToken: token).ConfigureAwait(false)).Items.Select(i => i.Metadata.Name),
                "ds/" => (await apps.ListNamespacedDaemonSetAsync(ns, cancellationToken: token).ConfigureAwait(false)).Items.Select(i => i.Metadata.Name),
                "rs/" => (await apps.ListNamespacedReplicaSetAsync(ns, cancellationToken: token).ConfigureAwait(false)).Items.Select(i => i.Metadata.Name),
                "rc/" => (await core.ListNamespacedReplicationControllerAsync(ns, cancellationToken: token).ConfigureAwait(false)).Items.Select(i => i.Metadata.Name),
                "job/" => (await session.Client.BatchV1.ListNamespacedJobAsync(ns, cancellationToken: token).ConfigureAwait(false)).Items.Select(i => i.Metadata.Name),
                "pod/" => (await core.ListNamespacedPodAsync(ns, cancellationToken: token).ConfigureAwait(false)).Items.Select(i => i.Metadata.Name),
                "svc/" => (await core.ListNamespacedServiceAsync(ns, cancellationToken: token).ConfigureAwait(false)).Items.Select(i => i.Metadata.Name),
                _ => [],
            };
            return names.Select(n => prefix + n).ToList();
        });

    private static IReadOnlyList<string> Bounded(
        KubeConnectionOptions options, Func<KubeSession, CancellationToken, Task<List<string>>> lookup)
    {
        try
        {
            using var session = KubeSession.Connect(options);
            using var timeout = new CancellationTokenSource(Budget);
            var task = lookup(session, timeout.Token);
            return task.Wait(Budget) ? task.Result : [];
        }
        catch (Exception)
        {
            return [];
        }
    }
}
