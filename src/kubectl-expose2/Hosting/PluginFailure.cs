namespace KubeExpose.Plugin.Hosting;

/// <summary>The plugin itself cannot go on (module missing, engine failure): one line on stderr, exit code 1.</summary>
public sealed class PluginFailure(string message) : Exception(message);
