using System.Collections.Concurrent;
using System.Reflection;
using System.Text.Json.Serialization;
using k8s;
using k8s.Models;
using YamlDotNet.Serialization;
using YamlDotNet.Serialization.NamingConventions;

namespace KubeExpose.Core.Exposure;

/// <summary>
/// Serializes typed API objects (V1Service, V1Ingress, …) to YAML exactly as <c>KubernetesYaml.Serialize</c> does,
/// without its cost: KubernetesYaml's static constructor maps the JSON names of every property of every generated
/// model type (about a second of a cold start on a loaded machine). This serializer is configured the same way but
/// maps only the types reachable from the object being written, once per root type.
/// </summary>
internal static class ModelYaml
{
    private static readonly ConcurrentDictionary<Type, ISerializer?> Serializers = new();

    /// <summary>The object's YAML. Trailing line breaks may differ from KubernetesYaml's (it never ends its document).</summary>
    public static string Serialize(object value) =>
        Serializers.GetOrAdd(value.GetType(), Build) is { } serializer ? serializer.Serialize(value) : KubernetesYaml.Serialize(value);

    // The same settings as KubernetesYaml's serializer; only the attribute overrides are limited to reachable types.
    // KubernetesYaml's byte[] converter and float emitter are not public: a type that can hold either (Secret data,
    // a few float fields) is left to KubernetesYaml itself (null).
    private static ISerializer? Build(Type root)
    {
        var reachable = ModelTypesReachableFrom(root);
        if (reachable.SelectMany(t => t.GetProperties()).Any(p => NeedsPrivateConverter(p.PropertyType)))
        {
            return null;
        }

        var builder = new SerializerBuilder()
            .DisableAliases()
            .WithNamingConvention(CamelCaseNamingConvention.Instance)
            .WithTypeConverter(new IntOrStringYamlConverter())
            .WithTypeConverter(new ResourceQuantityYamlConverter())
            .WithEventEmitter(e => new StringQuotingEmitter(e))
            .ConfigureDefaultValuesHandling(DefaultValuesHandling.OmitNull);
        foreach (var type in reachable)
        {
            foreach (var property in type.GetProperties())
            {
                if (property.GetCustomAttribute<JsonPropertyNameAttribute>() is { } json)
                {
                    builder.WithAttributeOverride(type, property.Name, new YamlMemberAttribute { Alias = json.Name, ApplyNamingConventions = false });
                }
            }
        }

        return builder.Build();
    }

    private static bool NeedsPrivateConverter(Type type)
    {
        var t = Nullable.GetUnderlyingType(type) ?? type;
        return t == typeof(byte[]) || t == typeof(float) || t == typeof(double) || t == typeof(decimal)
            || (t.IsGenericType && t.GetGenericArguments().Any(NeedsPrivateConverter));
    }

    // KubernetesYaml overrides the concrete types of the generated model namespace; the ones a value of the root type
    // can contain are found through property types, generic arguments (lists, dictionaries) and array elements.
    private static HashSet<Type> ModelTypesReachableFrom(Type root)
    {
        var modelNamespace = typeof(V1Service).Namespace;
        var seen = new HashSet<Type>();
        var pending = new Stack<Type>([root]);
        while (pending.TryPop(out var type))
        {
            if (type.IsArray)
            {
                pending.Push(type.GetElementType()!);
                continue;
            }

            if (type.IsGenericType)
            {
                foreach (var argument in type.GetGenericArguments())
                {
                    pending.Push(argument);
                }
            }

            if (type.Namespace != modelNamespace || type.IsInterface || type.IsAbstract || !seen.Add(type))
            {
                continue;
            }

            foreach (var property in type.GetProperties())
            {
                pending.Push(property.PropertyType);
            }
        }

        return seen;
    }
}
