using System.Net.Sockets;
using System.Runtime.InteropServices;
using KubeExpose.Plugin.Server;

namespace KubeExpose.Plugin.Launcher;

/// <summary>How a call went when offered to the warm engine server.</summary>
internal enum ServedOutcome
{
    /// <summary>The server ran it; its exit code is final.</summary>
    Served,

    /// <summary>No server for this build is listening (or it is not ours): run in-process, then start one.</summary>
    NoServer,

    /// <summary>The server is busy or does not serve this subcommand, or the server is switched off: run in-process.</summary>
    NotServed,
}

/// <summary>
/// The calling side: hands the command line, working directory and environment to the warm server and relays its
/// stdout, stderr and exit code, and Ctrl+C the other way. Uses nothing but the base library, so a served call costs
/// the .NET start and one local round trip instead of the engine's start-up.
/// </summary>
internal static class EngineClient
{
    public static ServedOutcome TryRun(IReadOnlyList<string> args, out int exitCode)
    {
        exitCode = 0;
        if (!EngineServerSettings.Enabled)
        {
            return ServedOutcome.NotServed;
        }

        var path = EngineServerSettings.SocketPath;
        if (!File.Exists(path))
        {
            return ServedOutcome.NoServer;
        }

        using var socket = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
        try
        {
            socket.Connect(new UnixDomainSocketEndPoint(path));
        }
        catch (SocketException)
        {
            return ServedOutcome.NoServer; // a socket file left by a server that has gone
        }

        if (!PeerCredentials.IsSameUser(socket))
        {
            return ServedOutcome.NotServed;
        }

        string workingDirectory;
        try
        {
            workingDirectory = Environment.CurrentDirectory;
        }
        catch (IOException)
        {
            return ServedOutcome.NotServed; // the caller's directory was deleted; let the call itself report what fails
        }

        using var stream = new NetworkStream(socket, ownsSocket: false);
        var writeLock = new object();
        var call = new CallRequest(args, workingDirectory, CurrentEnvironment());
        EngineProtocol.Write(stream, EngineProtocol.Request, EngineProtocol.EncodeRequest(call));

        // The first Ctrl+C asks the server to stop the cmdlet (as it would in-process); a second one ends this process.
        var interrupts = 0;
        void OnSignal(PosixSignalContext context)
        {
            if (Interlocked.Increment(ref interrupts) > 1)
            {
                return;
            }

            context.Cancel = true;
            try
            {
                lock (writeLock)
                {
                    EngineProtocol.Write(stream, EngineProtocol.Interrupt, []);
                }
            }
            catch (IOException)
            {
            }
        }

        using var interrupt = PosixSignalRegistration.Create(PosixSignal.SIGINT, OnSignal);
        using var terminate = PosixSignalRegistration.Create(PosixSignal.SIGTERM, OnSignal);
        using var stdout = Console.OpenStandardOutput();
        using var stderr = Console.OpenStandardError();
        var wroteAnything = false;
        while (true)
        {
            (byte Type, byte[] Payload)? frame;
            try
            {
                frame = EngineProtocol.Read(stream);
            }
            catch (IOException)
            {
                frame = null;
            }

            switch (frame)
            {
                case (EngineProtocol.Stdout, var bytes):
                    stdout.Write(bytes);
                    wroteAnything = true;
                    break;
                case (EngineProtocol.Stderr, var bytes):
                    stderr.Write(bytes);
                    wroteAnything = true;
                    break;
                case (EngineProtocol.Exit, var bytes):
                    exitCode = BitConverter.ToInt32(bytes);
                    return ServedOutcome.Served;
                case (EngineProtocol.Declined, _):
                    return ServedOutcome.NotServed;
                default:
                    // The server went away mid-call. What it did (an apply?) cannot be undone or safely repeated here.
                    Console.Error.WriteLine(wroteAnything
                        ? "error: the KubeExpose engine server ended during the call; its output above may be incomplete"
                        : "error: the KubeExpose engine server ended during the call; run it again (KUBEEXPOSE_PLUGIN_SERVER=off runs it in this process)");
                    exitCode = 1;
                    return ServedOutcome.Served;
            }
        }
    }

    private static Dictionary<string, string> CurrentEnvironment()
    {
        var environment = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (System.Collections.DictionaryEntry entry in Environment.GetEnvironmentVariables())
        {
            environment[(string)entry.Key] = entry.Value as string ?? "";
        }

        return environment;
    }
}
