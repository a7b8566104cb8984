using System.Management.Automation;
using System.Reflection;
using System.Runtime.Loader;

namespace KubeExpose;

/// <summary>
/// Loads KubeExpose.Core and every third-party assembly (KubernetesClient, YamlDotNet, Fractions) from the module's
/// <c>dependencies</c> folder into a private load context, so other modules in the same session can load their own
/// versions of the same libraries without either side breaking.
/// </summary>
public sealed class ModuleLoader : IModuleAssemblyInitializer, IModuleAssemblyCleanup
{
    private static readonly string DependencyFolder =
        Path.Combine(Path.GetDirectoryName(typeof(ModuleLoader).Assembly.Location)!, "dependencies");

    private static readonly DependencyLoadContext Dependencies = new(DependencyFolder);

    /// <summary>Runs on Import-Module, before any cmdlet runs.</summary>
    public void OnImport()
    {
        // Remove first so that importing twice (-Force) never registers the handler twice.
        AssemblyLoadContext.Default.Resolving -= ResolveCore;
        AssemblyLoadContext.Default.Resolving += ResolveCore;
    }

    /// <summary>Runs on Remove-Module: stops the session's tunnels so no listener outlives the module.</summary>
    public void OnRemove(PSModuleInfo psModuleInfo)
    {
        ModuleLifetime.Stop();
        AssemblyLoadContext.Default.Resolving -= ResolveCore;
    }

    // Only KubeExpose.Core is handed out to the default context; its own references (KubernetesClient, YamlDotNet)
    // then resolve inside the private context, invisible to everyone else.
    private static Assembly? ResolveCore(AssemblyLoadContext context, AssemblyName name) =>
        name.Name == "KubeExpose.Core" ? Dependencies.LoadFromAssemblyName(name) : null;

    private sealed class DependencyLoadContext(string folder) : AssemblyLoadContext("KubeExpose", isCollectible: false)
    {
        protected override Assembly? Load(AssemblyName assemblyName)
        {
            var path = Path.Combine(folder, assemblyName.Name + ".dll");
            return File.Exists(path) ? LoadFromAssemblyPath(path) : null;
        }
    }
}
