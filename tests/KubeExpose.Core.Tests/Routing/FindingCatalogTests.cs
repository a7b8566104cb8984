using System.Text.RegularExpressions;
using KubeExpose.Core.Routing;
using Xunit;

namespace KubeExpose.Core.Tests.Routing;

/// <summary>The catalogue is the contract users see: every code documented, produced by some scenario, and stable.</summary>
public sealed class FindingCatalogTests
{
    [Fact]
    public void Every_catalogued_code_is_produced_by_some_fixture_and_every_produced_code_is_catalogued()
    {
        var produced = RoutingFixture.All().Select(f => (string)f[0])
            .SelectMany(f => RoutingFixture.Load(f).Routes())
            .SelectMany(r => r.Findings)
            .ToList();
        var catalogued = FindingCatalog.Codes.Select(c => c.Code).ToHashSet();

        Assert.Empty(catalogued.Except(produced.Select(f => f.Code)));
        Assert.Empty(produced.Select(f => f.Code).Except(catalogued));
        // A code always comes with the severity the catalogue documents.
        Assert.All(produced, f => Assert.Equal(FindingCatalog.Codes.Single(c => c.Code == f.Code).Severity, f.Severity));
    }

    [Fact]
    public void Codes_are_unique_and_grouped_by_subject()
    {
        var codes = FindingCatalog.Codes.Select(c => c.Code).ToList();

        Assert.Equal(codes.Count, codes.Distinct().Count());
        Assert.All(codes, c => Assert.Matches(new Regex("^KE[1-4][0-9]{3}$"), c));
        Assert.All(FindingCatalog.Codes, c => Assert.False(string.IsNullOrWhiteSpace(c.Title)));
    }

    [Fact]
    public void Readme_documents_every_code()
    {
        var readme = File.ReadAllText(Path.Combine(FindRepoRoot(), "README.md"));

        Assert.All(FindingCatalog.Codes, c => Assert.Contains($"| {c.Code} |", readme));
    }

    private static string FindRepoRoot()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "KubeExpose.sln")))
        {
            dir = dir.Parent;
        }

        return dir?.FullName ?? throw new InvalidOperationException("KubeExpose.sln not found above the test directory.");
    }
}
