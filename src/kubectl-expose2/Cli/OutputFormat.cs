namespace KubeExpose.Plugin.Cli;

/// <summary>kubectl's <c>-o</c> formats the plugin prints.</summary>
public enum OutputFormat
{
    Table,
    Wide,
    Json,
    Yaml,
    Name,
}
