using System.Diagnostics;
using KubeExpose.Plugin.Server;
using Xunit;

namespace KubeExpose.Plugin.Tests;

/// <summary>
/// The warm engine server: the plugin executable in the background, serving later calls with the engine already
/// loaded. A served call must behave exactly as the same call in its own process — output, errors, exit code, the
/// caller's environment and working directory — and the server must go away on its own.
/// </summary>
public sealed class EngineServerTests : IDisposable
{
    private readonly string _directory = Path.Combine(Path.GetTempPath(), $"kx-engine-{Guid.NewGuid():n}"[..24]);

    private Dictionary<string, string> Env(string idleSeconds = "120") => new()
    {
        ["KUBEEXPOSE_PLUGIN_SERVER"] = "on",
        ["KUBEEXPOSE_PLUGIN_SERVER_DIR"] = _directory,
        ["KUBEEXPOSE_PLUGIN_SERVER_IDLE"] = idleSeconds,
        ["KUBEEXPOSE_TIMING"] = "1",
    };

    public void Dispose()
    {
        // Removing the socket makes the server exit at its next check (within seconds).
        if (Directory.Exists(_directory))
        {
            Directory.Delete(_directory, recursive: true);
        }
    }

    [Theory]
    [InlineData(new[] { "deploy/web" }, true)]
    [InlineData(new[] { "reach", "svc/web" }, true)]
    [InlineData(new[] { "test", "127.0.0.1:1" }, true)]
    [InlineData(new[] { "tunnel", "deploy/web", "8080:80" }, false)]
    [InlineData(new[] { "proxy" }, false)]
    [InlineData(new[] { "tunnel", "--help" }, true)]
    [InlineData(new[] { "--help" }, true)]
    [InlineData(new[] { "--version" }, true)]
    [InlineData(new[] { "__complete", "reach", "" }, true)]
    [InlineData(new[] { "reach", "svc/web", "--no-such-flag" }, true)]
    public void All_but_the_foreground_subcommands_are_served(string[] args, bool served) =>
        Assert.Equal(served, EngineServer.Serves(args));

    [Fact]
    public void A_request_survives_encoding()
    {
        var call = new CallRequest(["reach", "svc/ü b", ""], "/tmp/a dir", new Dictionary<string, string> { ["KUBECONFIG"] = "/x:/y", ["EMPTY"] = "" });
        var decoded = EngineProtocol.DecodeRequest(EngineProtocol.EncodeRequest(call));
        Assert.Equal(call.Arguments, decoded.Arguments);
        Assert.Equal(call.WorkingDirectory, decoded.WorkingDirectory);
        Assert.Equal(call.Environment.OrderBy(e => e.Key), decoded.Environment.OrderBy(e => e.Key));
    }

    [Fact]
    public void Frames_keep_their_type_and_bytes_and_the_end_of_the_stream_is_null()
    {
        using var stream = new MemoryStream();
        EngineProtocol.Write(stream, EngineProtocol.Stdout, "hello"u8);
        EngineProtocol.Write(stream, EngineProtocol.Exit, BitConverter.GetBytes(2));
        stream.Position = 0;
        var text = EngineProtocol.Read(stream)!.Value;
        Assert.Equal(EngineProtocol.Stdout, text.Type);
        Assert.Equal("hello"u8.ToArray(), text.Payload);
        var exit = EngineProtocol.Read(stream)!.Value;
        Assert.Equal(2, BitConverter.ToInt32(exit.Payload));
        Assert.Null(EngineProtocol.Read(stream));
    }

    [Theory]
    [InlineData(null, null, true)]
    [InlineData(null, "true", false)]
    [InlineData("on", "true", true)]
    [InlineData("off", null, false)]
    [InlineData("0", null, false)]
    public void On_by_default_except_under_ci(string? setting, string? ci, bool enabled)
    {
        var env = new Dictionary<string, string?> { ["KUBEEXPOSE_PLUGIN_SERVER"] = setting, ["CI"] = ci };
        Assert.Equal(enabled, EngineServerSettings.IsEnabled(name => env.GetValueOrDefault(name)));
    }

    [Fact]
    public void A_second_call_is_served_with_the_same_output_the_callers_environment_and_directory()
    {
        var missing = "/nonexistent/kubeconfig-" + Guid.NewGuid().ToString("n")[..6];
        var first = PluginProcess.Run(Env(), "reach", "svc/web", "--kubeconfig", missing);
        Assert.DoesNotContain("served by the engine server", first.Error, StringComparison.Ordinal);
        WaitForServer();

        var second = PluginProcess.Run(Env(), "reach", "svc/web", "--kubeconfig", missing);
        Assert.Contains("served by the engine server", second.Error, StringComparison.Ordinal);
        Assert.Equal(first.ExitCode, second.ExitCode);
        Assert.Equal(Lines(first.Error), Lines(second.Error));
        Assert.Equal(first.Output, second.Output);

        // The caller's environment, not the server's: KUBECONFIG of this call only.
        var env = Env();
        env["KUBECONFIG"] = missing + "-from-env";
        var fromEnv = PluginProcess.Run(env, "reach", "svc/web");
        Assert.Contains("served by the engine server", fromEnv.Error, StringComparison.Ordinal);
        Assert.Contains($"no file that KUBECONFIG names exists ({missing}-from-env)", fromEnv.Error, StringComparison.Ordinal);

        // Relative paths start at the caller's working directory.
        var caller = Directory.CreateTempSubdirectory("kx-caller-").FullName;
        try
        {
            var relative = PluginProcess.RunIn(caller, Env(), "reach", "svc/web", "--kubeconfig", "sub/kubeconfig");
            Assert.Contains("served by the engine server", relative.Error, StringComparison.Ordinal);
            Assert.Contains($"'{Path.Combine(caller, "sub", "kubeconfig")}' does not exist", relative.Error, StringComparison.Ordinal);
        }
        finally
        {
            Directory.Delete(caller, recursive: true);
        }

        // Tab completion (a full default session, kept warm separately) answers as in-process.
        var completeInProcess = PluginProcess.Run(["__complete", "reach", "svc/web", "--fa"]);
        var completeServed = PluginProcess.Run(Env(), "__complete", "reach", "svc/web", "--fa");
        Assert.Contains("served by the engine server", completeServed.Error, StringComparison.Ordinal);
        Assert.Equal(completeInProcess.Output, completeServed.Output);
        Assert.Contains("--fail-on", completeServed.Output, StringComparison.Ordinal);

        // Usage errors, help and version answer as in-process.
        foreach (var args in new[] { new[] { "reach", "svc/web", "--no-such-flag" }, ["--help"], ["--version"] })
        {
            var own = PluginProcess.Run(args);
            var served = PluginProcess.Run(Env(), args);
            Assert.Contains("served by the engine server", served.Error, StringComparison.Ordinal);
            Assert.Equal(own.ExitCode, served.ExitCode);
            Assert.Equal(own.Output, served.Output);
            Assert.Equal(Lines(own.Error), Lines(served.Error));
        }

        // A foreground subcommand is not served: the engine host runs it (here it stops at the missing kubeconfig).
        var tunnel = PluginProcess.Run(Env(), "tunnel", "deploy/web", "8080:80", "--kubeconfig", missing);
        Assert.Equal(1, tunnel.ExitCode);
        Assert.Contains($"'{missing}' does not exist", tunnel.Error, StringComparison.Ordinal);
        Assert.DoesNotContain("served by the engine server", tunnel.Error, StringComparison.Ordinal);
    }

    [Fact]
    public void The_server_exits_when_idle_and_removes_its_socket()
    {
        PluginProcess.Run(Env(idleSeconds: "1"), "reach", "svc/web", "--kubeconfig", "/nonexistent/kubeconfig");
        var socket = WaitForServer();
        var stopwatch = Stopwatch.StartNew();
        while (File.Exists(socket) && stopwatch.Elapsed < TimeSpan.FromMinutes(1))
        {
            Thread.Sleep(200);
        }

        Assert.False(File.Exists(socket), $"the idle server still listens on {socket} after a minute");
    }

    [Fact]
    public void No_server_starts_in_a_directory_others_can_enter()
    {
        Directory.CreateDirectory(_directory);
        File.SetUnixFileMode(_directory, (UnixFileMode)Convert.ToInt32("755", 8));
        PluginProcess.Run(Env(), "reach", "svc/web", "--kubeconfig", "/nonexistent/kubeconfig");
        // The server, started in the background, refuses the directory at once; give it ample time to show it did not.
        Thread.Sleep(TimeSpan.FromSeconds(5));
        Assert.Empty(Directory.GetFiles(_directory, "*.sock"));
        var next = PluginProcess.Run(Env(), "reach", "svc/web", "--kubeconfig", "/nonexistent/kubeconfig");
        Assert.DoesNotContain("served by the engine server", next.Error, StringComparison.Ordinal);
    }

    [Fact]
    public void Ctrl_c_of_a_served_call_stops_the_cmdlet_and_the_server_serves_the_next_call()
    {
        PluginProcess.Run(Env(), "reach", "svc/web", "--kubeconfig", "/nonexistent/kubeconfig");
        WaitForServer();

        using var call = StartRetriedProbe();
        var error = call.StandardError.ReadToEndAsync();
        call.StandardOutput.ReadToEndAsync();
        Thread.Sleep(TimeSpan.FromSeconds(3));
        Assert.False(call.HasExited, "the retried probe ended before it was interrupted");
        using (var kill = Process.Start("kill", ["-INT", call.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)]))
        {
            kill.WaitForExit();
        }

        var ended = call.WaitForExit(TimeSpan.FromSeconds(30));
        if (!ended)
        {
            call.Kill();
        }

        Assert.True(ended, "the served call did not end within 30 s of Ctrl+C");
        Assert.Equal(1, call.ExitCode);
        Assert.Contains("served by the engine server", error.Result, StringComparison.Ordinal);

        var next = PluginProcess.Run(Env(), "reach", "svc/web", "--kubeconfig", "/nonexistent/kubeconfig");
        Assert.Contains("served by the engine server", next.Error, StringComparison.Ordinal);
    }

    [Fact]
    public void A_call_that_arrives_while_the_server_is_busy_runs_in_its_own_process()
    {
        PluginProcess.Run(Env(), "reach", "svc/web", "--kubeconfig", "/nonexistent/kubeconfig");
        WaitForServer();
        using var busy = StartRetriedProbe();
        try
        {
            Thread.Sleep(TimeSpan.FromSeconds(3));
            Assert.False(busy.HasExited, "the retried probe ended before the second call");
            var second = PluginProcess.Run(Env(), "reach", "svc/web", "--kubeconfig", "/nonexistent/kubeconfig");
            Assert.DoesNotContain("served by the engine server", second.Error, StringComparison.Ordinal);
            Assert.Equal(1, second.ExitCode);
            Assert.Contains("'/nonexistent/kubeconfig' does not exist", second.Error, StringComparison.Ordinal);
        }
        finally
        {
            busy.Kill();
        }
    }

    // A served probe of a closed local port, retried for minutes: it keeps the server busy until interrupted.
    private Process StartRetriedProbe()
    {
        var start = new ProcessStartInfo(PluginProcess.Executable) { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var arg in new[] { "test", "127.0.0.1:1", "--retries", "1000", "--retry-interval", "1s" })
        {
            start.ArgumentList.Add(arg);
        }

        foreach (var (key, value) in Env())
        {
            start.Environment[key] = value;
        }

        return Process.Start(start)!;
    }

    private string WaitForServer()
    {
        var stopwatch = Stopwatch.StartNew();
        while (stopwatch.Elapsed < TimeSpan.FromMinutes(2))
        {
            if (Directory.Exists(_directory) && Directory.GetFiles(_directory, "engine-*.sock") is [var socket])
            {
                return socket;
            }

            Thread.Sleep(200);
        }

        throw new TimeoutException($"no engine server socket appeared in {_directory} within 2 minutes");
    }

    // Timing lines differ between the runs; everything else the user sees must not.
    private static string[] Lines(string text) =>
        text.Split('\n', StringSplitOptions.RemoveEmptyEntries).Where(l => !l.StartsWith("[timing]", StringComparison.Ordinal)).ToArray();
}
