using Xunit;

namespace KubeExpose.Tests;

public sealed class IsolationTests
{
    /// <summary>
    /// Another module in the session has loaded YamlDotNet 13 into the default load context. KubeExpose must still read
    /// kubeconfig YAML with its own YamlDotNet 18 (through KubernetesClient), loaded privately.
    /// </summary>
    [Fact]
    public void A_second_YamlDotNet_in_the_session_does_not_break_the_module()
    {
        var other = typeof(YamlDotNet.Serialization.Deserializer).Assembly;
        Assert.Equal(13, other.GetName().Version!.Major);
        Assert.Same(System.Runtime.Loader.AssemblyLoadContext.Default, System.Runtime.Loader.AssemblyLoadContext.GetLoadContext(other));

        var kubeconfig = Path.Combine(Path.GetTempPath(), $"kx-isolation-{Guid.NewGuid():N}.yaml");
        File.WriteAllText(kubeconfig, """
            apiVersion: v1
            kind: Config
            current-context: alpha
            clusters:
            - name: c
              cluster: { server: "https://127.0.0.1:1" }
            users:
            - name: u
              user: { token: t }
            contexts:
            - name: alpha
              context: { cluster: c, user: u, namespace: team-a }
            - name: beta
              context: { cluster: c, user: u }
            """);
        try
        {
            using var host = new ModuleHost();
            var completions = host.Run(
                $"(TabExpansion2 -inputScript 'Get-ServiceReachability -KubeConfig {kubeconfig} -Context ' -cursorColumn {("Get-ServiceReachability -KubeConfig " + kubeconfig + " -Context ").Length}).CompletionMatches | ForEach-Object CompletionText")
                .AssertSuccess().Output.Select(o => o.ToString()).ToArray();
            Assert.Equal(["alpha", "beta"], completions);

            var loaded = host.Run(
                "[System.Runtime.Loader.AssemblyLoadContext]::All | Where-Object Name -eq 'KubeExpose' | ForEach-Object Assemblies | ForEach-Object { $_.GetName().Name + '/' + $_.GetName().Version.Major }")
                .AssertSuccess().Output.Select(o => o.ToString()).ToArray();
            Assert.Contains("YamlDotNet/18", loaded);
            Assert.Contains("KubernetesClient/21", loaded);
            Assert.Contains("KubeExpose.Core/0", loaded);
        }
        finally
        {
            File.Delete(kubeconfig);
        }
    }
}
