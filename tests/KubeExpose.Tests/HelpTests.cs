using System.Management.Automation;
using System.Xml.Linq;
using Xunit;

namespace KubeExpose.Tests;

/// <summary>
/// Runs alone (no other test class at the same time): reading parameter metadata with Get-Command while other
/// runspaces import the module in parallel made the engine's shared metadata hand back a null key now and then
/// (a NullReferenceException in CI, about one run in five).
/// </summary>
[Collection(HelpCollection.Name)]
public sealed class HelpTests
{
    public static TheoryData<string> Commands => new()
    {
        "Publish-Workload", "Get-ServiceReachability", "Start-KubeProxyTunnel", "Get-KubeProxyTunnel", "Stop-KubeProxyTunnel", "Test-Endpoint",
    };

    [Fact]
    public void Committed_help_matches_the_cmdlets_and_their_doc_comments()
    {
        using var host = new ModuleHost();
        var cmdlets = host.Run("Get-Command -Module KubeExpose -CommandType Cmdlet").AssertSuccess().Output.Select(o => (CmdletInfo)o.BaseObject);
        var generated = MamlHelpWriter.Write(cmdlets, XDocument.Load(RepoPaths.DocComments));

        if (Environment.GetEnvironmentVariable("KUBEEXPOSE_UPDATE_HELP") == "1")
        {
            File.WriteAllText(RepoPaths.HelpFile, generated);
        }

        var committed = File.Exists(RepoPaths.HelpFile) ? File.ReadAllText(RepoPaths.HelpFile) : string.Empty;
        Assert.True(generated == committed,
            "en-US/KubeExpose.dll-Help.xml is out of date with the cmdlets. Rebuild, then run the tests once with KUBEEXPOSE_UPDATE_HELP=1 and commit the file.");
    }

    [Theory]
    [MemberData(nameof(Commands))]
    public void Full_help_has_a_synopsis_parameter_descriptions_and_examples(string command)
    {
        using var host = new ModuleHost();
        var help = host.Run($"Get-Help {command} -Full").AssertSuccess().Output.Single();

        var synopsis = help.Properties["Synopsis"].Value?.ToString()?.Trim();
        Assert.False(string.IsNullOrEmpty(synopsis));
        Assert.DoesNotContain("[<CommonParameters>]", synopsis); // the engine's placeholder when no help file is found

        var examples = host.Run($"@((Get-Help {command} -Full).examples.example).Count").AssertSuccess().Output.Single();
        Assert.True((int)examples.BaseObject >= 2, $"{command} has {examples} examples; at least two are required.");

        var described = host.Run(
            $"(Get-Help {command} -Full).parameters.parameter | ForEach-Object {{ '{{0}}={{1}}' -f $_.name, (($_.description | ForEach-Object Text) -join ' ') }}")
            .AssertSuccess().Output.Select(o => o.ToString().Split('=', 2)).ToDictionary(p => p[0], p => p[1]);
        var declared = host.Run(
            $"(Get-Command {command}).Parameters.Keys | Where-Object {{ $_ -notin [System.Management.Automation.Cmdlet]::CommonParameters -and $_ -notin [System.Management.Automation.Cmdlet]::OptionalCommonParameters }}")
            .AssertSuccess().Output.Select(o => o.ToString()).Order(StringComparer.Ordinal);

        Assert.Equal(declared, described.Keys.Order(StringComparer.Ordinal));
        Assert.All(described, p => Assert.False(string.IsNullOrWhiteSpace(p.Value), $"{command} -{p.Key} has no description."));
    }
}

/// <summary>The collection of <see cref="HelpTests"/>: not run in parallel with any other collection.</summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class HelpCollection
{
    public const string Name = "Help (engine metadata)";
}
