using System.Text.RegularExpressions;
using Xunit;

namespace KubeExpose.Plugin.Tests;

/// <summary>The staged plugin, run as a process the way kubectl runs it.</summary>
public class PluginProcessTests
{
    [Fact]
    public void Help_says_kubectl_expose2_and_exits_0()
    {
        var (code, output, error) = PluginProcess.Run("--help");
        Assert.Equal(0, code);
        Assert.Equal("", error);
        Assert.Contains("kubectl expose2 TYPE/NAME [flags]", output, StringComparison.Ordinal);
        Assert.Contains("--external", output, StringComparison.Ordinal);
        Assert.Contains("reach", output, StringComparison.Ordinal);
    }

    [Fact]
    public void Subcommand_help()
    {
        var (code, output, _) = PluginProcess.Run("reach", "-h");
        Assert.Equal(0, code);
        Assert.Contains("kubectl expose2 reach (svc/NAME | NAME)... | -A [flags]", output, StringComparison.Ordinal);
        Assert.Contains("--fail-on", output, StringComparison.Ordinal);
    }

    [Fact]
    public void Version_is_the_module_version()
    {
        var manifest = File.ReadAllText(Path.Combine(RepoPaths.Root, "KubeExpose.psd1"));
        var version = Regex.Match(manifest, @"ModuleVersion\s*=\s*'([0-9.]+)'").Groups[1].Value;
        var (code, output, _) = PluginProcess.Run("--version");
        Assert.Equal(0, code);
        Assert.Equal($"kubectl-expose2 {version}\n", output);
    }

    [Theory]
    [InlineData("deploy/web", "--bogus")]
    [InlineData("reach")]
    [InlineData("deploy/web", "--dry-run=sometimes")]
    [InlineData("tunnel", "svc/web")]
    public void Usage_errors_exit_2_with_one_line(params string[] args)
    {
        var (code, output, error) = PluginProcess.Run(args);
        Assert.Equal(2, code);
        Assert.Equal("", output);
        Assert.Single(error.TrimEnd('\n').Split('\n'));
        Assert.StartsWith("error: ", error, StringComparison.Ordinal);
    }

    [Fact]
    public void Reach_against_a_cluster_that_is_not_there_exits_1_with_one_line()
    {
        var kubeconfig = Path.Combine(Path.GetTempPath(), $"kx-nowhere-{Guid.NewGuid():N}.yaml");
        // Port 9 on loopback: nothing listens there, so the connection is refused at once.
        File.WriteAllText(kubeconfig, """
            apiVersion: v1
            kind: Config
            clusters:
            - name: nowhere
              cluster:
                server: https://127.0.0.1:9
                insecure-skip-tls-verify: true
            users:
            - name: nobody
              user:
                token: not-a-token
            contexts:
            - name: nowhere
              context:
                cluster: nowhere
                user: nobody
                namespace: shop
            current-context: nowhere
            """);
        try
        {
            var (code, output, error) = PluginProcess.Run("reach", "svc/web", "--kubeconfig", kubeconfig);
            Assert.Equal(1, code);
            Assert.Equal("", output);
            var lines = error.TrimEnd('\n').Split('\n');
            Assert.Single(lines);
            Assert.StartsWith("error: ", lines[0], StringComparison.Ordinal);
            Assert.DoesNotContain("   at ", error, StringComparison.Ordinal);
        }
        finally
        {
            File.Delete(kubeconfig);
        }
    }

    [Fact]
    public void A_missing_kubeconfig_is_one_line_naming_the_file()
    {
        var (code, _, error) = PluginProcess.Run("reach", "svc/web", "--kubeconfig", "/nonexistent/kubeconfig");
        Assert.Equal(1, code);
        Assert.Equal("error: The kubeconfig file '/nonexistent/kubeconfig' does not exist.\n", error);
    }

    [Fact]
    public void A_cmdlet_validation_failure_is_a_usage_error_naming_the_flag()
    {
        var (code, _, error) = PluginProcess.Run("deploy/web", "--port", "70000", "--kubeconfig", "/nonexistent/kubeconfig");
        Assert.Equal(2, code);
        Assert.Single(error.TrimEnd('\n').Split('\n'));
        Assert.Contains("flag --port", error, StringComparison.Ordinal);
    }

    [Fact]
    public void Completion_offers_subcommands_and_workload_kinds()
    {
        var (code, output, _) = PluginProcess.Run("__complete", "");
        Assert.Equal(0, code);
        var lines = output.TrimEnd('\n').Split('\n');
        Assert.Contains("reach", lines);
        Assert.Contains("deploy/", lines);
        Assert.Matches("^:[0-9]+$", lines[^1]);
    }

    [Fact]
    public void Completion_offers_flags_and_flag_values()
    {
        var (_, flags, _) = PluginProcess.Run("__complete", "reach", "svc/web", "--fa");
        Assert.Equal("--fail-on\n:4\n", flags);
        var (_, values, _) = PluginProcess.Run("__complete", "reach", "svc/web", "--fail-on", "");
        Assert.Equal("broken\ndegraded\n:4\n", values);
    }

    [Fact]
    public void The_completion_script_forwards_to_the_plugin()
    {
        var script = Path.Combine(RepoPaths.Root, "out", "bin", "kubectl_complete-expose2");
        var start = new System.Diagnostics.ProcessStartInfo(script) { RedirectStandardOutput = true };
        start.ArgumentList.Add("tun");
        using var process = System.Diagnostics.Process.Start(start)!;
        var output = process.StandardOutput.ReadToEnd();
        process.WaitForExit();
        Assert.Equal(0, process.ExitCode);
        Assert.StartsWith("tunnel\n", output, StringComparison.Ordinal);
    }
}
