using k8s;
using k8s.KubeConfigModels;

namespace KubeExpose.Core.Cluster;

/// <summary>An API client plus the context and namespace it was resolved to, with kubectl's defaults honoured.</summary>
public sealed class KubeSession : IDisposable
{
    private KubeSession(KubernetesClientConfiguration configuration, string? context, string @namespace)
    {
        Configuration = configuration;
        Context = context;
        Namespace = @namespace;
        Client = new Kubernetes(configuration);
        ColdPathTiming.Mark("connect: client created");
    }

    public IKubernetes Client { get; }

    public KubernetesClientConfiguration Configuration { get; }

    /// <summary>The kubeconfig context in use, or null in-cluster.</summary>
    public string? Context { get; }

    /// <summary>The namespace commands work in unless told otherwise.</summary>
    public string Namespace { get; }

    /// <summary>
    /// The API server address. Cmdlets read it here rather than from <see cref="Configuration"/>: KubernetesClient
    /// types live in the module's private load context and must not appear in the cmdlet assembly's code.
    /// </summary>
    public string Server => Configuration.Host;

    /// <summary>Resolves the options the way kubectl does: explicit values, then KUBECONFIG, then ~/.kube/config, then in-cluster.</summary>
    public static KubeSession Connect(KubeConnectionOptions options)
    {
        ColdPathTiming.Mark("connect: start");
        var configuration = LoadConfiguration(options);
        ColdPathTiming.Mark("connect: configuration built");
        var ns = options.Namespace ?? configuration.Namespace ?? "default";
        return new KubeSession(configuration, configuration.CurrentContext, ns);
    }

    private static KubernetesClientConfiguration LoadConfiguration(KubeConnectionOptions options)
    {
        var paths = KubeConfigPaths(options.KubeConfig);
        if (paths.Length == 0)
        {
            if (KubernetesClientConfiguration.IsInCluster())
            {
                return KubernetesClientConfiguration.InClusterConfig();
            }

            var named = Environment.GetEnvironmentVariable("KUBECONFIG");
            throw new KubeExposeException(
                KubeExposeErrorKind.InvalidConfiguration,
                "KubeConfigNotFound",
                string.IsNullOrEmpty(named)
                    ? "No kubeconfig found: KUBECONFIG is not set, ~/.kube/config does not exist and this is not a pod. " +
                      "Pass -KubeConfig <path> or set KUBECONFIG."
                    : $"No kubeconfig found: no file that KUBECONFIG names exists ({named}) and this is not a pod. " +
                      "Pass -KubeConfig <path> or correct KUBECONFIG.");
        }

        K8SConfiguration merged;
        try
        {
            merged = KubeConfigMerge.Load(paths);
            ColdPathTiming.Mark("connect: kubeconfig parsed");
        }
        catch (Exception e) when (e is not KubeExposeException)
        {
            throw new KubeExposeException(
                KubeExposeErrorKind.InvalidConfiguration,
                "KubeConfigInvalid",
                $"Cannot read kubeconfig {string.Join(Path.PathSeparator, paths)}: {e.Message}",
                string.Join(Path.PathSeparator, paths),
                e);
        }

        var context = options.Context ?? merged.CurrentContext;
        if (string.IsNullOrEmpty(context))
        {
            throw new KubeExposeException(
                KubeExposeErrorKind.InvalidConfiguration,
                "KubeContextNotSet",
                $"The kubeconfig {string.Join(Path.PathSeparator, paths)} has no current-context. Pass -Context <name> " +
                $"(one of: {string.Join(", ", merged.Contexts?.Select(c => c.Name) ?? [])}).");
        }

        if (merged.Contexts?.Any(c => c.Name == context) != true)
        {
            throw new KubeExposeException(
                KubeExposeErrorKind.InvalidConfiguration,
                "KubeContextNotFound",
                $"Context '{context}' is not in kubeconfig {string.Join(Path.PathSeparator, paths)}. " +
                $"Known contexts: {string.Join(", ", merged.Contexts?.Select(c => c.Name) ?? [])}.",
                context);
        }

        try
        {
            return KubernetesClientConfiguration.BuildConfigFromConfigObject(merged, context);
        }
        catch (Exception e)
        {
            throw new KubeExposeException(
                KubeExposeErrorKind.InvalidConfiguration,
                "KubeConfigInvalid",
                $"Context '{context}' in kubeconfig {string.Join(Path.PathSeparator, paths)} cannot be used: {e.Message}",
                context,
                e);
        }
    }

    /// <summary>The kubeconfig files to merge, in kubectl's order of precedence; only files that exist.</summary>
    internal static string[] KubeConfigPaths(string? explicitPath)
    {
        if (!string.IsNullOrEmpty(explicitPath))
        {
            var full = Path.GetFullPath(explicitPath);
            if (!File.Exists(full))
            {
                throw new KubeExposeException(KubeExposeErrorKind.InvalidConfiguration, "KubeConfigNotFound",
                    $"The kubeconfig file '{full}' does not exist.", full);
            }

            return [full];
        }

        var fromEnvironment = Environment.GetEnvironmentVariable("KUBECONFIG");
        if (!string.IsNullOrEmpty(fromEnvironment))
        {
            return fromEnvironment.Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries).Where(File.Exists).ToArray();
        }

        var home = Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".kube", "config");
        return File.Exists(home) ? [home] : [];
    }

    public void Dispose() => Client.Dispose();
}
