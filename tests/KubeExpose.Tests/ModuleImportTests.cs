using System.Management.Automation;
using Xunit;

namespace KubeExpose.Tests;

public sealed class ModuleImportTests
{
    private static readonly string[] Exported =
    [
        "Get-KubeProxyTunnel", "Get-ServiceReachability", "Publish-Workload", "Start-KubeProxyTunnel", "Stop-KubeProxyTunnel", "Test-Endpoint",
    ];

    [Fact]
    public void Import_writes_no_warning_and_no_error()
    {
        using var host = new ModuleHost(import: false);
        var result = host.Run($"Import-Module '{RepoPaths.StagedManifest}' -Verbose:$false");
        result.AssertSuccess();
        Assert.Empty(result.Warnings);
    }

    [Fact]
    public void Import_with_force_twice_writes_no_warning()
    {
        using var host = new ModuleHost();
        var result = host.Run($"Import-Module '{RepoPaths.StagedManifest}' -Force; Import-Module '{RepoPaths.StagedManifest}' -Force").AssertSuccess();
        Assert.Empty(result.Warnings);
    }

    [Fact]
    public void Module_exports_exactly_the_declared_commands()
    {
        using var host = new ModuleHost();
        var names = host.Run("Get-Command -Module KubeExpose -CommandType Cmdlet | ForEach-Object Name").AssertSuccess()
            .Output.Select(o => o.ToString()).Order(StringComparer.Ordinal).ToArray();
        Assert.Equal(Exported, names);

        var aliases = host.Run("Get-Command -Module KubeExpose -CommandType Alias | ForEach-Object Name").AssertSuccess()
            .Output.Select(o => o.ToString()).ToArray();
        Assert.Equal(["Expose-Workload"], aliases);
    }

    [Fact]
    public void Expose_Workload_resolves_to_Publish_Workload()
    {
        using var host = new ModuleHost();
        var command = host.Run("Get-Command Expose-Workload").AssertSuccess().Output.Single().BaseObject;
        var alias = Assert.IsType<AliasInfo>(command);
        Assert.Equal("Publish-Workload", alias.ResolvedCommand.Name);
        Assert.Equal("KubeExpose", alias.ModuleName);
    }

    [Fact]
    public void Manifest_passes_Test_ModuleManifest_and_matches_the_assembly_version()
    {
        using var host = new ModuleHost(import: false);
        var module = host.Run($"Test-ModuleManifest '{RepoPaths.StagedManifest}'").AssertSuccess().Output.Single().BaseObject;
        var info = Assert.IsType<PSModuleInfo>(module);
        Assert.Equal("KubeExpose", info.Name);
        Assert.Equal("Core", Assert.Single(info.CompatiblePSEditions));
        Assert.Equal(new Version(7, 4), info.PowerShellVersion);
        Assert.Empty(info.ExportedFunctions);
        Assert.Empty(info.ExportedVariables);

        var assemblyVersion = System.Reflection.AssemblyName.GetAssemblyName(Path.Combine(RepoPaths.StagedModule, "KubeExpose.dll")).Version!;
        Assert.Equal(info.Version, new Version(assemblyVersion.Major, assemblyVersion.Minor, assemblyVersion.Build));
    }

    [Fact]
    public void Every_cmdlet_declares_its_output_type()
    {
        using var host = new ModuleHost();
        var cmdlets = host.Run("Get-Command -Module KubeExpose -CommandType Cmdlet").AssertSuccess().Output.Select(o => (CmdletInfo)o.BaseObject);
        Assert.All(cmdlets, c => Assert.NotEmpty(c.OutputType));
    }

    [Fact]
    public void Cluster_cmdlets_take_the_common_connection_parameters()
    {
        using var host = new ModuleHost();
        foreach (var name in new[] { "Publish-Workload", "Get-ServiceReachability", "Start-KubeProxyTunnel", "Test-Endpoint" })
        {
            var cmdlet = (CmdletInfo)host.Run($"Get-Command {name}").AssertSuccess().Output.Single().BaseObject;
            Assert.Contains("Namespace", cmdlet.Parameters.Keys);
            Assert.Contains("Context", cmdlet.Parameters.Keys);
            Assert.Contains("KubeConfig", cmdlet.Parameters.Keys);
        }
    }

    [Fact]
    public void Writing_cmdlets_support_WhatIf()
    {
        using var host = new ModuleHost();
        foreach (var name in new[] { "Publish-Workload", "Stop-KubeProxyTunnel" })
        {
            var cmdlet = (CmdletInfo)host.Run($"Get-Command {name}").AssertSuccess().Output.Single().BaseObject;
            Assert.Contains("WhatIf", cmdlet.Parameters.Keys);
            Assert.Contains("Confirm", cmdlet.Parameters.Keys);
        }
    }
}
