using System.Collections.ObjectModel;
using System.Management.Automation;
using System.Management.Automation.Runspaces;
using KubeExpose.Plugin.Server;
using Microsoft.PowerShell.Commands;

namespace KubeExpose.Plugin.Hosting;

/// <summary>
/// The PowerShell engine, in this process, with the KubeExpose module shipped beside the plugin imported. The session
/// holds only what the module and its format views need (the FileSystem provider and a few core cmdlets): a full
/// default session costs about a third of a second more at every start.
/// </summary>
public sealed class ModuleRunspace : IDisposable
{
    private readonly Runspace _runspace;
    private PowerShell? _running;

    private ModuleRunspace(Runspace runspace) => _runspace = runspace;

    /// <summary>The module folder shipped beside the executable, or KUBEEXPOSE_PLUGIN_MODULE.</summary>
    public static string ModuleFolder => EngineServerSettings.ModuleFolder;

    public static string ModuleManifest => Path.Combine(ModuleFolder, "KubeExpose.psd1");

    /// <summary>Opens a runspace and imports the module; a missing or broken module is a <see cref="PluginFailure"/>.</summary>
    /// <param name="fullSession">The whole default session: PowerShell's tab completion needs it to run argument completers.</param>
    public static ModuleRunspace Open(bool fullSession = false)
    {
        if (!File.Exists(ModuleManifest))
        {
            throw new PluginFailure($"the KubeExpose module is not beside the plugin: {ModuleManifest} is missing (reinstall kubectl-expose2)");
        }

        var state = fullSession ? InitialSessionState.CreateDefault2() : InitialSessionState.Create();
        state.LanguageMode = PSLanguageMode.FullLanguage;
        // The plugin renders tables from the module's format files itself (FormatViews); the engine's own format
        // table is never used, so loading it on import would only cost start-up time.
        state.DisableFormatUpdates = !fullSession;
        if (!fullSession)
        {
            state.Providers.Add(new SessionStateProviderEntry("FileSystem", typeof(FileSystemProvider), null));
            foreach (var (name, type) in CoreCmdlets)
            {
                state.Commands.Add(new SessionStateCmdletEntry(name, type, null));
            }
        }

        var runspace = RunspaceFactory.CreateRunspace(state);
        runspace.Open();
        // Format-view script blocks are evaluated on this thread; they need a runspace to run in.
        Runspace.DefaultRunspace = runspace;
        var host = new ModuleRunspace(runspace);
        using var import = PowerShell.Create(runspace);
        import.AddCommand("Import-Module").AddParameter("Name", ModuleManifest).AddParameter("ErrorAction", ActionPreference.Stop);
        try
        {
            import.Invoke();
        }
        catch (RuntimeException e)
        {
            host.Dispose();
            throw new PluginFailure($"cannot import the KubeExpose module from {ModuleFolder}: {ErrorLines.Of(e)}");
        }

        return host;
    }

    // What the module's format views and Stop-KubeProxyTunnel pipelines use besides the module's own cmdlets.
    private static readonly (string, Type)[] CoreCmdlets =
    [
        ("Import-Module", typeof(ImportModuleCommand)),
        ("Remove-Module", typeof(RemoveModuleCommand)),
        ("ForEach-Object", typeof(ForEachObjectCommand)),
        ("Where-Object", typeof(WhereObjectCommand)),
        ("Out-Null", typeof(OutNullCommand)),
    ];

    /// <summary>Runs one cmdlet; output, errors and warnings are collected, a terminating error is returned, not thrown.</summary>
    public CmdletOutcome Invoke(string command, IReadOnlyDictionary<string, object> parameters)
    {
        using var ps = PowerShell.Create(_runspace);
        ps.AddCommand(command);
        foreach (var (name, value) in parameters)
        {
            ps.AddParameter(name, value);
        }

        _running = ps;
        Collection<PSObject> output = [];
        Exception? terminating = null;
        try
        {
            output = ps.Invoke();
        }
        catch (Exception e) when (e is RuntimeException or PSInvalidOperationException)
        {
            terminating = e;
        }
        finally
        {
            _running = null;
        }

        return new CmdletOutcome(output, [.. ps.Streams.Error], [.. ps.Streams.Warning.Select(w => w.Message)], terminating,
            ps.InvocationStateInfo.State == PSInvocationState.Stopped);
    }

    /// <summary>Stops the running cmdlet (Ctrl+C): the cmdlet's StopProcessing cancels its work.</summary>
    public void Stop() => _running?.BeginStop(null, null);

    /// <summary>Runs the PowerShell tab completion of a command line (the module's argument completers).</summary>
    public CommandCompletion Complete(string input) =>
        CommandCompletion.CompleteInput(input, input.Length, null, PowerShell.Create(_runspace));

    /// <summary>
    /// Readies a runspace opened earlier (the engine server opens the next call's in advance) for use on this thread:
    /// format views evaluate on the current thread's default runspace, and relative paths start at the caller's directory.
    /// </summary>
    public void MakeCurrent(string workingDirectory)
    {
        Runspace.DefaultRunspace = _runspace;
        _runspace.SessionStateProxy.Path.SetLocation(WildcardPattern.Escape(workingDirectory));
    }

    public void Dispose() => _runspace.Dispose();
}
