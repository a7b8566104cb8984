namespace KubeExpose.Tests;

/// <summary>Where the repository, the staged module and the help live, found from the test assembly's location.</summary>
public static class RepoPaths
{
    public static string Root { get; } = FindRoot();

    public static string StagedModule => Path.Combine(Root, "out", "KubeExpose");

    public static string StagedManifest => Path.Combine(StagedModule, "KubeExpose.psd1");

    public static string HelpFile => Path.Combine(Root, "en-US", "KubeExpose.dll-Help.xml");

    public static string DocComments => Path.Combine(Root, "out", "help-source", "KubeExpose.xml");

    private static string FindRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "KubeExpose.psd1")) && Directory.Exists(Path.Combine(dir.FullName, "src")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException($"No repository root above {AppContext.BaseDirectory}.");
    }
}
