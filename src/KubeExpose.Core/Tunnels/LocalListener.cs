using System.Globalization;
using System.Net;
using System.Net.Sockets;

namespace KubeExpose.Core.Tunnels;

/// <summary>
/// The listening sockets of one local port on one or more addresses, with an accept loop that hands every accepted
/// connection to a handler. A failing handler never stops the loop.
/// </summary>
internal sealed class LocalListener : IDisposable
{
    private readonly List<Socket> _sockets = [];

    /// <summary>The bound port (the chosen one when 0 was asked for).</summary>
    public int Port { get; private set; }

    public IReadOnlyList<IPEndPoint> Endpoints => _sockets.Select(s => (IPEndPoint)s.LocalEndPoint!).ToList();

    /// <summary>
    /// Binds <paramref name="port"/> (0 = a free port, then the same port on every other address). Warnings collect
    /// best-effort addresses that could not be bound.
    /// </summary>
    public static LocalListener Bind(ListenAddresses addresses, int port, ICollection<string> warnings)
    {
        var listener = new LocalListener();
        var chosen = port;
        try
        {
            foreach (var (address, required) in addresses.Required.Select(a => (a, true)).Concat(addresses.BestEffort.Select(a => (a, false))))
            {
                try
                {
                    var socket = Listen(address, chosen);
                    chosen = ((IPEndPoint)socket.LocalEndPoint!).Port;
                    listener._sockets.Add(socket);
                }
                catch (SocketException e) when (!required)
                {
                    warnings.Add($"Unable to listen on {Format(address, chosen)}: {e.Message}");
                }
                catch (SocketException e)
                {
                    throw new KubeExposeException(KubeExposeErrorKind.InvalidArgument, "CannotListen",
                        $"Unable to listen on {Format(address, chosen)}: {e.Message}. Choose another local port or address.",
                        Format(address, chosen), e);
                }
            }

            if (listener._sockets.Count == 0)
            {
                throw new KubeExposeException(KubeExposeErrorKind.InvalidArgument, "CannotListen",
                    $"Unable to listen on port {chosen} of any requested address: {string.Join("; ", warnings)}. Choose another local port.",
                    chosen.ToString(CultureInfo.InvariantCulture));
            }

            listener.Port = chosen;
            return listener;
        }
        catch
        {
            listener.Dispose();
            throw;
        }
    }

    private static Socket Listen(IPAddress address, int port)
    {
        var socket = new Socket(address.AddressFamily, SocketType.Stream, ProtocolType.Tcp);
        try
        {
            if (address.AddressFamily == AddressFamily.InterNetworkV6)
            {
                socket.DualMode = false; // "::1" must not also take 127.0.0.1's place.
            }

            socket.Bind(new IPEndPoint(address, port));
            socket.Listen(512);
            return socket;
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }

    public static string Format(IPAddress address, int port) => new IPEndPoint(address, port).ToString();

    /// <summary>Accepts on every socket until cancelled; each connection runs <paramref name="handle"/> on its own.</summary>
    public Task RunAsync(Func<Socket, Task> handle, Action<Exception> onListenerFailure, CancellationToken cancellation) =>
        Task.WhenAll(_sockets.Select(s => AcceptLoopAsync(s, handle, onListenerFailure, cancellation)));

    private static async Task AcceptLoopAsync(Socket socket, Func<Socket, Task> handle, Action<Exception> onListenerFailure, CancellationToken cancellation)
    {
        while (!cancellation.IsCancellationRequested)
        {
            Socket client;
            try
            {
                client = await socket.AcceptAsync(cancellation).ConfigureAwait(false);
            }
            catch (Exception) when (cancellation.IsCancellationRequested)
            {
                return;
            }
            catch (SocketException e) when (e.SocketErrorCode is SocketError.ConnectionReset or SocketError.ConnectionAborted)
            {
                continue; // the client gave up before we accepted: not the listener's problem
            }
            catch (Exception e)
            {
                onListenerFailure(e);
                return;
            }

            client.NoDelay = true;
            _ = Task.Run(() => handle(client), CancellationToken.None);
        }
    }

    public void Dispose()
    {
        foreach (var socket in _sockets)
        {
            socket.Dispose();
        }
    }
}
