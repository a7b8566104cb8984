using System.Diagnostics;

namespace KubeExpose.Plugin.Tests;

/// <summary>Runs the staged out/bin/kubectl-expose2 as kubectl runs a plugin: a child process, stdout and stderr apart.</summary>
public static class PluginProcess
{
    public static string Executable => Path.Combine(RepoPaths.Root, "out", "bin", "kubectl-expose2");

    public static (int ExitCode, string Output, string Error) Run(params string[] args) => Run(null, args);

    public static (int ExitCode, string Output, string Error) Run(IDictionary<string, string>? env, params string[] args) =>
        RunIn(null, env, args);

    /// <summary>
    /// Runs the plugin in <paramref name="workingDirectory"/>. The warm engine server is off unless
    /// <paramref name="env"/> turns it on (KUBEEXPOSE_PLUGIN_SERVER): a test must not leave one behind by accident.
    /// </summary>
    public static (int ExitCode, string Output, string Error) RunIn(string? workingDirectory, IDictionary<string, string>? env, params string[] args)
    {
        var start = new ProcessStartInfo(Executable) { RedirectStandardOutput = true, RedirectStandardError = true, RedirectStandardInput = true };
        if (workingDirectory is not null)
        {
            start.WorkingDirectory = workingDirectory;
        }

        foreach (var arg in args)
        {
            start.ArgumentList.Add(arg);
        }

        // Nothing from the test host's own kube environment may leak into the child.
        start.Environment.Remove("KUBECONFIG");
        start.Environment["HOME"] = Path.GetTempPath();
        start.Environment["KUBEEXPOSE_PLUGIN_SERVER"] = "off";
        foreach (var (key, value) in env ?? new Dictionary<string, string>())
        {
            start.Environment[key] = value;
        }

        using var process = Process.Start(start)!;
        process.StandardInput.Close();
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        if (!process.WaitForExit(TimeSpan.FromMinutes(2)))
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"kubectl-expose2 {string.Join(' ', args)} did not finish");
        }

        return (process.ExitCode, output.Result, error.Result);
    }
}
