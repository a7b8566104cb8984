using System.Text;
using KubeExpose.Plugin;

// The hosted engine otherwise loads Application Insights at the first Import-Module to send PowerShell's module
// telemetry: tens of milliseconds of every call, and not something a kubectl plugin's user asked for. A user's own
// setting is left alone.
if (Environment.GetEnvironmentVariable("POWERSHELL_TELEMETRY_OPTOUT") is not { Length: > 0 })
{
    Environment.SetEnvironmentVariable("POWERSHELL_TELEMETRY_OPTOUT", "1");
}

Console.OutputEncoding = new UTF8Encoding(false);
var stdout = new StreamWriter(Console.OpenStandardOutput(), new UTF8Encoding(false)) { AutoFlush = false };
var code = PluginApp.Run(args, stdout, Console.Error);
stdout.Flush();
return code;
