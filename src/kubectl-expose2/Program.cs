using System.Text;
using KubeExpose.Plugin;
using KubeExpose.Plugin.Server;

// The engine host. kubectl runs the launcher `kubectl-expose2`, which hands calls to a warm engine server when one
// listens and otherwise replaces itself with this executable, which runs the call in-process.
if (args is [EngineServer.Flag])
{
    return EngineServer.Run();
}

PluginApp.OptOutOfTelemetry();
Console.OutputEncoding = new UTF8Encoding(false);
var stdout = new StreamWriter(Console.OpenStandardOutput(), new UTF8Encoding(false)) { AutoFlush = false };
var code = PluginApp.Run(args, stdout, Console.Error);
stdout.Flush();
if (Environment.GetEnvironmentVariable(EngineServerSettings.StartVariable) == "1" && EngineServer.Serves(args))
{
    EngineLauncher.StartInBackground();
}

return code;
