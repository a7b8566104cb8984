using System.Collections;
using System.Net.Sockets;
using System.Runtime.InteropServices;
using System.Text;
using KubeExpose.Plugin.Cli;
using KubeExpose.Plugin.Hosting;

namespace KubeExpose.Plugin.Server;

/// <summary>
/// The warm engine: the engine host started in the background (<c>KubeExpose.Plugin --engine-server</c>),
/// which keeps the PowerShell engine, the module's assemblies and their compiled code loaded, so that a call costs what
/// the cmdlet does rather than the engine's start-up. Every call still gets a fresh runspace with the module imported,
/// the caller's environment and working directory: a served call behaves as the same call in-process. One call at a
/// time (the environment is the process's); a second caller is declined and runs in its own process. The server exits
/// after <see cref="EngineServerSettings.IdleTimeout"/> without calls.
/// </summary>
internal static class EngineServer
{
    public const string Flag = "--engine-server";

    private static readonly SemaphoreSlim OneCallAtATime = new(1, 1);

    private static readonly SpareRunspaces Spares = new();

    /// <summary>
    /// Whether the server runs these arguments: everything but tunnel and proxy, which stay in the foreground of their
    /// own process until Ctrl+C. Help, version and usage errors need no engine but are answered faster here too.
    /// </summary>
    public static bool Serves(IReadOnlyList<string> args)
    {
        try
        {
            return ArgumentMapper.Map(args) is not InvokeRequest { Subcommand: Subcommand.Tunnel or Subcommand.Proxy };
        }
        catch (UsageException)
        {
            return true;
        }
    }

    public static int Run()
    {
        if (!OperatingSystem.IsLinux() || !EngineServerSettings.PrepareDirectory())
        {
            return 1;
        }

        // Started from a terminal's process group: Ctrl+C there is meant for the caller, not for this server.
        using var interrupt = PosixSignalRegistration.Create(PosixSignal.SIGINT, c => c.Cancel = true);
        using var hangup = PosixSignalRegistration.Create(PosixSignal.SIGHUP, c => c.Cancel = true);
        Directory.SetCurrentDirectory("/");
        // A call blocks pool threads for its whole length (the cmdlet's pipeline, the read that waits for the caller's
        // Ctrl+C) while the next runspace opens on another; with the default minimum (one per core) the cmdlet's own
        // HTTP continuations then wait for the pool to grow, about half a second at a time.
        ThreadPool.GetMinThreads(out var workers, out var completions);
        ThreadPool.SetMinThreads(Math.Max(workers, 16), Math.Max(completions, 16));
        var path = EngineServerSettings.SocketPath;
        if (IsListening(path))
        {
            return 0; // two first calls at once each start a server; the first one to listen wins
        }

        // Load and compile the engine and the module before listening, so the first served call is already warm.
        Spares.Warm();

        using var listener = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
        try
        {
            if (File.Exists(path) && !IsListening(path))
            {
                File.Delete(path);
            }

            listener.Bind(new UnixDomainSocketEndPoint(path));
        }
        catch (SocketException)
        {
            return 0;
        }

        File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        listener.Listen(16);
        Serve(listener, path);
        return 0; // disposing the bound listener removes its socket file
    }

    private static void Serve(Socket listener, string path)
    {
        var idle = EngineServerSettings.IdleTimeout;
        var lastCall = DateTime.UtcNow;
        var running = 0;
        using var terminate = new CancellationTokenSource();
        using var sigterm = PosixSignalRegistration.Create(PosixSignal.SIGTERM, c =>
        {
            c.Cancel = true;
            terminate.Cancel();
        });
        while (!terminate.IsCancellationRequested)
        {
            using var wait = CancellationTokenSource.CreateLinkedTokenSource(terminate.Token);
            wait.CancelAfter(TimeSpan.FromSeconds(5));
            Socket connection;
            try
            {
                connection = listener.AcceptAsync(wait.Token).AsTask().GetAwaiter().GetResult();
            }
            catch (OperationCanceledException)
            {
                // Idle long enough, or our socket file was removed or replaced (by `rm`, or a newer server): exit.
                var idleFor = DateTime.UtcNow - lastCall;
                if (Volatile.Read(ref running) == 0 && (idleFor > idle || !File.Exists(path)))
                {
                    return;
                }

                continue;
            }

            Interlocked.Increment(ref running);
            _ = Task.Run(() =>
            {
                try
                {
                    Handle(connection);
                }
                finally
                {
                    connection.Dispose();
                    lastCall = DateTime.UtcNow;
                    Interlocked.Decrement(ref running);
                }
            });
        }
    }

    private static void Handle(Socket connection)
    {
        if (!PeerCredentials.IsSameUser(connection))
        {
            return;
        }

        using var stream = new NetworkStream(connection, ownsSocket: false);
        var writeLock = new object();
        try
        {
            if (EngineProtocol.Read(stream) is not (EngineProtocol.Request, var payload))
            {
                return;
            }

            var call = EngineProtocol.DecodeRequest(payload);
            if (!OneCallAtATime.Wait(0))
            {
                EngineProtocol.Write(stream, EngineProtocol.Declined, []);
                return;
            }

            try
            {
                if (!Serves(call.Arguments) || !AdoptCaller(call))
                {
                    EngineProtocol.Write(stream, EngineProtocol.Declined, []);
                    return;
                }

                var code = RunAsCaller(call, stream, writeLock);
                lock (writeLock)
                {
                    EngineProtocol.Write(stream, EngineProtocol.Exit, BitConverter.GetBytes(code));
                }
            }
            finally
            {
                OneCallAtATime.Release();
            }
        }
        catch (Exception e) when (e is IOException or SocketException or InvalidDataException or EndOfStreamException)
        {
            // The caller went away; nothing to tell it.
        }
    }

    private static int RunAsCaller(CallRequest call, NetworkStream stream, object writeLock)
    {
        using var interrupt = new CancellationTokenSource();
        var finished = 0;
        // The caller's Ctrl+C arrives as a frame; the caller disappearing (killed) counts as one too.
        _ = Task.Run(() =>
        {
            try
            {
                EngineProtocol.Read(stream);
            }
            catch (Exception e) when (e is IOException or InvalidDataException or EndOfStreamException or ObjectDisposedException)
            {
            }

            try
            {
                if (Volatile.Read(ref finished) == 0)
                {
                    interrupt.Cancel();
                }
            }
            catch (ObjectDisposedException)
            {
            }
        });

        var utf8 = new UTF8Encoding(false);
        using var stdout = new StreamWriter(new FrameWriterStream(stream, EngineProtocol.Stdout, writeLock), utf8, 64 * 1024) { AutoFlush = false };
        using var stderr = new StreamWriter(new FrameWriterStream(stream, EngineProtocol.Stderr, writeLock), utf8) { AutoFlush = true };
        Timing.ServeCall(stderr);
        try
        {
            return PluginApp.Run(call.Arguments, stdout, stderr,
                new ServedCall(fullSession => Spares.Take(fullSession, call.WorkingDirectory), interrupt.Token));
        }
        finally
        {
            // The listening task is left to end by itself: the caller closes the connection after the exit frame.
            stdout.Flush();
            Volatile.Write(ref finished, 1);
        }
    }

    // The caller's environment and working directory become the process's for the call. A directory this process
    // cannot enter (gone, or not permitted) declines the call: the caller runs it in its own process instead.
    private static bool AdoptCaller(CallRequest call)
    {
        AdoptEnvironment(call.Environment);
        try
        {
            Directory.SetCurrentDirectory(call.WorkingDirectory);
            return true;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or ArgumentException)
        {
            return false;
        }
    }

    private static void AdoptEnvironment(IReadOnlyDictionary<string, string> environment)
    {
        foreach (DictionaryEntry entry in Environment.GetEnvironmentVariables())
        {
            if (!environment.ContainsKey((string)entry.Key))
            {
                Environment.SetEnvironmentVariable((string)entry.Key, null);
            }
        }

        foreach (var (name, value) in environment)
        {
            Environment.SetEnvironmentVariable(name, value);
        }

        PluginApp.OptOutOfTelemetry();
    }

    private static bool IsListening(string path)
    {
        if (!File.Exists(path))
        {
            return false;
        }

        using var probe = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
        try
        {
            probe.Connect(new UnixDomainSocketEndPoint(path));
            return true;
        }
        catch (SocketException)
        {
            return false;
        }
    }
}
