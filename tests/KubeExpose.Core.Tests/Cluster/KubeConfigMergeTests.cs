using System.Text.Json;
using k8s;
using KubeExpose.Core.Cluster;
using Xunit;

namespace KubeExpose.Core.Tests.Cluster;

/// <summary>
/// KubeConfigMerge reads kubeconfig files with its own small deserializer instead of KubernetesClient's loader (which
/// costs half a second of start-up); these tests hold it to reading every field exactly as the loader does.
/// </summary>
public sealed class KubeConfigMergeTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("kx-kubeconfig-").FullName;

    // Every section and field kind a kubeconfig has: data and file variants, exec and auth-provider users,
    // extensions, preferences, quoted and unquoted scalars.
    private const string Rich = """
        apiVersion: v1
        kind: Config
        preferences:
          colors: true
        current-context: dev
        clusters:
        - name: c1
          cluster:
            server: https://127.0.0.1:6443
            certificate-authority-data: LS0tLS1CRUdJTg==
            tls-server-name: api.example
            proxy-url: http://proxy:3128
            extensions:
            - name: ext
              extension:
                anything: 1
        - name: c2
          cluster:
            server: "https://10.0.0.1"
            certificate-authority: /etc/ca.crt
            insecure-skip-tls-verify: true
        users:
        - name: token
          user:
            token: abc.def
            as: someone
            as-groups: [g1, g2]
        - name: certs
          user:
            client-certificate-data: Y2VydA==
            client-key-data: a2V5
            client-certificate: /tmp/c.crt
            client-key: /tmp/c.key
            username: bob
            password: "123"
        - name: exec
          user:
            exec:
              apiVersion: client.authentication.k8s.io/v1beta1
              command: aws
              args: [eks, get-token, --cluster-name, x]
              env:
              - name: AWS_PROFILE
                value: dev
              interactiveMode: Never
              provideClusterInfo: true
        - name: oidc
          user:
            auth-provider:
              name: oidc
              config:
                client-id: kx
                id-token: t
        contexts:
        - name: dev
          context:
            cluster: c1
            user: token
            namespace: team-a
            extensions:
            - name: e
              extension: {k: v}
        - name: prod
          context: {cluster: c2, user: exec}
        extensions:
        - name: top
          extension:
            n: 2
        """;

    [Theory]
    [InlineData(Rich)]
    [InlineData("apiVersion: v1\nkind: Config\ncurrent-context: a\ncontexts:\n- name: a\n  context: {cluster: c}\nclusters: []\nusers: []\n")]
    [InlineData("current-context: only\n")]
    public void Reads_a_kubeconfig_exactly_as_KubernetesClient_does(string yaml)
    {
        var path = Path.Combine(_dir, "config");
        File.WriteAllText(path, yaml);

        var expected = KubernetesClientConfiguration.LoadKubeConfig(new FileInfo(path), false);
        var actual = KubeConfigMerge.Read(path);

        Assert.Equal(JsonSerializer.Serialize(expected), JsonSerializer.Serialize(actual));
    }

    [Fact]
    public void The_rich_kubeconfig_is_read_with_its_values()
    {
        var path = Path.Combine(_dir, "config");
        File.WriteAllText(path, Rich);

        var config = KubeConfigMerge.Read(path);

        Assert.Equal("dev", config.CurrentContext);
        Assert.Equal(["c1", "c2"], config.Clusters.Select(c => c.Name));
        Assert.Equal("LS0tLS1CRUdJTg==", config.Clusters.First().ClusterEndpoint.CertificateAuthorityData);
        Assert.True(config.Clusters.Last().ClusterEndpoint.SkipTlsVerify);
        Assert.Equal("aws", config.Users.Single(u => u.Name == "exec").UserCredentials.ExternalExecution.Command);
        Assert.Equal("kx", config.Users.Single(u => u.Name == "oidc").UserCredentials.AuthProvider.Config["client-id"]);
        Assert.Equal("team-a", config.Contexts.First().ContextDetails.Namespace);
    }

    [Fact]
    public void An_empty_file_is_an_empty_configuration()
    {
        var path = Path.Combine(_dir, "empty");
        File.WriteAllText(path, "");

        var config = KubeConfigMerge.Read(path);

        Assert.Null(config.CurrentContext);
        Assert.Empty(config.Contexts);
    }

    public void Dispose() => Directory.Delete(_dir, recursive: true);
}
