using System.Collections.ObjectModel;
using System.Globalization;
using System.Management.Automation;
using System.Management.Automation.Runspaces;

namespace KubeExpose.Tests;

/// <summary>
/// A fresh PowerShell runspace with the staged module imported, driven by script text the way a user types it.
/// </summary>
public sealed class ModuleHost : IDisposable
{
    private readonly Runspace _runspace;

    public ModuleHost(bool import = true)
    {
        // Help lookup follows the UI culture; the test host may run invariant.
        CultureInfo.CurrentUICulture = CultureInfo.GetCultureInfo("en-US");
        _runspace = RunspaceFactory.CreateRunspace(InitialSessionState.CreateDefault2());
        _runspace.Open();
        if (import)
        {
            ImportResult = Run($"Import-Module '{RepoPaths.StagedManifest}' -PassThru");
        }
    }

    /// <summary>The runspace, for tests that drive a pipeline themselves (BeginInvoke, Stop as Ctrl+C).</summary>
    public Runspace Runspace => _runspace;

    /// <summary>What Import-Module wrote, when the host imported the module.</summary>
    public ScriptResult? ImportResult { get; }

    /// <summary>Runs script text; errors and warnings are collected, not thrown (a terminating error is in <see cref="ScriptResult.Exception"/>).</summary>
    public ScriptResult Run(string script, IDictionary<string, object?>? variables = null)
    {
        using var ps = PowerShell.Create();
        ps.Runspace = _runspace;
        foreach (var (name, value) in variables ?? new Dictionary<string, object?>())
        {
            _runspace.SessionStateProxy.SetVariable(name, value);
        }

        ps.AddScript(script);
        Collection<PSObject> output = [];
        Exception? exception = null;
        try
        {
            output = ps.Invoke();
        }
        catch (RuntimeException e)
        {
            exception = e;
        }

        return new ScriptResult(
            output,
            [.. ps.Streams.Error],
            [.. ps.Streams.Warning.Select(w => w.Message)],
            exception);
    }

    public void Dispose() => _runspace.Dispose();
}

/// <summary>What one script wrote.</summary>
public sealed record ScriptResult(
    Collection<PSObject> Output, IReadOnlyList<ErrorRecord> Errors, IReadOnlyList<string> Warnings, Exception? Exception)
{
    /// <summary>Fails with everything the script said when it wrote an error or threw.</summary>
    public ScriptResult AssertSuccess()
    {
        if (Exception is not null || Errors.Count > 0)
        {
            var errors = string.Join(Environment.NewLine, Errors.Select(e => $"{e.FullyQualifiedErrorId}: {e}"));
            throw new Xunit.Sdk.XunitException($"Script failed. {Exception?.Message}{Environment.NewLine}{errors}");
        }

        return this;
    }
}
