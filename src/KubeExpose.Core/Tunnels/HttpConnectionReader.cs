using System.Text;

namespace KubeExpose.Core.Tunnels;

/// <summary>
/// A buffered reader over one client connection of the API proxy: header lines, then body bytes, then the next
/// request on the same connection. Whatever is buffered past a request head stays available to the body readers and
/// to an upgraded connection.
/// </summary>
internal sealed class HttpConnectionReader
{
    private const int MaxHeadBytes = 1 << 20; // Go's http.DefaultMaxHeaderBytes, as kubectl proxy uses
    private readonly Stream _stream;
    private readonly byte[] _buffer = new byte[16 * 1024];
    private int _start;
    private int _end;

    public HttpConnectionReader(Stream stream) => _stream = stream;

    /// <summary>Bytes read from the connection but not consumed yet.</summary>
    public ReadOnlyMemory<byte> Buffered => _buffer.AsMemory(_start, _end - _start);

    public void DiscardBuffered() => _start = _end = 0;

    /// <summary>Reads one CRLF (or LF) terminated line as Latin-1; null at end of stream before any byte.</summary>
    public async Task<string?> ReadLineAsync(int budget, CancellationToken cancellation)
    {
        var line = new StringBuilder();
        while (true)
        {
            var newline = Array.IndexOf(_buffer, (byte)'\n', _start, _end - _start);
            if (newline >= 0)
            {
                line.Append(Encoding.Latin1.GetString(_buffer, _start, newline - _start));
                _start = newline + 1;
                if (line.Length > 0 && line[^1] == '\r')
                {
                    line.Length--;
                }

                return line.ToString();
            }

            line.Append(Encoding.Latin1.GetString(_buffer, _start, _end - _start));
            _start = _end = 0;
            if (line.Length > budget)
            {
                throw new InvalidDataException("request head too large");
            }

            var read = await _stream.ReadAsync(_buffer, cancellation).ConfigureAwait(false);
            if (read == 0)
            {
                if (line.Length == 0)
                {
                    return null;
                }

                throw new EndOfStreamException("connection closed in the middle of a line");
            }

            _end = read;
        }
    }

    /// <summary>Reads body bytes: buffered ones first, then from the connection.</summary>
    public async ValueTask<int> ReadAsync(Memory<byte> destination, CancellationToken cancellation)
    {
        if (_end > _start)
        {
            var count = Math.Min(destination.Length, _end - _start);
            _buffer.AsMemory(_start, count).CopyTo(destination);
            _start += count;
            return count;
        }

        return await _stream.ReadAsync(destination, cancellation).ConfigureAwait(false);
    }

    /// <summary>Reads a request head: the request line and headers up to the empty line. Null at a clean end of stream.</summary>
    public async Task<HttpRequestHead?> ReadRequestHeadAsync(CancellationToken cancellation)
    {
        string? requestLine;
        do
        {
            // RFC 9112 2.2: ignore empty lines before a request line.
            requestLine = await ReadLineAsync(MaxHeadBytes, cancellation).ConfigureAwait(false);
            if (requestLine is null)
            {
                return null;
            }
        }
        while (requestLine.Length == 0);

        var parts = requestLine.Split(' ');
        if (parts.Length != 3 || !parts[2].StartsWith("HTTP/1.", StringComparison.Ordinal) || parts[0].Length == 0 || parts[1].Length == 0)
        {
            throw new InvalidDataException($"malformed request line '{requestLine}'");
        }

        var headers = new List<KeyValuePair<string, string>>();
        var budget = MaxHeadBytes - requestLine.Length;
        while (true)
        {
            var line = await ReadLineAsync(budget, cancellation).ConfigureAwait(false)
                ?? throw new EndOfStreamException("connection closed in the request head");
            if (line.Length == 0)
            {
                break;
            }

            budget -= line.Length;
            if (budget < 0)
            {
                throw new InvalidDataException("request head too large");
            }

            var colon = line.IndexOf(':', StringComparison.Ordinal);
            if (colon <= 0 || line[..colon].Any(char.IsWhiteSpace))
            {
                throw new InvalidDataException($"malformed header line '{line}'");
            }

            headers.Add(new(line[..colon], line[(colon + 1)..].Trim()));
        }

        return new HttpRequestHead(parts[0], parts[1], parts[2], headers);
    }
}
