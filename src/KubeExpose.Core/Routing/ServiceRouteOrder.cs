using KubeExpose.Core.Model;

namespace KubeExpose.Core.Routing;

/// <summary>
/// Orders one Service's routes by Service port (ordinal), then vantage, keeping the order they were built in within
/// a port and vantage: the order of OrderBy(ServicePort).ThenBy(Vantage). Runs once per Service, so it keeps its
/// buffers from one Service to the next and sorts plain numbers (port rank, vantage, position) instead of calling a
/// comparer that allocates per Service.
/// </summary>
internal sealed class ServiceRouteOrder
{
    private readonly List<string> _ports = [];
    private long[] _keys = new long[64];

    /// <summary>Appends <paramref name="own"/> to <paramref name="into"/> in route order.</summary>
    public void AppendInOrder(List<Route> own, List<Route> into)
    {
        var count = own.Count;
        if (count == 0)
        {
            return;
        }

        // The Service's distinct port labels, in ordinal order: usually one or two.
        _ports.Clear();
        foreach (var route in own)
        {
            if (!_ports.Contains(route.ServicePort))
            {
                _ports.Add(route.ServicePort);
            }
        }

        _ports.Sort(StringComparer.Ordinal);
        if (_keys.Length < count)
        {
            _keys = new long[Math.Max(count, _keys.Length * 2)];
        }

        // One number per route: port rank, then vantage, then position, so the keys are distinct and a plain
        // (unstable) sort of them is the stable order.
        for (var i = 0; i < count; i++)
        {
            var rank = _ports.Count == 1 ? 0 : _ports.BinarySearch(own[i].ServicePort, StringComparer.Ordinal);
            _keys[i] = ((long)rank << 40) | ((long)(byte)own[i].Vantage << 32) | (uint)i;
        }

        Array.Sort(_keys, 0, count);
        for (var i = 0; i < count; i++)
        {
            into.Add(own[(int)(_keys[i] & 0xFFFF_FFFF)]);
        }
    }
}
