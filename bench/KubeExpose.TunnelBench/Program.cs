using System.Diagnostics;
using System.Globalization;
using System.Text.RegularExpressions;
using KubeExpose.Core.Cluster;
using KubeExpose.Core.Tunnels;

// Start-KubeProxyTunnel's engine against kubectl port-forward (throughput, connection setup) and kubectl proxy
// (requests per second), measured alternately in one run on the local cluster (tests/e2e/cluster.sh up); then how
// soon a replaced pod serves the next connection (PodReplacementBench).
// Usage: dotnet run -c Release --project bench/KubeExpose.TunnelBench -- [--mib 64] [--runs 3] [--connections 50] [--requests 400]
var mib = Option("--mib", 64);
var runs = Option("--runs", 3);
var connections = Option("--connections", 50);
var requests = Option("--requests", 400);
var kubeconfig = Environment.GetEnvironmentVariable("KUBECONFIG") ?? "/var/lib/kubeexpose-cluster/admin.kubeconfig";
var ns = $"bench-tunnel-{Guid.NewGuid().ToString("n")[..6]}";

Kubectl("create", "namespace", ns);
try
{
    WaitFor(() => Kubectl("-n", ns, "get", "serviceaccount", "default").Ok, "the default ServiceAccount");
    var yaml = $$$"""
        apiVersion: v1
        kind: Pod
        metadata: {name: files, namespace: {{{ns}}}, labels: {app: files}}
        spec:
          terminationGracePeriodSeconds: 1
          containers:
          - name: files
            image: kubeexpose.local/web:1
            imagePullPolicy: Never
            command: ["/bin/sh", "-c", "mkdir -p /data && echo ok > /data/small && dd if=/dev/urandom of=/data/big bs=1048576 count={{{mib}}} 2>/dev/null && exec httpd -f -p 8080 -h /data"]
            ports: [{name: files, containerPort: 8080}]
            readinessProbe: {tcpSocket: {port: 8080}, periodSeconds: 1}
        """;
    var file = Path.GetTempFileName();
    File.WriteAllText(file, yaml);
    Kubectl("apply", "-f", file);
    File.Delete(file);
    WaitFor(() => Kubectl("-n", ns, "get", "pod", "files", "-o", "jsonpath={.status.conditions[?(@.type==\"Ready\")].status}").Output == "True", "pod files Ready");

    using var http = new HttpClient(new SocketsHttpHandler { UseProxy = false, PooledConnectionLifetime = TimeSpan.Zero }) { Timeout = TimeSpan.FromMinutes(10) };
    http.DefaultRequestHeaders.ConnectionClose = true;

    // Port-forward: both forwarders up at once, measured alternately so the cluster's state is the same for both.
    var ours = (await TunnelFactory.StartPortForwardAsync(new PortForwardRequest(new KubeConnectionOptions(kubeconfig, null, ns), "pod/files", [":8080"], ["127.0.0.1"]),
        Guid.NewGuid(), null, CancellationToken.None)).Tunnel;
    using var kubectlForward = Background(@"Forwarding from 127\.0\.0\.1:(\d+)", "-n", ns, "port-forward", "pod/files", ":8080");
    var oursUrl = ours.Url!;
    var kubectlUrl = $"http://127.0.0.1:{kubectlForward.Match}/";

    // One download (it used to make `runs` downloads per call and keep the first: CPU figures covered three).
    double Throughput(string url)
    {
        var sw = Stopwatch.StartNew();
        var bytes = http.GetByteArrayAsync(url + "big").GetAwaiter().GetResult().LongLength;
        return bytes / 1048576.0 / sw.Elapsed.TotalSeconds;
    }

    double Setup(string url)
    {
        var sw = Stopwatch.StartNew();
        for (var i = 0; i < connections; i++)
        {
            http.GetStringAsync(url + "small").GetAwaiter().GetResult();
        }

        return sw.Elapsed.TotalMilliseconds / connections;
    }

    Setup(oursUrl); // warm-up of both paths (JIT, TLS session, kubelet streaming server)
    Setup(kubectlUrl);
    var kubectlMbs = new List<double>();
    var oursMbs = new List<double>();
    // CPU seconds of the forwarding client per run: this process (download + KubeExpose's forwarder) minus the
    // download alone is not separable, so both figures include the same in-process download; kubectl's own CPU is added.
    var self = Process.GetCurrentProcess();
    double kubectlCpu = 0, oursCpu = 0;
    Dictionary<string, double> kubectlPath = [], oursPath = [];
    for (var r = 0; r < runs; r++)
    {
        var before = self.TotalProcessorTime + kubectlForward.Cpu;
        var snapBefore = ProcessCpu.Snapshot();
        kubectlMbs.Add(Throughput(kubectlUrl));
        self.Refresh();
        var middle = self.TotalProcessorTime + kubectlForward.Cpu;
        var snapMiddle = ProcessCpu.Snapshot();
        oursMbs.Add(Throughput(oursUrl));
        self.Refresh();
        var after = self.TotalProcessorTime + kubectlForward.Cpu;
        ProcessCpu.Add(kubectlPath, snapBefore, snapMiddle);
        ProcessCpu.Add(oursPath, snapMiddle, ProcessCpu.Snapshot());
        kubectlCpu += (middle - before).TotalSeconds;
        oursCpu += (after - middle).TotalSeconds;
    }

    var kubectlSetup = Setup(kubectlUrl);
    var oursSetup = Setup(oursUrl);
    var protocol = ours.Protocol;
    await ours.StopAsync();

    // API proxy: the same keep-alive GETs with 8 clients in parallel.
    var proxy = (await TunnelFactory.StartApiProxyAsync(new ApiProxyRequest(new KubeConnectionOptions(kubeconfig, null, ns), Port: 0), Guid.NewGuid(), CancellationToken.None)).Tunnel;
    using var kubectlProxy = Background(@"Starting to serve on (\S+)", "proxy", "--port=0");
    var path = $"/api/v1/namespaces/{ns}/pods/files";
    double RequestsPerSecond(string baseUrl)
    {
        using var pooled = new HttpClient(new SocketsHttpHandler { UseProxy = false, MaxConnectionsPerServer = 8 });
        var sw = Stopwatch.StartNew();
        Parallel.For(0, requests, new ParallelOptions { MaxDegreeOfParallelism = 8 }, _ => pooled.GetStringAsync(baseUrl + path).GetAwaiter().GetResult());
        return requests / sw.Elapsed.TotalSeconds;
    }

    var proxyBase = new Uri(proxy.Url!).GetLeftPart(UriPartial.Authority);
    var kubectlProxyBase = $"http://{kubectlProxy.Match}";
    RequestsPerSecond(proxyBase);
    RequestsPerSecond(kubectlProxyBase);
    var kubectlRps = new List<double>();
    var oursRps = new List<double>();
    for (var r = 0; r < runs; r++)
    {
        kubectlRps.Add(RequestsPerSecond(kubectlProxyBase));
        oursRps.Add(RequestsPerSecond(proxyBase));
    }

    await proxy.StopAsync();

    // Pod replacement: the next connection served by the new pod, measured from the moment it is Ready.
    var (gapMs, oldPod, newPod) = await PodReplacementBench.MeasureAsync(kubeconfig, ns, a => Kubectl(a));

    Console.WriteLine($"KubeExpose port-forward protocol: {protocol}");
    Console.WriteLine($"port-forward throughput, {mib} MiB download x{runs} (median MB/s): kubectl {Median(kubectlMbs):F1}, KubeExpose {Median(oursMbs):F1}, ratio {Median(oursMbs) / Median(kubectlMbs):F2}x (goal >= 1.5x)");
    Console.WriteLine($"client-side CPU per {mib} MiB (s, includes the in-process download): kubectl path {kubectlCpu / runs:F2}, KubeExpose path {oursCpu / runs:F2}; load average {File.ReadAllText("/proc/loadavg").Split(' ')[0]}");
    Console.WriteLine($"CPU seconds per {mib} MiB by process, kubectl path: {ProcessCpu.Format(kubectlPath, runs)}");
    Console.WriteLine($"CPU seconds per {mib} MiB by process, KubeExpose path: {ProcessCpu.Format(oursPath, runs)}");
    Console.WriteLine($"port-forward connection setup + tiny GET, mean of {connections} (ms): kubectl {kubectlSetup:F1}, KubeExpose {oursSetup:F1}, ratio {kubectlSetup / oursSetup:F2}x faster");
    Console.WriteLine($"API proxy GET {path}, {requests} requests x{runs}, 8 parallel (median req/s): kubectl proxy {Median(kubectlRps):F0}, KubeExpose {Median(oursRps):F0}, ratio {Median(oursRps) / Median(kubectlRps):F2}x (goal >= 1.0x)");
    Console.WriteLine($"pod replacement: first connection served by the new pod {newPod} {gapMs:F0} ms after a watch saw it Ready (old pod {oldPod}; #7 asks for <= 2000 ms)");
    return 0;
}
finally
{
    Kubectl("delete", "namespace", ns, "--wait=false");
}

int Option(string name, int fallback)
{
    var i = Array.IndexOf(args, name);
    return i >= 0 && i + 1 < args.Length ? int.Parse(args[i + 1], CultureInfo.InvariantCulture) : fallback;
}

static double Median(List<double> values)
{
    var sorted = values.Order().ToList();
    return sorted.Count % 2 == 1 ? sorted[sorted.Count / 2] : (sorted[sorted.Count / 2 - 1] + sorted[sorted.Count / 2]) / 2;
}

(bool Ok, string Output) Kubectl(params string[] arguments)
{
    var psi = new ProcessStartInfo("kubectl") { RedirectStandardOutput = true, RedirectStandardError = true };
    psi.ArgumentList.Add("--kubeconfig");
    psi.ArgumentList.Add(kubeconfig);
    foreach (var a in arguments)
    {
        psi.ArgumentList.Add(a);
    }

    using var p = Process.Start(psi)!;
    var output = p.StandardOutput.ReadToEnd();
    p.StandardError.ReadToEnd();
    p.WaitForExit();
    return (p.ExitCode == 0, output);
}

void WaitFor(Func<bool> condition, string what)
{
    var sw = Stopwatch.StartNew();
    while (!condition())
    {
        if (sw.Elapsed > TimeSpan.FromMinutes(3))
        {
            throw new TimeoutException($"waited 3 minutes for {what}");
        }

        Thread.Sleep(500);
    }
}

BackgroundKubectl Background(string pattern, params string[] arguments)
{
    var psi = new ProcessStartInfo("kubectl") { RedirectStandardOutput = true, RedirectStandardError = true };
    psi.ArgumentList.Add("--kubeconfig");
    psi.ArgumentList.Add(kubeconfig);
    foreach (var a in arguments)
    {
        psi.ArgumentList.Add(a);
    }

    var process = Process.Start(psi)!;
    process.ErrorDataReceived += (_, _) => { };
    process.BeginErrorReadLine();
    while (process.StandardOutput.ReadLine() is { } line)
    {
        var match = Regex.Match(line, pattern);
        if (match.Success)
        {
            // Keep draining stdout ("Handling connection for ...") so kubectl never blocks on a full pipe.
            _ = Task.Run(() => process.StandardOutput.ReadToEnd());
            return new BackgroundKubectl(process, match.Groups[1].Value);
        }
    }

    throw new InvalidOperationException($"kubectl {string.Join(' ', arguments)} ended without printing '{pattern}'");
}

internal sealed class BackgroundKubectl(Process process, string match) : IDisposable
{
    public string Match { get; } = match;

    public TimeSpan Cpu
    {
        get
        {
            process.Refresh();
            return process.TotalProcessorTime;
        }
    }

    public void Dispose()
    {
        process.Kill(entireProcessTree: true);
        process.WaitForExit();
        process.Dispose();
    }
}
