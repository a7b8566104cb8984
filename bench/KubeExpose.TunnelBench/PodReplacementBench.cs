using System.Diagnostics;
using k8s;
using k8s.Models;
using KubeExpose.Core.Cluster;
using KubeExpose.Core.Tunnels;

/// <summary>
/// Issue #7's "the next connection is served by the new pod within 2 s of it being Ready": a 1-replica Deployment
/// behind a tunnel, its serving pod deleted, connections made back to back, and the gap between the moment a watch
/// (like the tunnel's own) sees the replacement Ready and the first answer that comes from it. A printed figure only.
/// </summary>
internal static class PodReplacementBench
{
    public static async Task<(double GapMs, string Old, string New)> MeasureAsync(string kubeconfig, string ns, Func<string[], (bool Ok, string Output)> kubectl)
    {
        var yaml = $$$"""
            apiVersion: apps/v1
            kind: Deployment
            metadata: {name: swap, namespace: {{{ns}}}}
            spec:
              replicas: 1
              selector: {matchLabels: {app: swap}}
              template:
                metadata: {labels: {app: swap}}
                spec:
                  containers:
                  - name: web
                    image: kubeexpose.local/web:1
                    imagePullPolicy: Never
                    ports: [{name: http, containerPort: 80}]
                    readinessProbe: {tcpSocket: {port: 80}, periodSeconds: 1}
            """;
        var file = Path.GetTempFileName();
        File.WriteAllText(file, yaml);
        kubectl(["apply", "-f", file]);
        File.Delete(file);

        using var session = KubeSession.Connect(new KubeConnectionOptions(kubeconfig, null, ns));
        var tunnel = (await TunnelFactory.StartPortForwardAsync(new PortForwardRequest(new KubeConnectionOptions(kubeconfig, null, ns), "deploy/swap", [":80"], ["127.0.0.1"], TimeSpan.FromMinutes(3)),
            Guid.NewGuid(), null, CancellationToken.None)).Tunnel;
        try
        {
            using var http = new HttpClient(new SocketsHttpHandler { UseProxy = false, PooledConnectionLifetime = TimeSpan.Zero }) { Timeout = TimeSpan.FromMinutes(2) };
            http.DefaultRequestHeaders.ConnectionClose = true;
            var old = tunnel.CurrentPods.Single();
            if (!(await http.GetStringAsync(tunnel.Url)).Contains(old, StringComparison.Ordinal))
            {
                throw new InvalidOperationException($"the page did not come from pod {old}");
            }

            // Our own watch for the replacement's Ready moment, started before the deletion.
            var clock = Stopwatch.StartNew();
            using var stopWatching = new CancellationTokenSource(TimeSpan.FromMinutes(3));
            var readyAt = WatchReadyAsync(session.Client, ns, old, clock, stopWatching.Token);
            kubectl(["-n", ns, "delete", "pod", old, "--wait=false"]);

            while (true)
            {
                string page;
                try
                {
                    page = await http.GetStringAsync(tunnel.Url);
                }
                catch (HttpRequestException)
                {
                    continue; // the old pod going away under a connection: try the next one
                }

                var served = clock.Elapsed;
                if (!page.Contains(old, StringComparison.Ordinal))
                {
                    var (name, ready) = await readyAt;
                    return ((served - ready).TotalMilliseconds, old, name);
                }
            }
        }
        finally
        {
            await tunnel.StopAsync();
        }
    }

    private static async Task<(string Name, TimeSpan At)> WatchReadyAsync(IKubernetes client, string ns, string old, Stopwatch clock, CancellationToken cancellation)
    {
        var list = await client.CoreV1.ListNamespacedPodAsync(ns, labelSelector: "app=swap", cancellationToken: cancellation);
        var response = client.CoreV1.ListNamespacedPodWithHttpMessagesAsync(ns, labelSelector: "app=swap", watch: true,
            resourceVersion: list.Metadata.ResourceVersion, cancellationToken: cancellation);
#pragma warning disable CS0618
        await foreach (var (_, pod) in response.WatchAsync<V1Pod, V1PodList>(cancellationToken: cancellation))
#pragma warning restore CS0618
        {
            if (pod.Metadata.Name != old && pod.Metadata.DeletionTimestamp is null
                && pod.Status?.Conditions?.Any(c => c.Type == "Ready" && c.Status == "True") == true)
            {
                return (pod.Metadata.Name, clock.Elapsed);
            }
        }

        throw new TimeoutException("no replacement pod became Ready");
    }
}
