using System.Text;
using KubeExpose.Plugin;

Console.OutputEncoding = new UTF8Encoding(false);
var stdout = new StreamWriter(Console.OpenStandardOutput(), new UTF8Encoding(false)) { AutoFlush = false };
var code = PluginApp.Run(args, stdout, Console.Error);
stdout.Flush();
return code;
