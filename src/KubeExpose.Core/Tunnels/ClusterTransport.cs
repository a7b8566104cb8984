using System.Net.Http.Headers;
using System.Net.Security;
using System.Net.Sockets;
using System.Security.Cryptography.X509Certificates;
using k8s;

namespace KubeExpose.Core.Tunnels;

/// <summary>
/// How to talk to the API server with the kubeconfig's credentials outside KubernetesClient's generated API: plain
/// HTTP requests (API proxy), raw TLS connections (upgraded API proxy requests) and WebSockets (port-forward). Client
/// certificates, bearer tokens (static or from a token provider), basic auth and the kubeconfig's CA are honoured.
/// </summary>
internal sealed class ClusterTransport : IDisposable
{
    private readonly KubernetesClientConfiguration _configuration;
    private readonly X509Certificate2Collection _clientCertificates = [];
    private readonly System.Collections.Concurrent.ConcurrentDictionary<string, DateTime> _trusted = new(StringComparer.Ordinal);

    public ClusterTransport(KubernetesClientConfiguration configuration)
    {
        _configuration = configuration;
        Server = new Uri(configuration.Host.TrimEnd('/') + "/");
        if (!string.IsNullOrEmpty(configuration.ClientCertificateData) || !string.IsNullOrEmpty(configuration.ClientCertificateFilePath))
        {
            _clientCertificates.Add(ClientCertificate(configuration));
        }

        Handler = new SocketsHttpHandler
        {
            AllowAutoRedirect = false,
            UseCookies = false,
            UseProxy = false,
            AutomaticDecompression = System.Net.DecompressionMethods.None,
            PooledConnectionIdleTimeout = TimeSpan.FromSeconds(90),
            ConnectTimeout = TimeSpan.FromSeconds(15),
            SslOptions = SslOptions(),
        };
        Invoker = new HttpMessageInvoker(Handler, disposeHandler: false);
    }

    /// <summary>The API server base address, ending in '/'.</summary>
    public Uri Server { get; }

    public SocketsHttpHandler Handler { get; }

    public HttpMessageInvoker Invoker { get; }

    /// <summary>The Authorization header value to send, or null when the client certificate is the credential.</summary>
    public async Task<string?> AuthorizationAsync(CancellationToken cancellation)
    {
        if (_configuration.TokenProvider is { } provider)
        {
            var header = await provider.GetAuthenticationHeaderAsync(cancellation).ConfigureAwait(false);
            return header?.ToString();
        }

        if (!string.IsNullOrEmpty(_configuration.AccessToken))
        {
            return new AuthenticationHeaderValue("Bearer", _configuration.AccessToken).ToString();
        }

        if (!string.IsNullOrEmpty(_configuration.Username))
        {
            var pair = System.Text.Encoding.UTF8.GetBytes($"{_configuration.Username}:{_configuration.Password}");
            return new AuthenticationHeaderValue("Basic", Convert.ToBase64String(pair)).ToString();
        }

        return null;
    }

    /// <summary>Opens a raw connection to the API server (TLS when the server is https), for upgraded requests.</summary>
    public async Task<Stream> ConnectRawAsync(CancellationToken cancellation)
    {
        var socket = new Socket(SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        try
        {
            await socket.ConnectAsync(Server.Host, Server.Port, cancellation).ConfigureAwait(false);
            var network = new NetworkStream(socket, ownsSocket: true);
            if (Server.Scheme != Uri.UriSchemeHttps)
            {
                return network;
            }

            var ssl = new SslStream(network, leaveInnerStreamOpen: false);
            var options = SslOptions();
            options.TargetHost = _configuration.TlsServerName ?? Server.IdnHost;
            options.ApplicationProtocols = [SslApplicationProtocol.Http11];
            await ssl.AuthenticateAsClientAsync(options, cancellation).ConfigureAwait(false);
            return ssl;
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }

    // The kubeconfig's PEM certificate and key (inline base64 or files), as a certificate TLS can present.
    private static X509Certificate2 ClientCertificate(KubernetesClientConfiguration configuration)
    {
        static string Pem(string? data, string? file) => !string.IsNullOrEmpty(data)
            ? System.Text.Encoding.UTF8.GetString(Convert.FromBase64String(data))
            : File.ReadAllText(file!);

        using var pem = X509Certificate2.CreateFromPem(
            Pem(configuration.ClientCertificateData, configuration.ClientCertificateFilePath),
            Pem(configuration.ClientCertificateKeyData, configuration.ClientKeyFilePath));
        // Re-import through PKCS#12: on Windows, SslStream cannot use a key that only lives in memory.
        return new X509Certificate2(pem.Export(X509ContentType.Pkcs12));
    }

    private SslClientAuthenticationOptions SslOptions()
    {
        var options = new SslClientAuthenticationOptions
        {
            ClientCertificates = _clientCertificates,
            RemoteCertificateValidationCallback = ValidateServerCertificate,
        };
        if (!string.IsNullOrEmpty(_configuration.TlsServerName))
        {
            options.TargetHost = _configuration.TlsServerName;
        }

        return options;
    }

    // The kubeconfig's CA is the trust root for the API server, as in kubectl; the system store is used when it has none.
    private bool ValidateServerCertificate(object sender, X509Certificate? certificate, X509Chain? chain, SslPolicyErrors errors)
    {
        if (_configuration.SkipTlsVerify)
        {
            return true;
        }

        if (errors == SslPolicyErrors.None)
        {
            return true;
        }

        if (certificate is null || _configuration.SslCaCerts is not { Count: > 0 } roots
            || (errors & ~SslPolicyErrors.RemoteCertificateChainErrors) != 0)
        {
            return false;
        }

        // Every forwarded connection is a new TLS connection to the same API server: a certificate that already chained
        // to the kubeconfig's CA in this tunnel is accepted again without rebuilding the chain, until it expires.
        var server = certificate as X509Certificate2 ?? new X509Certificate2(certificate);
        var key = server.GetCertHashString(System.Security.Cryptography.HashAlgorithmName.SHA256);
        if (_trusted.TryGetValue(key, out var notAfter) && DateTime.Now < notAfter)
        {
            return true;
        }

        using var custom = new X509Chain();
        custom.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
        custom.ChainPolicy.CustomTrustStore.AddRange(roots);
        custom.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
        if (!custom.Build(server))
        {
            return false;
        }

        _trusted[key] = server.NotAfter;
        return true;
    }

    public void Dispose()
    {
        Invoker.Dispose();
        Handler.Dispose();
    }
}
