using System.Collections.Concurrent;
using System.Net;
using System.Net.Security;
using System.Net.Sockets;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;

namespace KubeExpose.Tests.Servers;

// Real servers on 127.0.0.1 for the probe tests. No dependency on KubeExpose: the module-host tests link this file
// too, and they must not load the module's assemblies outside its own load context.

/// <summary>A TCP listener on 127.0.0.1 that runs a handler per connection, until disposed.</summary>
public class LoopbackServer : IDisposable
{
    private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
    private readonly CancellationTokenSource _stop = new();
    private readonly Func<TcpClient, Stream, CancellationToken, Task>? _onConnection;
    private readonly X509Certificate2? _certificate;
    private int _connections;

    /// <summary>A server that runs <paramref name="onConnection"/> for each connection (over TLS with a certificate).</summary>
    public LoopbackServer(Func<TcpClient, Stream, CancellationToken, Task> onConnection, X509Certificate2? certificate = null)
        : this(certificate)
    {
        _onConnection = onConnection;
        Start();
    }

    /// <summary>For subclasses that override <see cref="OnConnectionAsync"/>; they call <see cref="Start"/> when ready.</summary>
    protected LoopbackServer(X509Certificate2? certificate) => _certificate = certificate;

    /// <summary>Whether connections are wrapped in TLS.</summary>
    public bool IsTls => _certificate is not null;

    protected void Start()
    {
        _listener.Start();
        _ = AcceptLoopAsync();
    }

    protected virtual Task OnConnectionAsync(TcpClient client, Stream stream, CancellationToken stop) =>
        _onConnection is null ? Task.CompletedTask : _onConnection(client, stream, stop);

    public int Port => ((IPEndPoint)_listener.LocalEndpoint).Port;

    public string Address => $"127.0.0.1:{Port}";

    /// <summary>Connections accepted so far.</summary>
    public int Connections => Volatile.Read(ref _connections);

    private async Task AcceptLoopAsync()
    {
        while (!_stop.IsCancellationRequested)
        {
            TcpClient client;
            try
            {
                client = await _listener.AcceptTcpClientAsync(_stop.Token);
            }
            catch (Exception)
            {
                return;
            }

            Interlocked.Increment(ref _connections);
            _ = Task.Run(async () =>
            {
                using (client)
                {
                    try
                    {
                        Stream stream = client.GetStream();
                        if (_certificate is not null)
                        {
                            var ssl = new SslStream(stream, leaveInnerStreamOpen: false);
                            await ssl.AuthenticateAsServerAsync(_certificate, clientCertificateRequired: false, checkCertificateRevocation: false);
                            stream = ssl;
                        }

                        await using (stream)
                        {
                            await OnConnectionAsync(client, stream, _stop.Token);
                        }
                    }
                    catch (Exception)
                    {
                        // The client went away (timeouts, rejected certificates): that is what some tests provoke.
                    }
                }
            });
        }
    }

    public void Dispose()
    {
        _stop.Cancel();
        _listener.Stop();
        GC.SuppressFinalize(this);
    }

    /// <summary>A port nothing listens on: bound, read and released, so connecting is refused.</summary>
    public static int RefusedPort()
    {
        var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        return port;
    }

    /// <summary>A self-signed certificate for CN=<paramref name="commonName"/> (SAN that name and 127.0.0.1), valid for a day.</summary>
    public static X509Certificate2 SelfSignedCertificate(string commonName = "localhost", bool loopbackAddress = true)
    {
        using var key = RSA.Create(2048);
        var request = new CertificateRequest($"CN={commonName}, O=KubeExpose Tests", key, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        var san = new SubjectAlternativeNameBuilder();
        san.AddDnsName(commonName);
        if (loopbackAddress)
        {
            san.AddIpAddress(IPAddress.Loopback);
        }

        request.CertificateExtensions.Add(san.Build());
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([new Oid("1.3.6.1.5.5.7.3.1")], false));
        using var created = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddMinutes(-5), DateTimeOffset.UtcNow.AddDays(1));
        // Round-trip through PFX: SslStream on Linux needs a certificate whose private key it can export.
        return X509CertificateLoader.LoadPkcs12(created.Export(X509ContentType.Pfx), null);
    }
}

/// <summary>What the HTTP server received.</summary>
public sealed record HttpRequestSeen(int Index, string Method, string Path, IReadOnlyDictionary<string, string> Headers);

/// <summary>How the HTTP server answers one request.</summary>
public sealed record HttpReply(int Status, string Body = "ok", TimeSpan Delay = default, bool Reset = false, string ContentType = "text/plain; charset=utf-8");

/// <summary>
/// A minimal HTTP/1.1 server (one request per connection, Connection: close) whose answer to the Nth request is
/// chosen by the test: a status, a body, a delay, or a reset.
/// </summary>
public sealed class LoopbackHttpServer : LoopbackServer
{
    private readonly ConcurrentQueue<HttpRequestSeen> _requests = new();
    private int _index;
    private int _inFlight;
    private int _maxInFlight;

    private readonly Func<HttpRequestSeen, Task<HttpReply>> _reply;

    /// <summary>An HTTP server (HTTPS with a certificate) whose reply to each request the test computes asynchronously.</summary>
    public LoopbackHttpServer(Func<HttpRequestSeen, Task<HttpReply>> reply, X509Certificate2? certificate = null)
        : base(certificate)
    {
        _reply = reply;
        Start();
    }

    public LoopbackHttpServer(Func<HttpRequestSeen, HttpReply> reply, X509Certificate2? certificate = null)
        : this(r => Task.FromResult(reply(r)), certificate)
    {
    }

    public string Url => $"{(IsTls ? "https" : "http")}://127.0.0.1:{Port}/";

    public IReadOnlyList<HttpRequestSeen> Requests => [.. _requests.OrderBy(r => r.Index)];

    /// <summary>The most requests this server was handling at the same moment.</summary>
    public int MaxInFlight => Volatile.Read(ref _maxInFlight);

    /// <summary>Requests being handled right now.</summary>
    public int InFlight => Volatile.Read(ref _inFlight);

    protected override Task OnConnectionAsync(TcpClient client, Stream stream, CancellationToken stop) => HandleAsync(client, stream, stop);

    private async Task HandleAsync(TcpClient client, Stream stream, CancellationToken stop)
    {
        var head = await ReadHeadAsync(stream, stop);
        if (head is null)
        {
            return;
        }

        var lines = head.Split("\r\n");
        var requestLine = lines[0].Split(' ');
        var headers = lines.Skip(1).Where(l => l.Contains(':'))
            .GroupBy(l => l[..l.IndexOf(':')].Trim(), StringComparer.OrdinalIgnoreCase)
            .ToDictionary(g => g.Key, g => g.First()[(g.First().IndexOf(':') + 1)..].Trim(), StringComparer.OrdinalIgnoreCase);
        var seen = new HttpRequestSeen(Interlocked.Increment(ref _index), requestLine[0], requestLine.Length > 1 ? requestLine[1] : "/", headers);
        _requests.Enqueue(seen);
        var now = Interlocked.Increment(ref _inFlight);
        int max;
        while (now > (max = Volatile.Read(ref _maxInFlight)) && Interlocked.CompareExchange(ref _maxInFlight, now, max) != max)
        {
        }

        var counted = true;
        try
        {
            var reply = await _reply(seen);
            if (reply.Delay > TimeSpan.Zero)
            {
                await Task.Delay(reply.Delay, stop);
            }

            // Leave the in-flight count before answering: once the client has the reply it may start its next request,
            // and counting this one until the write completes would report an overlap the client never had.
            Interlocked.Decrement(ref _inFlight);
            counted = false;
            if (reply.Reset)
            {
                client.Client.LingerState = new LingerOption(true, 0);
                client.Client.Close();
                return;
            }

            var body = Encoding.UTF8.GetBytes(reply.Body);
            var response = $"HTTP/1.1 {reply.Status} {ReasonOf(reply.Status)}\r\nContent-Type: {reply.ContentType}\r\nContent-Length: {body.Length}\r\nConnection: close\r\n\r\n";
            await stream.WriteAsync(Encoding.ASCII.GetBytes(response), stop);
            await stream.WriteAsync(body, stop);
            await stream.FlushAsync(stop);
        }
        finally
        {
            if (counted)
            {
                Interlocked.Decrement(ref _inFlight);
            }
        }
    }

    private static async Task<string?> ReadHeadAsync(Stream stream, CancellationToken stop)
    {
        var buffer = new List<byte>();
        var one = new byte[1];
        while (buffer.Count < 65536)
        {
            if (await stream.ReadAsync(one, stop) == 0)
            {
                return null;
            }

            buffer.Add(one[0]);
            if (buffer.Count >= 4 && buffer[^1] == '\n' && buffer[^2] == '\r' && buffer[^3] == '\n' && buffer[^4] == '\r')
            {
                return Encoding.ASCII.GetString([.. buffer]);
            }
        }

        return null;
    }

    private static string ReasonOf(int status) => status switch
    {
        200 => "OK",
        204 => "No Content",
        301 => "Moved Permanently",
        404 => "Not Found",
        500 => "Internal Server Error",
        503 => "Service Unavailable",
        _ => "Status",
    };
}
