using k8s.Models;

namespace KubeExpose.Core.Routing;

/// <summary>
/// Lookups over a <see cref="ClusterSnapshot"/> built once, so the model stays linear in the size of the cluster:
/// pods are indexed by namespace and by label pair, so a selector costs the size of its rarest label's pod set.
/// </summary>
/// <remarks>
/// The label index is built on demand, one (namespace, label key) at a time, the first time a selector asks for that
/// key there: pods carry many labels (pod-template-hash, chart, version...) that no selector uses, and a model asked
/// about one Service needs one namespace. Every pod of the namespace is still visited once per key, so a selector
/// sees exactly the pods an eager index would give it, in snapshot order.
/// </remarks>
internal sealed class SnapshotIndex
{
    private static readonly IReadOnlyList<V1Pod> NoPods = [];
    private readonly Dictionary<string, List<V1Pod>> _podsByNamespace = new(StringComparer.Ordinal);
    // namespace -> label key -> label value -> pods; strings as keys (not tuples) so lookups hash with the fast ordinal comparer.
    private readonly Dictionary<string, Dictionary<string, Dictionary<string, List<V1Pod>>>> _podsByLabel = new(StringComparer.Ordinal);
    private readonly Dictionary<(string Ns, string Name), List<EndpointGroup>> _endpoints;
    private readonly Dictionary<(string Ns, string Name), V1Service> _services;
    private readonly Dictionary<(string Ns, string Name), SecretInfo> _secrets = [];
    private readonly Dictionary<string, (DateTime[] Created, string[] Names)> _linkedPodsByAge = new(StringComparer.Ordinal);

    public SnapshotIndex(ClusterSnapshot snapshot)
    {
        Snapshot = snapshot;
        foreach (var pod in snapshot.Pods)
        {
            // Finished pods never serve; terminating pods are being removed from endpoints.
            if (pod.Status?.Phase is "Succeeded" or "Failed" || pod.Metadata.DeletionTimestamp is not null)
            {
                continue;
            }

            Add(_podsByNamespace, pod.Metadata.NamespaceProperty ?? "default", pod);
        }

        _endpoints = new(snapshot.Endpoints.Count);
        foreach (var group in snapshot.Endpoints)
        {
            Add(_endpoints, (group.Namespace, group.Service), group);
        }

        _services = new(snapshot.Services.Count);
        foreach (var service in snapshot.Services)
        {
            _services[(service.Metadata.NamespaceProperty ?? "default", service.Metadata.Name)] = service;
        }

        foreach (var secret in snapshot.Secrets)
        {
            _secrets[(secret.Namespace, secret.Name)] = secret;
        }

        Nodes = snapshot.Nodes.ToDictionary(n => n.Metadata.Name, StringComparer.Ordinal);
        NodeAddresses = snapshot.Nodes
            .SelectMany(n => n.Status?.Addresses ?? [])
            .Where(a => a.Type is "InternalIP" or "ExternalIP")
            .Select(a => a.Address)
            .ToHashSet(StringComparer.Ordinal);
        NodesReadable = !snapshot.Unreadable.ContainsKey("nodes");
    }

    public ClusterSnapshot Snapshot { get; }

    public IReadOnlyDictionary<string, V1Node> Nodes { get; }

    public IReadOnlySet<string> NodeAddresses { get; }

    public bool NodesReadable { get; }

    public V1Service? Service(string ns, string name) => _services.GetValueOrDefault((ns, name));

    public SecretInfo? Secret(string ns, string name) => _secrets.GetValueOrDefault((ns, name));

    public IReadOnlyList<EndpointGroup> Endpoints(string ns, string service) =>
        _endpoints.TryGetValue((ns, service), out var groups) ? groups : [];

    public IReadOnlyList<V1Pod> PodsIn(string ns) => _podsByNamespace.TryGetValue(ns, out var pods) ? pods : NoPods;

    /// <summary>
    /// The live pods of <paramref name="ns"/> that get Service environment variables (enableServiceLinks not false),
    /// oldest first, and how many of them were created before <paramref name="created"/> (they are the first ones).
    /// A binary search over pods sorted once per namespace, so thousands of Services in one namespace stay linear;
    /// the names list is shared, not copied per Service.
    /// </summary>
    public (IReadOnlyList<string> NamesByAge, int OlderCount) PodsWithServiceLinksCreatedBefore(string ns, DateTime created)
    {
        if (!_linkedPodsByAge.TryGetValue(ns, out var sorted))
        {
            var linked = new List<(DateTime Created, string Name)>(PodsIn(ns).Count);
            foreach (var p in PodsIn(ns))
            {
                if (p.Spec?.EnableServiceLinks != false && p.Metadata.CreationTimestamp is { } podCreated)
                {
                    linked.Add((podCreated, p.Metadata.Name));
                }
            }

            // Oldest first, ties by name: the distinct keys make the plain sort deterministic.
            linked.Sort(static (x, y) => x.Created.CompareTo(y.Created) is var byAge and not 0 ? byAge : string.CompareOrdinal(x.Name, y.Name));
            var times = new DateTime[linked.Count];
            var names = new string[linked.Count];
            for (var i = 0; i < linked.Count; i++)
            {
                (times[i], names[i]) = linked[i];
            }

            _linkedPodsByAge[ns] = sorted = (times, names);
        }

        // First index whose creation time is not before the Service's.
        int lo = 0, hi = sorted.Created.Length;
        while (lo < hi)
        {
            var mid = (lo + hi) / 2;
            if (sorted.Created[mid] < created)
            {
                lo = mid + 1;
            }
            else
            {
                hi = mid;
            }
        }

        return (sorted.Names, lo);
    }

    /// <summary>The live pods in <paramref name="ns"/> whose labels contain every pair of <paramref name="selector"/>.</summary>
    public IReadOnlyList<V1Pod> Select(string ns, IDictionary<string, string> selector)
    {
        if (selector is Dictionary<string, string> concrete)
        {
            // The API client's dictionaries: enumerate without boxing an enumerator (this runs once per Service port).
            return Select(ns, concrete, concrete);
        }

        return Select(ns, selector, selector);
    }

    private IReadOnlyList<V1Pod> Select<TPairs>(string ns, TPairs pairs, IDictionary<string, string> selector)
        where TPairs : IEnumerable<KeyValuePair<string, string>>
    {
        List<V1Pod>? smallest = null;
        foreach (var pair in pairs)
        {
            if (!PodsByLabel(ns, pair.Key).TryGetValue(pair.Value, out var pods))
            {
                return NoPods;
            }

            if (smallest is null || pods.Count < smallest.Count)
            {
                smallest = pods;
            }
        }

        if (smallest is null)
        {
            return NoPods;
        }

        if (selector.Count == 1)
        {
            // The bucket of the one pair is exactly the answer (read-only to callers): no filtering, no copy.
            return smallest;
        }

        var selected = new List<V1Pod>();
        foreach (var pod in smallest)
        {
            if (MatchesAll(pod.Metadata.Labels, selector))
            {
                selected.Add(pod);
            }
        }

        return selected;
    }

    /// <summary>The live pods of <paramref name="ns"/> by their value of label <paramref name="key"/>, indexed on first use.</summary>
    private Dictionary<string, List<V1Pod>> PodsByLabel(string ns, string key)
    {
        if (!_podsByLabel.TryGetValue(ns, out var byKey))
        {
            _podsByLabel[ns] = byKey = new(StringComparer.Ordinal);
        }

        if (!byKey.TryGetValue(key, out var byValue))
        {
            byKey[key] = byValue = new(StringComparer.Ordinal);
            if (_podsByNamespace.TryGetValue(ns, out var pods))
            {
                foreach (var pod in pods)
                {
                    if (pod.Metadata.Labels is { } labels && labels.TryGetValue(key, out var value) && value is not null)
                    {
                        Add(byValue, value, pod);
                    }
                }
            }
        }

        return byValue;
    }

    private static bool MatchesAll(IDictionary<string, string> labels, IDictionary<string, string> selector)
    {
        foreach (var pair in selector)
        {
            if (!labels.TryGetValue(pair.Key, out var value) || value != pair.Value)
            {
                return false;
            }
        }

        return true;
    }

    private static void Add<TKey, TValue>(Dictionary<TKey, List<TValue>> map, TKey key, TValue value)
        where TKey : notnull
    {
        if (!map.TryGetValue(key, out var list))
        {
            map[key] = list = [];
        }

        list.Add(value);
    }
}
