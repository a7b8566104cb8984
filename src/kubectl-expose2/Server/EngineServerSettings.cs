using System.Text;

namespace KubeExpose.Plugin.Server;

/// <summary>
/// Whether calls go through the warm engine server, where its socket lives, and how long it idles before it exits.
/// The socket sits in a directory only the user can open (like ssh-agent's), and its name carries a fingerprint of
/// this plugin build and module, so an upgraded plugin never talks to an old server.
/// </summary>
internal static class EngineServerSettings
{
    /// <summary>KUBEEXPOSE_PLUGIN_SERVER: <c>off</c> never uses it, <c>on</c> always; unset means on, except under CI.</summary>
    public const string SwitchVariable = "KUBEEXPOSE_PLUGIN_SERVER";

    /// <summary>KUBEEXPOSE_PLUGIN_SERVER_DIR: where the socket goes (default $XDG_RUNTIME_DIR/kubeexpose or $TMPDIR/kubeexpose-UID).</summary>
    public const string DirectoryVariable = "KUBEEXPOSE_PLUGIN_SERVER_DIR";

    /// <summary>KUBEEXPOSE_PLUGIN_SERVER_IDLE: seconds without a call before the server exits (default 600).</summary>
    public const string IdleVariable = "KUBEEXPOSE_PLUGIN_SERVER_IDLE";

    /// <summary>Set by the launcher for the engine host when no server listens: start one after this call.</summary>
    public const string StartVariable = "KUBEEXPOSE_PLUGIN_SERVER_START";

    /// <summary>
    /// The folder of the plugin's files (the launcher kubectl-expose2, the engine host, the module): the running
    /// executable's, with symbolic links resolved (an installed plugin is a link in ~/.local/bin).
    /// </summary>
    public static string PluginFolder =>
        Path.GetDirectoryName(Environment.ProcessPath is { } path ? Path.GetFullPath(ResolveLinks(path)) : AppContext.BaseDirectory)!;

    /// <summary>
    /// On by default for people at a terminal; off by default under CI (the CI variable), where a process that outlives
    /// the step surprises more than a second of start-up costs. Linux only: access control relies on the peer's uid
    /// (SO_PEERCRED) as well as the directory's permissions.
    /// </summary>
    public static bool Enabled => OperatingSystem.IsLinux() && IsEnabled(Environment.GetEnvironmentVariable);

    /// <summary>The switch and CI rule alone, from any source of environment variables.</summary>
    public static bool IsEnabled(Func<string, string?> environment) =>
        environment(SwitchVariable)?.ToLowerInvariant() switch
        {
            "off" or "0" or "false" => false,
            "on" or "1" or "true" => true,
            _ => environment("CI") is not { Length: > 0 },
        };

    public static TimeSpan IdleTimeout =>
        int.TryParse(Environment.GetEnvironmentVariable(IdleVariable), out var seconds) && seconds > 0
            ? TimeSpan.FromSeconds(seconds)
            : TimeSpan.FromMinutes(10);

    public static string Directory
    {
        get
        {
            if (Environment.GetEnvironmentVariable(DirectoryVariable) is { Length: > 0 } configured)
            {
                return configured;
            }

            return Environment.GetEnvironmentVariable("XDG_RUNTIME_DIR") is { Length: > 0 } runtime
                ? Path.Combine(runtime, "kubeexpose")
                : Path.Combine(Path.GetTempPath(), $"kubeexpose-{PeerCredentials.EffectiveUserId}");
        }
    }

    /// <summary>The socket of the server for this build of the plugin and module.</summary>
    public static string SocketPath => Path.Combine(Directory, $"engine-{Fingerprint()}.sock");

    /// <summary>
    /// Creates the directory private to the user, or checks that an existing one is. Defence in depth: both ends also
    /// check the other's uid on the socket itself (<see cref="PeerCredentials"/>). False means "do not use the server".
    /// </summary>
    public static bool PrepareDirectory()
    {
        var directory = Directory;
        if (!OperatingSystem.IsLinux())
        {
            return false;
        }

        try
        {
            if (!System.IO.Directory.Exists(directory))
            {
                System.IO.Directory.CreateDirectory(directory, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
            }

            var info = new DirectoryInfo(directory);
            var othersCanEnter = (info.UnixFileMode & (UnixFileMode.GroupRead | UnixFileMode.GroupWrite | UnixFileMode.GroupExecute |
                                                        UnixFileMode.OtherRead | UnixFileMode.OtherWrite | UnixFileMode.OtherExecute)) != 0;
            return !othersCanEnter;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return false;
        }
    }

    // The launcher, the engine host and the module, as both ends see them: a rebuilt or reinstalled plugin gets a new server.
    private static string Fingerprint()
    {
        var folder = PluginFolder;
        var identity = new StringBuilder();
        foreach (var file in new[] { Path.Combine(folder, "kubectl-expose2"), Path.Combine(folder, "KubeExpose.Plugin.dll"), Path.Combine(ModuleFolder, "KubeExpose.dll") })
        {
            identity.Append(file).Append('|');
            if (File.Exists(file))
            {
                identity.Append(File.GetLastWriteTimeUtc(file).Ticks).Append('|');
            }
        }

        // FNV-1a: enough to tell builds apart, and unlike SHA-256 it does not load the crypto library into every call.
        var hash = 14695981039346656037UL;
        foreach (var b in Encoding.UTF8.GetBytes(identity.ToString()))
        {
            hash = (hash ^ b) * 1099511628211UL;
        }

        return hash.ToString("x16");
    }

    /// <summary>
    /// The KubeExpose module the engine imports: the folder shipped beside the plugin, or KUBEEXPOSE_PLUGIN_MODULE.
    /// One definition for the engine host (which imports it) and the launcher (whose fingerprint must name it too).
    /// </summary>
    public static string ModuleFolder =>
        Environment.GetEnvironmentVariable("KUBEEXPOSE_PLUGIN_MODULE") is { Length: > 0 } overridden
            ? overridden
            : Path.Combine(PluginFolder, "KubeExpose");

    private static string ResolveLinks(string path) =>
        File.ResolveLinkTarget(path, returnFinalTarget: true)?.FullName ?? path;
}
