using System.Text;
using KubeExpose.Plugin;
using KubeExpose.Plugin.Server;

if (args is [EngineServer.Flag])
{
    return EngineServer.Run();
}

// A warm engine server (started by an earlier call) answers in a fraction of the engine's start-up.
var served = EngineClient.TryRun(args, out var servedCode);
if (served == ServedOutcome.Served)
{
    Timing.Mark("served by the engine server");
    return servedCode;
}

PluginApp.OptOutOfTelemetry();
Console.OutputEncoding = new UTF8Encoding(false);
var stdout = new StreamWriter(Console.OpenStandardOutput(), new UTF8Encoding(false)) { AutoFlush = false };
var code = PluginApp.Run(args, stdout, Console.Error);
stdout.Flush();
if (served == ServedOutcome.NoServer && EngineServer.Serves(args))
{
    EngineLauncher.StartInBackground();
}

return code;
