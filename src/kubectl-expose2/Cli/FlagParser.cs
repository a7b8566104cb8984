namespace KubeExpose.Plugin.Cli;

/// <summary>
/// Parses a command line the way kubectl (pflag) does: <c>--name=value</c>, <c>--name value</c>, <c>-n value</c>,
/// <c>-nvalue</c>, switches with optional <c>=true|false</c>, and <c>--</c> ending the flags. Flags may come anywhere.
/// </summary>
public static class FlagParser
{
    public static ParsedArguments Parse(IEnumerable<string> args, IReadOnlyCollection<FlagSpec> specs, string where)
    {
        var result = new ParsedArguments();
        var queue = new Queue<string>(args);
        while (queue.Count > 0)
        {
            var token = queue.Dequeue();
            if (token == "--")
            {
                result.Positionals.AddRange(queue);
                break;
            }

            if (token.StartsWith("--", StringComparison.Ordinal))
            {
                var eq = token.IndexOf('=');
                var name = eq < 0 ? token[2..] : token[2..eq];
                var spec = specs.FirstOrDefault(s => s.Name == name) ?? throw Unknown(token[..(eq < 0 ? token.Length : eq)], where);
                Take(result, spec, eq < 0 ? null : token[(eq + 1)..], queue, "--" + name);
            }
            else if (token.Length > 1 && token[0] == '-')
            {
                var spec = specs.FirstOrDefault(s => s.Short == token[1]) ?? throw Unknown(token[..2], where);
                var rest = token[2..];
                string? inline = rest.Length == 0 ? null : rest.StartsWith('=') ? rest[1..] : rest;
                if (spec.Kind == FlagKind.Bool && inline is not null && !rest.StartsWith('='))
                {
                    throw new UsageException($"unknown shorthand flag: '{rest[0]}' in {token}");
                }

                Take(result, spec, inline, queue, "-" + spec.Short);
            }
            else
            {
                result.Positionals.Add(token);
            }
        }

        return result;
    }

    private static void Take(ParsedArguments result, FlagSpec spec, string? inline, Queue<string> queue, string written)
    {
        switch (spec.Kind)
        {
            case FlagKind.Bool:
                if (inline is not null && !bool.TryParse(inline, out _))
                {
                    throw new UsageException($"invalid argument \"{inline}\" for \"{written}\" flag: expected true or false");
                }

                result.Add(spec.Name, inline is null ? "true" : bool.Parse(inline).ToString());
                break;
            case FlagKind.OptionalValue:
                result.Add(spec.Name, inline ?? spec.Implied ?? "");
                break;
            default:
                if (inline is null)
                {
                    if (queue.Count == 0)
                    {
                        throw new UsageException($"flag needs an argument: {written}");
                    }

                    inline = queue.Dequeue();
                }

                result.Add(spec.Name, inline);
                break;
        }
    }

    private static UsageException Unknown(string flag, string where) => new($"unknown flag: {flag} for {where}");
}
