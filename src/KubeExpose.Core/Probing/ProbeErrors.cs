using System.Net.Http;
using System.Net.Sockets;
using System.Security.Authentication;

namespace KubeExpose.Core.Probing;

/// <summary>
/// Names the real reason behind a failed attempt. .NET wraps socket and TLS failures in HttpRequestException and
/// IOException; the innermost cause is what a user can act on.
/// </summary>
internal static class ProbeErrors
{
    public static (ProbeFailureKind Kind, string Message) Classify(Exception error, string host, int port)
    {
        for (var e = error; e is not null; e = e.InnerException)
        {
            switch (e)
            {
                case SocketException socket:
                    return Socket(socket, host, port);
                case AuthenticationException auth:
                    return (ProbeFailureKind.Tls, $"TLS: {auth.Message}");
            }
        }

        if (error is HttpRequestException http)
        {
            switch (http.HttpRequestError)
            {
                case HttpRequestError.NameResolutionError:
                    return (ProbeFailureKind.NameResolution, $"DNS: cannot resolve '{host}'");
                case HttpRequestError.SecureConnectionError:
                    return (ProbeFailureKind.Tls, $"TLS: {http.Message}");
                case HttpRequestError.ResponseEnded:
                    return (ProbeFailureKind.ConnectionReset, "the connection closed before a response arrived");
                case HttpRequestError.InvalidResponse:
                    return (ProbeFailureKind.Other, $"invalid HTTP response: {http.Message} (is it an HTTP server? for TLS use https://)");
            }
        }

        if (error is IOException or HttpRequestException && (error.InnerException ?? error) is IOException io && io.Message.Contains("reset", StringComparison.OrdinalIgnoreCase))
        {
            return (ProbeFailureKind.ConnectionReset, "connection reset by peer");
        }

        if (error is EndOfStreamException or IOException)
        {
            return (ProbeFailureKind.ConnectionReset, $"the connection closed: {error.Message}");
        }

        return (ProbeFailureKind.Other, error.Message);
    }

    public static string TimedOut(TimeSpan timeout) => $"timed out after {Seconds(timeout)} s";

    public static string Seconds(TimeSpan span) => span.TotalSeconds.ToString("0.###", System.Globalization.CultureInfo.InvariantCulture);

    private static (ProbeFailureKind, string) Socket(SocketException socket, string host, int port)
    {
        var where = ProbeTargets.FormatHostPort(host, port);
        return socket.SocketErrorCode switch
        {
            SocketError.ConnectionRefused => (ProbeFailureKind.ConnectionRefused, $"connection refused ({where})"),
            SocketError.ConnectionReset or SocketError.ConnectionAborted or SocketError.Shutdown => (ProbeFailureKind.ConnectionReset, $"connection reset by peer ({where})"),
            SocketError.TimedOut => (ProbeFailureKind.Timeout, $"connect timed out ({where})"),
            SocketError.HostNotFound or SocketError.NoData or SocketError.TryAgain or SocketError.NoRecovery => (ProbeFailureKind.NameResolution, $"DNS: cannot resolve '{host}'"),
            SocketError.NetworkUnreachable or SocketError.HostUnreachable or SocketError.NetworkDown or SocketError.HostDown => (ProbeFailureKind.Unreachable, $"no route to {where}"),
            SocketError.AddressNotAvailable => (ProbeFailureKind.Unreachable, $"address not available ({where})"),
            _ => (ProbeFailureKind.Other, $"{socket.Message} ({where})"),
        };
    }
}
