using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Net.Sockets;
using System.Net.WebSockets;
using k8s;
using KubeExpose.Core.Cluster;

namespace KubeExpose.Core.Tunnels;

/// <summary>
/// Runs a port-forward: local listeners, the pod watch, and for each accepted connection a pair of SPDY streams on
/// the next usable pod's connection in turn (<see cref="SpdyPortForward"/>), or one WebSocket per connection when
/// the cluster refuses SPDY (<see cref="PortForwardChannel"/>). A stream that cannot be opened moves on to another
/// pod with bounded backoff; one connection's failure is recorded on the tunnel and never ends it.
/// </summary>
internal sealed class PortForwardTunnel
{
    private readonly KubeSession _session;
    private readonly ClusterTransport _transport;
    private readonly ForwardPlan _plan;
    private readonly Tunnel _tunnel;
    private readonly TimeSpan _podTimeout;
    private readonly RoundRobin<PodBackend> _backends = new();
    private readonly PodWatch _watch;
    private readonly CancellationTokenSource _stop = new();
    private readonly ConcurrentDictionary<Socket, byte> _clients = new();
    private readonly List<LocalListener> _listeners = [];
    private Task _watchTask = Task.CompletedTask;
    private Task _acceptTask = Task.CompletedTask;
    private Task _retainTask = Task.CompletedTask;
    private readonly SpdyPortForward _spdy;
    private volatile bool _useSpdy = true;
    private int _failedListeners;

    public PortForwardTunnel(KubeSession session, ClusterTransport transport, ForwardPlan plan, Tunnel tunnel, TimeSpan podTimeout)
    {
        _session = session;
        _transport = transport;
        _plan = plan;
        _tunnel = tunnel;
        _podTimeout = podTimeout;
        _watch = new PodWatch(session.Client, plan, tunnel, _backends);
        _spdy = new SpdyPortForward(transport, plan.Namespace, _stop.Token);
        tunnel.StopAction = StopAsync;
    }

    /// <summary>Waits for a usable pod, binds the listeners and starts serving; returns the bind warnings.</summary>
    public async Task<IReadOnlyList<string>> StartAsync(ListenAddresses addresses, IProgress<string>? progress, CancellationToken cancellation)
    {
        await CheckAllowedAsync(cancellation).ConfigureAwait(false);
        _watchTask = _watch.RunAsync(_stop.Token);
        var first = await WaitForPodAsync(progress, cancellation).ConfigureAwait(false);
        await WarmUpAsync(first, progress, cancellation).ConfigureAwait(false);
        _retainTask = RetainSessionsAsync();

        var warnings = new List<string>();
        var endpoints = new List<string>();
        for (var i = 0; i < _plan.Ports.Count; i++)
        {
            var port = _plan.Ports[i];
            var local = port.Local ?? _plan.FixedLocalPorts.ElementAtOrDefault(i) ?? first.RemotePorts[i];
            var listener = LocalListener.Bind(addresses, local, warnings);
            _listeners.Add(listener);
            endpoints.AddRange(listener.Endpoints.Select(e => $"{e} -> {port.Remote}"));
        }

        _tunnel.LocalEndpoints = endpoints;
        var firstEndpoint = _listeners[0].Endpoints[0];
        _tunnel.Url = $"http://{firstEndpoint}/";
        _acceptTask = Task.WhenAll(_listeners.Select((l, i) => l.RunAsync(c => HandleAsync(c, i), ListenerFailed, _stop.Token)));
        _tunnel.SetState(_backends.Members.Count > 0 ? TunnelState.Ready : TunnelState.Reconnecting);
        return warnings;
    }

    // The first pod's SPDY connection is made before the ready signal, so the first forwarded connection does not wait
    // for it. A refusal is not fatal here: the first connection decides whether a WebSocket works instead.
    private async Task WarmUpAsync(PodBackend first, IProgress<string>? progress, CancellationToken cancellation)
    {
        progress?.Report($"Connecting to pod {first.Name}");
        try
        {
            await _spdy.SessionAsync(first, cancellation).ConfigureAwait(false);
            _tunnel.Protocol = SpdyUpgrade.Protocol;
        }
        catch (Exception e) when (!cancellation.IsCancellationRequested && e is not OperationCanceledException)
        {
            _tunnel.SetError($"cannot open a SPDY port-forward connection to pod {first.Name}: {e.Message}");
        }
    }

    // Connections to pods that left the usable set are closed (once their streams end); new pods get one at once.
    private async Task RetainSessionsAsync()
    {
        while (!_stop.IsCancellationRequested)
        {
            var changed = _watch.Changed;
            if (_useSpdy)
            {
                _spdy.Retain(_backends.Members);
            }

            try
            {
                await changed.WaitAsync(_stop.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }

    // Without "create pods/portforward" every connection would fail later with 403: say so now, before the ready signal.
    private async Task CheckAllowedAsync(CancellationToken cancellation)
    {
        var review = new k8s.Models.V1SelfSubjectAccessReview
        {
            Spec = new k8s.Models.V1SelfSubjectAccessReviewSpec
            {
                ResourceAttributes = new k8s.Models.V1ResourceAttributes
                {
                    NamespaceProperty = _plan.Namespace, Verb = "create", Resource = "pods", Subresource = "portforward",
                },
            },
        };
        var answer = await _session.Client.AuthorizationV1.CreateSelfSubjectAccessReviewAsync(review, cancellationToken: cancellation).ConfigureAwait(false);
        if (answer.Status?.Allowed != true)
        {
            throw new KubeExposeException(KubeExposeErrorKind.PermissionDenied, "PortForwardForbidden",
                $"Your Kubernetes user may not port-forward in namespace '{_plan.Namespace}' (it needs 'create' on 'pods/portforward'" +
                $"{(string.IsNullOrEmpty(answer.Status?.Reason) ? "" : ": " + answer.Status.Reason)}). Use a context with that permission, or ask for it.",
                $"{_plan.Target} in namespace {_plan.Namespace}");
        }
    }

    private async Task<PodBackend> WaitForPodAsync(IProgress<string>? progress, CancellationToken cancellation)
    {
        // Like kubectl's --pod-running-timeout: wait for at least one usable pod before giving the ready signal.
        var clock = Stopwatch.StartNew();
        while (true)
        {
            var changed = _watch.Changed;
            if (_backends.Members.FirstOrDefault() is { } pod)
            {
                return pod;
            }

            if (_watchTask.IsCompleted)
            {
                await _watchTask.ConfigureAwait(false);
            }

            var left = _podTimeout - clock.Elapsed;
            if (left <= TimeSpan.Zero)
            {
                var why = _watch.PortProblem ?? _watch.Describe() + (_tunnel.LastError is { } last ? $" (last error: {last})" : "");
                throw new KubeExposeException(KubeExposeErrorKind.Timeout, "NoReadyPod",
                    $"No {(_plan.RequireReady ? "ready" : "running")} pod for {_plan.Target} in namespace '{_plan.Namespace}' after " +
                    $"{_podTimeout.TotalSeconds.ToString("0", CultureInfo.InvariantCulture)} s: {why}. " +
                    "Check the pods (Get-ServiceReachability or kubectl get pods), or raise -PodRunningTimeoutSec.",
                    $"{_plan.Target} in namespace {_plan.Namespace}");
            }

            progress?.Report($"Waiting for a {(_plan.RequireReady ? "ready" : "running")} pod of {_plan.Target}: {_watch.Describe()}");
            await Task.WhenAny(changed, Task.Delay(left < TimeSpan.FromSeconds(2) ? left : TimeSpan.FromSeconds(2), cancellation)).ConfigureAwait(false);
            cancellation.ThrowIfCancellationRequested();
        }
    }

    private async Task HandleAsync(Socket client, int portIndex)
    {
        _clients.TryAdd(client, 0);
        _tunnel.ConnectionOpened();
        try
        {
            var (pair, socket, pod) = await OpenStreamAsync(portIndex).ConfigureAwait(false);
            if (pod is null)
            {
                return;
            }

            var error = pair is not null
                ? await SpdyPortForward.PumpAsync(pair, client, _tunnel, _stop.Token).ConfigureAwait(false)
                : await PortForwardChannel.PumpAsync(socket!, client, _tunnel, _stop.Token).ConfigureAwait(false);
            if (error is not null)
            {
                _tunnel.SetError($"pod {pod!.Name} port {pod.RemotePorts[portIndex]}: {error.Trim()}");
            }
        }
        catch (Exception e) when (_stop.IsCancellationRequested && e is OperationCanceledException or ObjectDisposedException or SocketException or WebSocketException)
        {
        }
        catch (Exception e)
        {
            // One connection's failure is recorded, never fatal to the tunnel.
            _tunnel.SetError($"connection on {_plan.Ports[portIndex]}: {e.Message}");
        }
        finally
        {
            _clients.TryRemove(client, out _);
            client.Dispose();
            _tunnel.ConnectionClosed();
        }
    }

    private async Task<(SpdyPortForward.StreamPair? Pair, WebSocket? Socket, PodBackend? Pod)> OpenStreamAsync(int portIndex)
    {
        var clock = Stopwatch.StartNew();
        var failed = new HashSet<string>(StringComparer.Ordinal);
        var attempt = 0;
        while (!_stop.IsCancellationRequested)
        {
            var changed = _watch.Changed;
            var pod = _backends.Next(b => failed.Contains(b.Name));
            if (pod is null)
            {
                if (clock.Elapsed > _podTimeout)
                {
                    _tunnel.SetError($"gave up a connection on {_plan.Ports[portIndex]} after {_podTimeout.TotalSeconds:0} s: no usable pod ({_watch.Describe()})");
                    return (null, null, null);
                }

                if (_backends.Members.Count == 0)
                {
                    _tunnel.SetState(TunnelState.Reconnecting);
                }

                // Every known pod failed in this round, or none is usable: wait for a change or the next backoff step.
                failed.Clear();
                await Task.WhenAny(changed, Task.Delay(Backoff.Default.Delay(attempt++), _stop.Token)).ConfigureAwait(false);
                continue;
            }

            try
            {
                var (pair, socket) = await OpenOnPodAsync(pod, pod.RemotePorts[portIndex]).ConfigureAwait(false);
                if (_backends.Members.Count > 0)
                {
                    _tunnel.SetState(TunnelState.Ready);
                }

                return (pair, socket, pod);
            }
            catch (Exception e) when (!_stop.IsCancellationRequested)
            {
                failed.Add(pod.Name);
                _tunnel.CountReconnect();
                _tunnel.SetError($"cannot open a stream to pod {pod.Name} port {pod.RemotePorts[portIndex]}: {e.Message}");
                if (clock.Elapsed > _podTimeout)
                {
                    return (null, null, null);
                }

                await Task.Delay(Backoff.Default.Delay(attempt++), _stop.Token).ConfigureAwait(false);
            }
        }

        return (null, null, null);
    }

    private async Task<(SpdyPortForward.StreamPair? Pair, WebSocket? Socket)> OpenOnPodAsync(PodBackend pod, int port)
    {
        if (_useSpdy)
        {
            try
            {
                var pair = await _spdy.OpenAsync(pod, port, _stop.Token).ConfigureAwait(false);
                _tunnel.Protocol = SpdyUpgrade.Protocol;
                return (pair, null);
            }
            catch (SpdyUpgradeRefusedException refused)
            {
                // Either the pod cannot be used (a WebSocket fails too) or SPDY is not accepted on the way to it (newer
                // API servers, proxies): then WebSockets it is, for the rest of the tunnel's life.
                WebSocket socket;
                try
                {
                    socket = await PortForwardChannel.OpenAsync(_transport, _plan.Namespace, pod.Name, port, _stop.Token).ConfigureAwait(false);
                }
                catch (Exception e) when (e is not OperationCanceledException)
                {
                    throw new IOException($"{refused.Message}; a WebSocket failed too: {e.Message}", e);
                }

                _useSpdy = false;
                _tunnel.Protocol = PortForwardChannel.Protocol;
                _tunnel.SetError($"{refused.Message}; using {PortForwardChannel.Protocol} WebSockets instead");
                await _spdy.DisposeAsync().ConfigureAwait(false);
                return (null, socket);
            }
        }

        var webSocket = await PortForwardChannel.OpenAsync(_transport, _plan.Namespace, pod.Name, port, _stop.Token).ConfigureAwait(false);
        _tunnel.Protocol = PortForwardChannel.Protocol;
        return (null, webSocket);
    }

    private void ListenerFailed(Exception e)
    {
        _tunnel.SetError($"a listener stopped: {e.Message}");
        var total = _listeners.Sum(l => l.Endpoints.Count);
        if (Interlocked.Increment(ref _failedListeners) >= total)
        {
            _tunnel.SetState(TunnelState.Failed);
            _ = StopAsync();
        }
    }

    public async Task StopAsync()
    {
        if (_stop.IsCancellationRequested)
        {
            return;
        }

        _stop.Cancel();
        foreach (var listener in _listeners)
        {
            listener.Dispose();
        }

        foreach (var client in _clients.Keys)
        {
            client.Dispose();
        }

        try
        {
            await Task.WhenAll(_acceptTask, _watchTask, _retainTask).WaitAsync(TimeSpan.FromSeconds(5)).ConfigureAwait(false);
        }
        catch (Exception)
        {
            // Stopping must not fail: whatever the loops ended with is moot now.
        }

        await _spdy.DisposeAsync().ConfigureAwait(false);

        _transport.Dispose();
        _session.Dispose();
        _tunnel.SetState(TunnelState.Stopped);
    }
}
