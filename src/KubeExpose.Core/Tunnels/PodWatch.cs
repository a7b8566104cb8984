using k8s;
using k8s.Models;

namespace KubeExpose.Core.Tunnels;

/// <summary>
/// Keeps the set of usable pods of a port-forward current with a list-then-watch loop, so a replaced pod is known the
/// moment it is Ready (or gone) rather than at the next failed connection. Publishes the set to the round-robin and
/// to the tunnel object, and counts a reconnect whenever a pod the tunnel used leaves the set.
/// </summary>
internal sealed class PodWatch
{
    private readonly IKubernetes _client;
    private readonly ForwardPlan _plan;
    private readonly Tunnel _tunnel;
    private readonly RoundRobin<PodBackend> _backends;
    private readonly Dictionary<string, V1Pod> _pods = new(StringComparer.Ordinal);
    private TaskCompletionSource _changed = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private HashSet<string> _published = [];

    public PodWatch(IKubernetes client, ForwardPlan plan, Tunnel tunnel, RoundRobin<PodBackend> backends)
    {
        _client = client;
        _plan = plan;
        _tunnel = tunnel;
        _backends = backends;
    }

    /// <summary>Why pods are not usable (for error messages): name and phase/readiness of each pod seen.</summary>
    public string Describe()
    {
        lock (_pods)
        {
            if (_pods.Count == 0)
            {
                return _plan.PodName is null ? $"no pod matches the selector {_plan.LabelSelector}" : $"pod {_plan.PodName} does not exist";
            }

            return string.Join(", ", _pods.Values.Select(p =>
                $"{p.Metadata.Name} ({p.Status?.Phase ?? "Pending"}{(IsReady(p) ? ", ready" : ", not ready")}{(p.Metadata.DeletionTimestamp is null ? "" : ", terminating")})"));
        }
    }

    /// <summary>Set when a forwarded port name could not be resolved on a pod (the pod is skipped).</summary>
    public string? PortProblem { get; private set; }

    /// <summary>A task that completes at the next change of the usable pod set.</summary>
    public Task Changed
    {
        get { lock (_pods) { return _changed.Task; } }
    }

    /// <summary>Lists and watches until cancelled; API errors are retried with backoff and recorded on the tunnel.</summary>
    public async Task RunAsync(CancellationToken cancellation)
    {
        var failures = 0;
        while (!cancellation.IsCancellationRequested)
        {
            try
            {
                var list = await _client.CoreV1.ListNamespacedPodAsync(_plan.Namespace, fieldSelector: FieldSelector,
                    labelSelector: _plan.LabelSelector, cancellationToken: cancellation).ConfigureAwait(false);
                lock (_pods)
                {
                    _pods.Clear();
                    foreach (var pod in list.Items)
                    {
                        _pods[pod.Metadata.Name] = pod;
                    }
                }

                Publish();
                failures = 0;
                var response = _client.CoreV1.ListNamespacedPodWithHttpMessagesAsync(_plan.Namespace, fieldSelector: FieldSelector,
                    labelSelector: _plan.LabelSelector, resourceVersion: list.Metadata.ResourceVersion, watch: true,
                    timeoutSeconds: 300, cancellationToken: cancellation);
#pragma warning disable CS0618 // the replacement named in the message does not exist in this client version
                await foreach (var (type, pod) in response.WatchAsync<V1Pod, V1PodList>(cancellationToken: cancellation).ConfigureAwait(false))
                {
#pragma warning restore CS0618
                    if (type == WatchEventType.Error)
                    {
                        break; // for example "resource version too old": list again
                    }

                    if (type == WatchEventType.Bookmark || pod?.Metadata?.Name is null)
                    {
                        continue;
                    }

                    lock (_pods)
                    {
                        if (type == WatchEventType.Deleted)
                        {
                            _pods.Remove(pod.Metadata.Name);
                        }
                        else
                        {
                            _pods[pod.Metadata.Name] = pod;
                        }
                    }

                    Publish();
                }
            }
            catch (OperationCanceledException) when (cancellation.IsCancellationRequested)
            {
                return;
            }
            catch (Exception e)
            {
                _tunnel.SetError($"watching the pods of {_plan.Target} failed: {e.Message}");
                await Task.Delay(Backoff.Default.Delay(failures++), cancellation).ConfigureAwait(false);
            }
        }
    }

    private string? FieldSelector => _plan.PodName is null ? null : $"metadata.name={_plan.PodName}";

    private void Publish()
    {
        List<PodBackend> usable = [];
        string? portProblem = null;
        TaskCompletionSource changed;
        lock (_pods)
        {
            foreach (var pod in _pods.Values.OrderBy(p => p.Metadata.Name, StringComparer.Ordinal))
            {
                if (!IsUsable(pod))
                {
                    continue;
                }

                var remote = new List<int>();
                for (var i = 0; i < _plan.Ports.Count; i++)
                {
                    int? port;
                    try
                    {
                        port = _plan.RemotePort(pod, i);
                    }
                    catch (KubeExposeException e)
                    {
                        portProblem = e.Message;
                        port = null;
                    }

                    if (port is null)
                    {
                        portProblem ??= $"pod {pod.Metadata.Name} has no port named '{_plan.Ports[i].Remote}'";
                        break;
                    }

                    remote.Add(port.Value);
                }

                if (remote.Count == _plan.Ports.Count)
                {
                    usable.Add(new PodBackend(pod.Metadata.Name, remote, pod.Metadata.Uid));
                }
            }

            // Name and UID: a pod recreated under the same name (StatefulSet) is a new backend.
            var names = usable.Select(b => $"{b.Name}/{b.Uid}").ToHashSet(StringComparer.Ordinal);
            if (names.SetEquals(_published))
            {
                return;
            }

            // A pod that leaves the set while the tunnel is serving means moving its traffic elsewhere.
            if (_tunnel.State != TunnelState.Starting)
            {
                foreach (var _ in _published.Where(n => !names.Contains(n)))
                {
                    _tunnel.CountReconnect();
                }
            }

            _published = names;
            PortProblem = portProblem;
            _backends.Replace(usable);
            changed = _changed;
            _changed = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        }

        _tunnel.SetPods(usable.Select(b => b.Name).ToList());
        if (_tunnel.State != TunnelState.Starting)
        {
            _tunnel.SetState(usable.Count > 0 ? TunnelState.Ready : TunnelState.Reconnecting);
        }

        changed.TrySetResult();
    }

    private bool IsUsable(V1Pod pod) =>
        pod.Metadata.DeletionTimestamp is null
        && pod.Status?.Phase == "Running"
        && (!_plan.RequireReady || IsReady(pod));

    private static bool IsReady(V1Pod pod) =>
        pod.Status?.Conditions?.Any(c => c.Type == "Ready" && c.Status == "True") == true;
}
