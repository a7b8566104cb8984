using System.Management.Automation;
using System.Reflection;
using System.Text.RegularExpressions;
using System.Xml.Linq;

namespace KubeExpose.Tests;

/// <summary>
/// Writes the module's MAML help from two sources that cannot drift apart: the cmdlets' real metadata (parameter sets,
/// types, positions, pipeline input, aliases) and their XML doc comments (synopsis = summary, description = remarks,
/// examples = example elements, parameter descriptions = property summaries). The help test regenerates it and
/// compares with the committed en-US file; KUBEEXPOSE_UPDATE_HELP=1 rewrites that file.
/// </summary>
public static partial class MamlHelpWriter
{
    private static readonly XNamespace Msh = "http://msh";
    private static readonly XNamespace Maml = "http://schemas.microsoft.com/maml/2004/10";
    private static readonly XNamespace Command = "http://schemas.microsoft.com/maml/dev/command/2004/10";
    private static readonly XNamespace Dev = "http://schemas.microsoft.com/maml/dev/2004/10";

    public static string Write(IEnumerable<CmdletInfo> cmdlets, XDocument docComments)
    {
        var members = docComments.Descendants("member").ToDictionary(m => (string)m.Attribute("name")!);
        var root = new XElement(Msh + "helpItems", new XAttribute("schema", "maml"),
            cmdlets.OrderBy(c => c.Name, StringComparer.Ordinal).Select(c => CommandElement(c, members)));
        var document = new XDocument(new XDeclaration("1.0", "utf-8", null), root);
        return document.Declaration + Environment.NewLine + document.Root!.ToString().ReplaceLineEndings("\n") + "\n";
    }

    private static XElement CommandElement(CmdletInfo cmdlet, IReadOnlyDictionary<string, XElement> members)
    {
        var type = cmdlet.ImplementingType;
        var doc = members.GetValueOrDefault("T:" + type.FullName)
            ?? throw new InvalidOperationException($"{type.FullName} has no XML doc comment.");
        var parameters = OwnParameters(cmdlet).ToList();

        return new XElement(Command + "command",
            new XAttribute(XNamespace.Xmlns + "maml", Maml),
            new XAttribute(XNamespace.Xmlns + "command", Command),
            new XAttribute(XNamespace.Xmlns + "dev", Dev),
            new XElement(Command + "details",
                new XElement(Command + "name", cmdlet.Name),
                new XElement(Command + "verb", cmdlet.Verb),
                new XElement(Command + "noun", cmdlet.Noun),
                Description(Text(doc.Element("summary")))),
            Description(Text(doc.Element("remarks"))),
            new XElement(Command + "syntax",
                cmdlet.ParameterSets.OrderBy(s => s.IsDefault ? 0 : 1).ThenBy(s => s.Name, StringComparer.Ordinal).Select(set =>
                    new XElement(Command + "syntaxItem",
                        new XElement(Maml + "name", cmdlet.Name),
                        set.Parameters.Where(p => !IsCommon(p.Name))
                            .Select(p => ParameterElement(p.Name, p.ParameterType, p.IsMandatory, p.Position, PipelineInput(p), p.Aliases, type, members))))),
            new XElement(Command + "parameters",
                parameters.Select(p => ParameterElement(p.Name, p.ParameterType, p.Mandatory, p.Position, p.Pipeline, p.Aliases, type, members))),
            new XElement(Command + "inputTypes", InputTypes(parameters).Select(t =>
                new XElement(Command + "inputType", TypeElement(t), Description("Accepted from the pipeline.")))),
            new XElement(Command + "returnValues", cmdlet.OutputType.Select(t =>
                new XElement(Command + "returnValue", TypeElement(t.Name), Description(string.Empty)))),
            new XElement(Command + "examples", doc.Elements("example").Select((e, i) =>
                new XElement(Command + "example",
                    new XElement(Maml + "title", $"--------- Example {i + 1} ---------"),
                    new XElement(Dev + "code", Text(e.Element("code"))),
                    new XElement(Dev + "remarks", Paragraphs(Text(e.Element("para"))))))),
            new XElement(Command + "relatedLinks", RelatedCommands(cmdlet.Name).Select(name =>
                new XElement(Maml + "navigationLink", new XElement(Maml + "linkText", name), new XElement(Maml + "uri")))));
    }

    /// <summary>Parameters across all sets, merged: mandatory/position/pipeline as the first set that declares them says.</summary>
    private static IEnumerable<(string Name, Type ParameterType, bool Mandatory, int Position, string Pipeline, IReadOnlyList<string> Aliases)> OwnParameters(CmdletInfo cmdlet) =>
        cmdlet.ParameterSets.SelectMany(s => s.Parameters)
            .Where(p => !IsCommon(p.Name))
            .GroupBy(p => p.Name)
            .Select(g => (g.Key, g.First().ParameterType, g.All(p => p.IsMandatory), g.Max(p => p.Position), PipelineInput(g.First()), (IReadOnlyList<string>)g.First().Aliases))
            .OrderBy(p => p.Item4 < 0 ? int.MaxValue : p.Item4).ThenBy(p => p.Key, StringComparer.Ordinal);

    private static XElement ParameterElement(
        string name, Type parameterType, bool mandatory, int position, string pipeline, IEnumerable<string> aliases,
        Type cmdletType, IReadOnlyDictionary<string, XElement> members)
    {
        var property = cmdletType.GetProperty(name, BindingFlags.Public | BindingFlags.Instance)
            ?? throw new InvalidOperationException($"{cmdletType.Name} has no property {name}.");
        var doc = members.GetValueOrDefault($"P:{property.DeclaringType!.FullName}.{name}")
            ?? throw new InvalidOperationException($"{cmdletType.Name}.{name} has no XML doc comment.");
        var isSwitch = parameterType == typeof(SwitchParameter);
        var aliasList = aliases.ToList();
        return new XElement(Command + "parameter",
            new XAttribute("required", mandatory ? "true" : "false"),
            new XAttribute("variableLength", parameterType.IsArray ? "true" : "false"),
            new XAttribute("globbing", "false"),
            new XAttribute("pipelineInput", pipeline),
            new XAttribute("position", position < 0 ? "named" : position.ToString(System.Globalization.CultureInfo.InvariantCulture)),
            new XAttribute("aliases", aliasList.Count == 0 ? "none" : string.Join(", ", aliasList)),
            new XElement(Maml + "name", name),
            Description(Text(doc.Element("summary"))),
            isSwitch ? null : new XElement(Command + "parameterValue", new XAttribute("required", "true"),
                new XAttribute("variableLength", parameterType.IsArray ? "true" : "false"), FriendlyName(parameterType)),
            TypeElement(FriendlyName(parameterType)),
            new XElement(Dev + "defaultValue", "None"));
    }

    private static string PipelineInput(CommandParameterInfo p) =>
        (p.ValueFromPipeline, p.ValueFromPipelineByPropertyName) switch
        {
            (true, true) => "True (ByPropertyName, ByValue)",
            (true, false) => "True (ByValue)",
            (false, true) => "True (ByPropertyName)",
            _ => "False",
        };

    private static IEnumerable<string> InputTypes(IEnumerable<(string Name, Type ParameterType, bool Mandatory, int Position, string Pipeline, IReadOnlyList<string> Aliases)> parameters) =>
        parameters.Where(p => p.Pipeline != "False").Select(p => FriendlyName(p.ParameterType)).Distinct().DefaultIfEmpty("None");

    private static IEnumerable<string> RelatedCommands(string name) =>
        new[] { "Publish-Workload", "Get-ServiceReachability", "Start-KubeProxyTunnel", "Get-KubeProxyTunnel", "Stop-KubeProxyTunnel", "Test-Endpoint" }
            .Where(n => n != name);

    private static bool IsCommon(string name) =>
        Cmdlet.CommonParameters.Contains(name) || Cmdlet.OptionalCommonParameters.Contains(name);

    private static string FriendlyName(Type type) => type switch
    {
        _ when type == typeof(SwitchParameter) => "SwitchParameter",
        _ when type.IsArray => FriendlyName(type.GetElementType()!) + "[]",
        _ when Nullable.GetUnderlyingType(type) is { } inner => FriendlyName(inner),
        _ => type.Namespace == "System" ? type.Name : type.FullName ?? type.Name,
    };

    private static XElement TypeElement(string name) =>
        new(Dev + "type", new XElement(Maml + "name", name), new XElement(Maml + "uri"));

    private static XElement Description(string text) => new(Maml + "description", Paragraphs(text));

    private static IEnumerable<XElement> Paragraphs(string text) =>
        text.Split("\n\n", StringSplitOptions.RemoveEmptyEntries).Select(p => new XElement(Maml + "para", p.Trim()));

    /// <summary>The plain text of a doc element: cref and c elements become their text, whitespace is folded.</summary>
    private static string Text(XElement? element)
    {
        if (element is null)
        {
            return string.Empty;
        }

        var parts = element.Nodes().Select(node => node switch
        {
            XText t => t.Value,
            XElement { Name.LocalName: "see" } see => ((string?)see.Attribute("cref") ?? (string?)see.Attribute("langword") ?? string.Empty).Split('.', ':').Last(),
            XElement { Name.LocalName: "para" } para => "\n\n" + Text(para) + "\n\n",
            XElement other => other.Value,
            _ => string.Empty,
        });
        var joined = string.Concat(parts);
        return string.Join("\n\n", joined.Split("\n\n").Select(p => Whitespace().Replace(p, " ").Trim()).Where(p => p.Length > 0));
    }

    [GeneratedRegex(@"\s+")]
    private static partial Regex Whitespace();
}
