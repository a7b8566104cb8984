using System.Buffers.Binary;
using System.Text;

namespace KubeExpose.Core.Tunnels;

/// <summary>
/// Encodes the name/value header blocks of one SPDY connection's SYN_STREAM frames. SPDY wants them in one zlib stream
/// per direction and connection, primed with SPDY's dictionary. A zlib stream made only of stored (uncompressed)
/// deflate blocks is a valid such stream: it never refers to the dictionary, so it needs no FDICT flag (Go's
/// zlib.NewReaderDict, used by spdystream, accepts a stream without it). Each block of headers ends with an empty
/// stored block, exactly as a zlib sync flush does: Go's inflater hands out a stored block's bytes only when it meets
/// the next block, and the server must not need the next frame to read this one. Port-forward headers are three
/// short pairs per stream, so compressing them would gain nothing.
/// </summary>
internal sealed class SpdyHeaderBlock
{
    private const int MaxStoredBlock = 0xFFFF;
    private bool _started;

    /// <summary>The next header block of this connection's outgoing zlib stream. Names must be lower case.</summary>
    public byte[] Encode(IReadOnlyList<KeyValuePair<string, string>> headers)
    {
        var raw = Serialize(headers);
        var blocks = (raw.Length + MaxStoredBlock - 1) / MaxStoredBlock;
        var output = new byte[(_started ? 0 : 2) + raw.Length + (Math.Max(blocks, 1) * 5) + 5];
        var at = 0;
        if (!_started)
        {
            // zlib header: deflate, 32 KiB window, no preset dictionary flag; 0x7801 is a multiple of 31 as required.
            output[at++] = 0x78;
            output[at++] = 0x01;
            _started = true;
        }

        var offset = 0;
        do
        {
            var length = Math.Min(MaxStoredBlock, raw.Length - offset);
            output[at++] = 0x00; // BFINAL = 0, BTYPE = 00 (stored), padded to the byte boundary
            BinaryPrimitives.WriteUInt16LittleEndian(output.AsSpan(at), (ushort)length);
            BinaryPrimitives.WriteUInt16LittleEndian(output.AsSpan(at + 2), (ushort)~length);
            at += 4;
            raw.AsSpan(offset, length).CopyTo(output.AsSpan(at));
            at += length;
            offset += length;
        }
        while (offset < raw.Length);

        // The sync-flush marker: an empty stored block (length 0, one's complement 0xFFFF).
        output[at++] = 0x00;
        output[at++] = 0x00;
        output[at++] = 0x00;
        output[at++] = 0xFF;
        output[at++] = 0xFF;
        return output;
    }

    /// <summary>The uncompressed SPDY/3 header block: a count, then length-prefixed names and values.</summary>
    public static byte[] Serialize(IReadOnlyList<KeyValuePair<string, string>> headers)
    {
        var size = 4 + headers.Sum(h => 8 + Encoding.UTF8.GetByteCount(h.Key) + Encoding.UTF8.GetByteCount(h.Value));
        var raw = new byte[size];
        BinaryPrimitives.WriteInt32BigEndian(raw, headers.Count);
        var at = 4;
        foreach (var (name, value) in headers)
        {
            if (!name.Equals(name.ToLowerInvariant(), StringComparison.Ordinal))
            {
                throw new ArgumentException($"SPDY header names are lower case: '{name}'", nameof(headers));
            }

            at += WriteString(raw.AsSpan(at), name);
            at += WriteString(raw.AsSpan(at), value);
        }

        return raw;
    }

    /// <summary>Reads an uncompressed header block back (tests, diagnostics); SPDY joins repeated values with NUL.</summary>
    public static IReadOnlyList<KeyValuePair<string, string>> Parse(ReadOnlySpan<byte> raw) => Parse(raw, out _);

    /// <summary>Reads one uncompressed header block from the start of <paramref name="raw"/>; says how long it was.</summary>
    public static IReadOnlyList<KeyValuePair<string, string>> Parse(ReadOnlySpan<byte> raw, out int consumed)
    {
        var count = BinaryPrimitives.ReadInt32BigEndian(raw);
        var at = 4;
        var headers = new List<KeyValuePair<string, string>>(count);
        for (var i = 0; i < count; i++)
        {
            var name = ReadString(raw, ref at);
            var value = ReadString(raw, ref at);
            headers.Add(new(name, value));
        }

        consumed = at;
        return headers;
    }

    private static int WriteString(Span<byte> destination, string text)
    {
        var length = Encoding.UTF8.GetBytes(text, destination[4..]);
        BinaryPrimitives.WriteInt32BigEndian(destination, length);
        return 4 + length;
    }

    private static string ReadString(ReadOnlySpan<byte> raw, ref int at)
    {
        var length = BinaryPrimitives.ReadInt32BigEndian(raw[at..]);
        var text = Encoding.UTF8.GetString(raw.Slice(at + 4, length));
        at += 4 + length;
        return text;
    }
}
