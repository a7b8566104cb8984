using System.Net;
using System.Net.Sockets;

namespace KubeExpose.Core.Probing;

/// <summary>Opens a TCP connection the way a probe needs it: every resolved address tried in turn, the last real error kept.</summary>
internal static class SocketConnector
{
    public static async Task<Socket> ConnectAsync(string host, int port, CancellationToken cancellation)
    {
        IPAddress[] addresses = IPAddress.TryParse(host.Trim('[', ']'), out var literal)
            ? [literal]
            : await Dns.GetHostAddressesAsync(host, cancellation).ConfigureAwait(false);
        if (addresses.Length == 0)
        {
            throw new SocketException((int)SocketError.HostNotFound);
        }

        SocketException? last = null;
        foreach (var address in addresses)
        {
            var socket = new Socket(address.AddressFamily, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
            try
            {
                await socket.ConnectAsync(new IPEndPoint(address, port), cancellation).ConfigureAwait(false);
                return socket;
            }
            catch (SocketException e)
            {
                socket.Dispose();
                last = e;
            }
            catch
            {
                socket.Dispose();
                throw;
            }
        }

        throw last!;
    }

    public static string Describe(EndPoint? endPoint) => endPoint switch
    {
        IPEndPoint ip => ProbeTargets.FormatHostPort(ip.Address.IsIPv4MappedToIPv6 ? ip.Address.MapToIPv4().ToString() : ip.Address.ToString(), ip.Port),
        null => string.Empty,
        _ => endPoint.ToString() ?? string.Empty,
    };
}
