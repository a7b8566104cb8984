using KubeExpose.Tests;
using Xunit;
namespace KubeExpose.E2E.Tests;
[Collection(ClusterCollection.Name)]
public sealed class ZzDiag(ClusterFixture cluster)
{
    [SkippableFact]
    public void Dump()
    {
        cluster.Require();
        using var host = cluster.NewModuleHost();
        var sw = System.Diagnostics.Stopwatch.StartNew();
        var script = File.ReadAllText("/tmp/diag.ps1");
        var r = host.Run(script);
        var lines = r.Output.Select(o => o.ToString()).ToList();
        lines.Add($"--- errors ({sw.Elapsed}):");
        lines.AddRange(r.Errors.Select(e => $"{e.FullyQualifiedErrorId} | {e.CategoryInfo.Category} | {e.TargetObject} | {e.Exception.Message}"));
        lines.Add($"exception: {r.Exception}");
        File.WriteAllLines("/tmp/diag.out", lines);
    }
}
