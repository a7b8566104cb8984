using System.Management.Automation;
using System.Reflection;
using System.Runtime.InteropServices;
using KubeExpose.Plugin.Cli;
using KubeExpose.Plugin.Completion;
using KubeExpose.Plugin.Hosting;
using KubeExpose.Plugin.Output;
using KubeExpose.Plugin.Server;

namespace KubeExpose.Plugin;

/// <summary>
/// The plugin: maps the command line to a cmdlet, runs it in the in-process engine, prints its objects kubectl-style,
/// and turns what happened into kubectl's exit codes (0 success, 1 failure, 2 usage).
/// </summary>
public static class PluginApp
{
    public const int Success = 0;
    public const int Failure = 1;
    public const int Usage = 2;

    /// <param name="args">The command line after <c>kubectl expose2</c>.</param>
    /// <param name="stdout">Where objects and tables go.</param>
    /// <param name="stderr">Where errors and warnings go.</param>
    /// <param name="served">A call served by the engine server: its ready engine and the caller's Ctrl+C. Null in-process,
    /// where the engine is opened here and SIGINT and SIGTERM are handled here.</param>
    public static int Run(IReadOnlyList<string> args, TextWriter stdout, TextWriter stderr, ServedCall? served = null)
    {
        PluginRequest request;
        try
        {
            request = ArgumentMapper.Map(args);
        }
        catch (UsageException e)
        {
            stderr.WriteLine($"error: {e.Message}. See 'kubectl expose2 --help'.");
            return Usage;
        }

        try
        {
            switch (request)
            {
                case HelpRequest help:
                    stdout.Write(help.Text);
                    return Success;
                case VersionRequest:
                    stdout.WriteLine($"kubectl-expose2 {Version}");
                    return Success;
                case CompleteRequest complete:
                    using (var completion = served?.TakeEngine(fullSession: true) ?? ModuleRunspace.Open(fullSession: true))
                    {
                        stdout.Write(new Completer(completion).Complete(complete.Words));
                    }

                    return Success;
                default:
                    return Invoke((InvokeRequest)request, stdout, stderr, served);
            }
        }
        catch (Exception e) when (e is PluginFailure or RuntimeException or PSInvalidOperationException or IOException)
        {
            stderr.WriteLine($"error: {ErrorLines.Of(e)}");
            if (Environment.GetEnvironmentVariable("KUBEEXPOSE_DEBUG") is { Length: > 0 })
            {
                stderr.WriteLine(e);
            }

            return Failure;
        }
    }

    /// <summary>The version of the plugin, which is the module's (both come from KubeExpose.psd1).</summary>
    public static string Version =>
        typeof(PluginApp).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion.Split('+')[0]
        ?? typeof(PluginApp).Assembly.GetName().Version?.ToString(3) ?? "unknown";

    /// <summary>
    /// The hosted engine otherwise loads Application Insights at the first Import-Module to send PowerShell's module
    /// telemetry: tens of milliseconds of every call, and not something a kubectl plugin's user asked for. A user's own
    /// setting is left alone.
    /// </summary>
    public static void OptOutOfTelemetry()
    {
        if (Environment.GetEnvironmentVariable("POWERSHELL_TELEMETRY_OPTOUT") is not { Length: > 0 })
        {
            Environment.SetEnvironmentVariable("POWERSHELL_TELEMETRY_OPTOUT", "1");
        }
    }

    private static int Invoke(InvokeRequest request, TextWriter stdout, TextWriter stderr, ServedCall? served)
    {
        Timing.Mark("arguments mapped");
        using var engine = served?.TakeEngine() ?? ModuleRunspace.Open();
        Timing.Mark("engine open, module imported");
        using var stop = new ManualResetEventSlim();
        void OnSignal(PosixSignalContext context)
        {
            context.Cancel = true;
            stop.Set();
            engine.Stop();
        }

        using var sigint = served is null ? PosixSignalRegistration.Create(PosixSignal.SIGINT, OnSignal) : null;
        using var sigterm = served is null ? PosixSignalRegistration.Create(PosixSignal.SIGTERM, OnSignal) : null;
        using var callerInterrupt = served?.Interrupt.Register(() =>
        {
            stop.Set();
            engine.Stop();
        });

        var outcome = engine.Invoke(request.Call.Command, request.Call.Parameters);
        Timing.Mark($"{request.Call.Command} returned");
        foreach (var warning in outcome.Warnings)
        {
            stderr.WriteLine($"Warning: {warning}");
        }

        var status = Report(outcome, request, stderr);
        if (outcome.Stopped)
        {
            return Failure;
        }

        if (request.Subcommand is Subcommand.Tunnel or Subcommand.Proxy)
        {
            return status == Success ? Foreground(engine, outcome, request, stop, stdout, stderr) : status;
        }

        var items = outcome.Output.ToList();
        if (request.Subcommand == Subcommand.Test && request.Call.Parameters.ContainsKey("Quiet"))
        {
            return status == Success && items.All(i => i.BaseObject is true) ? Success : Failure;
        }

        if (items.Count > 0)
        {
            new Renderer(FormatViews.Load(ModuleRunspace.ModuleFolder), stdout).Write(items, request);
        }
        else if (status == Success && request.Subcommand == Subcommand.Reach)
        {
            stderr.WriteLine("No resources found.");
        }

        Timing.Mark("printed");
        return status != Success ? status : Verdict(items, request);
    }

    // Errors are printed one line each; parameter validation failures are usage errors.
    private static int Report(CmdletOutcome outcome, InvokeRequest request, TextWriter stderr)
    {
        foreach (var error in outcome.Errors)
        {
            stderr.WriteLine($"error: {ErrorLines.Of(error, request.FlagNames)}");
        }

        if (outcome.Terminating is { } terminating && !outcome.Stopped)
        {
            stderr.WriteLine($"error: {ErrorLines.Of(terminating, request.FlagNames)}");
        }

        if (outcome.Terminating is { } t && ErrorLines.IsUsage(t) || outcome.Errors.Any(ErrorLines.IsUsage))
        {
            return Usage;
        }

        return outcome.Failed ? Failure : Success;
    }

    // reach --fail-on and test: the exit code says whether what was looked at works.
    private static int Verdict(List<PSObject> items, InvokeRequest request)
    {
        string? Property(PSObject item, string name) => item.Properties[name]?.Value?.ToString();
        if (request.Subcommand == Subcommand.Test)
        {
            return items.Any(i => Property(i, "Success") == bool.FalseString) ? Failure : Success;
        }

        var failing = request.FailOn switch
        {
            FailOn.Broken => new[] { "Broken" },
            FailOn.Degraded => ["Broken", "Degraded"],
            _ => [],
        };
        return items.Any(i => failing.Contains(Property(i, "Status"))) ? Failure : Success;
    }

    // tunnel and proxy stay in the foreground, like kubectl port-forward and kubectl proxy, until Ctrl+C or SIGTERM.
    private static int Foreground(ModuleRunspace engine, CmdletOutcome started, InvokeRequest request, ManualResetEventSlim stop, TextWriter stdout, TextWriter stderr)
    {
        foreach (var tunnel in started.Output)
        {
            if (request.Subcommand == Subcommand.Proxy)
            {
                stdout.WriteLine(TunnelLines.Serving(tunnel));
            }
            else
            {
                foreach (var line in TunnelLines.Forwarding(tunnel))
                {
                    stdout.WriteLine(line);
                }

                stdout.WriteLine(TunnelLines.Ready(tunnel));
            }
        }

        stdout.Flush();
        stop.Wait();
        var stopped = engine.Invoke("Stop-KubeProxyTunnel", new Dictionary<string, object> { ["All"] = true, ["Confirm"] = false });
        return Report(stopped, request, stderr);
    }
}
