using System.Management.Automation;
using System.Runtime.Loader;
using KubeExpose.Plugin.Cli;
using KubeExpose.Plugin.Hosting;
using KubeExpose.Plugin.Output;
using Xunit;

namespace KubeExpose.Plugin.Tests;

/// <summary>
/// The engine hosted in this process with the staged plugin's module, as kubectl-expose2 hosts it. The plugin loads its
/// own YamlDotNet into the default load context; the module must still load its copy into its private context.
/// </summary>
public class EngineHostingTests
{
    private static readonly object Gate = new();

    static EngineHostingTests() =>
        Environment.SetEnvironmentVariable("KUBEEXPOSE_PLUGIN_MODULE", Path.Combine(RepoPaths.Root, "out", "bin", "KubeExpose"));

    [Fact]
    public void The_module_keeps_its_private_load_context_next_to_the_plugins_yamldotnet()
    {
        lock (Gate)
        {
            // The plugin's YamlDotNet, in the default context, first.
            Assert.Contains("a: 1", TreeWriters.Yaml(new OrderedFields([new("a", 1)])), StringComparison.Ordinal);
            var pluginYaml = typeof(YamlDotNet.Core.Emitter).Assembly;
            Assert.Equal(AssemblyLoadContext.Default, AssemblyLoadContext.GetLoadContext(pluginYaml));

            using var engine = ModuleRunspace.Open();
            var kubeconfig = Path.Combine(Path.GetTempPath(), $"kx-alc-{Guid.NewGuid():N}.yaml");
            File.WriteAllText(kubeconfig, "apiVersion: v1\nkind: Config\nclusters:\n- name: c\n  cluster:\n    server: https://127.0.0.1:9\ncontexts:\n- name: c\n  context:\n    cluster: c\n    user: u\nusers:\n- name: u\n  user:\n    token: t\ncurrent-context: c\n");
            try
            {
                // Reading the kubeconfig makes KubernetesClient parse YAML inside the module's context.
                var outcome = engine.Invoke("Get-ServiceReachability", new Dictionary<string, object> { ["Name"] = new[] { "web" }, ["KubeConfig"] = kubeconfig });
                Assert.True(outcome.Failed);
                var message = outcome.Terminating is { } t ? ErrorLines.Of(t) : ErrorLines.Of(outcome.Errors[0]);
                // Past the kubeconfig (parsed by KubernetesClient's YAML in the module's context) to the connection.
                Assert.DoesNotContain("kubeconfig", message, StringComparison.OrdinalIgnoreCase);
                Assert.DoesNotContain('\n', message);
            }
            finally
            {
                File.Delete(kubeconfig);
            }

            var moduleContext = AssemblyLoadContext.All.Single(c => c.Name == "KubeExpose");
            var moduleYaml = moduleContext.Assemblies.SingleOrDefault(a => a.GetName().Name == "YamlDotNet");
            Assert.NotNull(moduleYaml);
            Assert.NotSame(pluginYaml, moduleYaml);
            Assert.Contains(moduleContext.Assemblies, a => a.GetName().Name == "KubernetesClient");
            Assert.DoesNotContain(AssemblyLoadContext.Default.Assemblies, a => a.GetName().Name == "KubernetesClient");
        }
    }

    [Fact]
    public void Routes_render_with_the_module_view_and_its_script_columns()
    {
        lock (Gate)
        {
            using var engine = ModuleRunspace.Open();
            var route = new PSObject();
            route.TypeNames.Insert(0, "KubeExpose.Core.Model.Route");
            foreach (var (name, value) in new (string, object?)[]
            {
                ("Namespace", "shop"), ("Service", "web"), ("ServicePort", "http"), ("Vantage", "External"), ("Kind", "NodePort"),
                ("Address", "10.211.1.10"), ("Port", 30080), ("Url", null), ("Status", "Broken"), ("Backends", Array.Empty<object>()),
                ("Findings", new[] { "KE2001 selector matches no pods" }),
            })
            {
                route.Properties.Add(new PSNoteProperty(name, value));
            }

            var text = new StringWriter();
            var request = Assert.IsType<InvokeRequest>(ArgumentMapper.Map(["reach", "-A", "svc/web"]));
            new Renderer(FormatViews.Load(ModuleRunspace.ModuleFolder), text).Write([route], request);
            var lines = text.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries);
            Assert.Equal(2, lines.Length);
            Assert.Matches(@"^NAMESPACE\s+SERVICE\s+PORT\s+VANTAGE\s+KIND\s+ADDRESS\s+STATUS\s+FINDING$", lines[0]);
            Assert.Matches(@"^shop\s+web\s+http\s+External\s+NodePort\s+10\.211\.1\.10:30080\s+Broken\s+KE2001 selector matches no pods$", lines[1]);
        }
    }

    [Fact]
    public void A_cmdlet_error_record_becomes_one_line()
    {
        lock (Gate)
        {
            using var engine = ModuleRunspace.Open();
            var outcome = engine.Invoke("Get-ServiceReachability", new Dictionary<string, object> { ["Name"] = new[] { "web" }, ["KubeConfig"] = "/nonexistent/kc" });
            Assert.True(outcome.Failed);
            Assert.Equal("The kubeconfig file '/nonexistent/kc' does not exist.", ErrorLines.Of(outcome.Terminating!));
        }
    }
}
