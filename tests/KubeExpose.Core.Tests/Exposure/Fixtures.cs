using KubeExpose.Core.Exposure;

namespace KubeExpose.Core.Tests.Exposure;

/// <summary>Loads the workload YAML under tests/fixtures/exposure.</summary>
internal static class Fixtures
{
    public static string Path(string file) => System.IO.Path.Combine(AppContext.BaseDirectory, "fixtures", "exposure", file);

    public static Workload Load(string file) => Workload.FromYaml(File.ReadAllText(Path(file)));

    public static ExposureRequest Request(string target, Func<ExposureRequest, ExposureRequest>? change = null)
    {
        var request = new ExposureRequest { Workload = WorkloadRef.Parse(target) };
        return change is null ? request : change(request);
    }
}
