using KubeExpose.Core;
using KubeExpose.Core.Cluster;
using Xunit;

namespace KubeExpose.Core.Tests.Cluster;

public sealed class KubeSessionTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("kx-session-").FullName;

    private string WriteConfig(string name, string currentContext, params (string Context, string? Namespace)[] contexts)
    {
        var path = Path.Combine(_dir, name);
        var body = string.Join("\n", contexts.Select(c =>
            $"- name: {c.Context}\n  context:\n    cluster: c-{name}\n    user: u-{name}" + (c.Namespace is null ? "" : $"\n    namespace: {c.Namespace}")));
        File.WriteAllText(path, $"""
            apiVersion: v1
            kind: Config
            current-context: {currentContext}
            clusters:
            - name: c-{name}
              cluster:
                server: https://127.0.0.1:6443
            users:
            - name: u-{name}
              user:
                token: secret
            contexts:
            {body}
            """);
        return path;
    }

    [Fact]
    public void Defaults_to_the_current_context_and_its_namespace()
    {
        var path = WriteConfig("a", "dev", ("dev", "team-a"), ("prod", null));
        using var session = KubeSession.Connect(new KubeConnectionOptions(path));
        Assert.Equal("dev", session.Context);
        Assert.Equal("team-a", session.Namespace);
    }

    [Fact]
    public void A_context_without_namespace_means_default_and_explicit_values_win()
    {
        var path = WriteConfig("a", "dev", ("dev", "team-a"), ("prod", null));
        using (var prod = KubeSession.Connect(new KubeConnectionOptions(path, "prod")))
        {
            Assert.Equal("default", prod.Namespace);
        }

        using var explicitNamespace = KubeSession.Connect(new KubeConnectionOptions(path, "dev", "other"));
        Assert.Equal("other", explicitNamespace.Namespace);
    }

    [Fact]
    public void Unknown_context_names_the_known_ones()
    {
        var path = WriteConfig("a", "dev", ("dev", null), ("prod", null));
        var error = Assert.Throws<KubeExposeException>(() => KubeSession.Connect(new KubeConnectionOptions(path, "nope")));
        Assert.Equal("KubeContextNotFound", error.ErrorId);
        Assert.Contains("dev, prod", error.Message);
    }

    [Fact]
    public void Missing_kubeconfig_file_is_named()
    {
        var missing = Path.Combine(_dir, "missing");
        var error = Assert.Throws<KubeExposeException>(() => KubeSession.Connect(new KubeConnectionOptions(missing)));
        Assert.Equal(KubeExposeErrorKind.InvalidConfiguration, error.Kind);
        Assert.Contains(missing, error.Message);
    }

    [Fact]
    public void KUBECONFIG_lists_merge_with_the_first_file_winning()
    {
        var first = WriteConfig("first", "one", ("one", "ns-one"));
        var second = WriteConfig("second", "two", ("two", "ns-two"), ("one", "shadowed"));
        var saved = Environment.GetEnvironmentVariable("KUBECONFIG");
        Environment.SetEnvironmentVariable("KUBECONFIG", first + Path.PathSeparator + second);
        try
        {
            using var merged = KubeSession.Connect(new KubeConnectionOptions());
            Assert.Equal("one", merged.Context);
            Assert.Equal("ns-one", merged.Namespace);

            using var fromSecond = KubeSession.Connect(new KubeConnectionOptions(Context: "two"));
            Assert.Equal("ns-two", fromSecond.Namespace);
        }
        finally
        {
            Environment.SetEnvironmentVariable("KUBECONFIG", saved);
        }
    }

    public void Dispose() => Directory.Delete(_dir, recursive: true);
}
