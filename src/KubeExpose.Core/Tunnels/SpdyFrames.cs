using System.Buffers.Binary;

namespace KubeExpose.Core.Tunnels;

/// <summary>
/// The SPDY/3.1 wire format, as far as a port-forward client needs it: the 8-byte frame headers, the control frames a
/// client sends (SYN_STREAM, RST_STREAM, PING, GOAWAY) and the fields it reads from the server's frames. The server is
/// the Kubernetes CRI streaming server (moby/spdystream), which reads every frame type below and ignores flow control.
/// </summary>
internal static class SpdyFrames
{
    public const int HeaderSize = 8;
    public const int Version = 3;

    /// <summary>Largest payload one frame can carry (24-bit length).</summary>
    public const int MaxPayload = (1 << 24) - 1;

    public const byte FlagFin = 0x01;

    public const ushort SynStream = 1;
    public const ushort SynReply = 2;
    public const ushort RstStream = 3;
    public const ushort Settings = 4;
    public const ushort Ping = 6;
    public const ushort GoAway = 7;
    public const ushort Headers = 8;
    public const ushort WindowUpdate = 9;

    /// <summary>RST_STREAM status codes (SPDY/3.1 section 2.6.3).</summary>
    public const int StatusProtocolError = 1;
    public const int StatusRefusedStream = 3;
    public const int StatusCancel = 5;

    /// <summary>One parsed frame header: a data frame (stream id) or a control frame (type).</summary>
    public readonly record struct FrameHeader(bool IsControl, ushort Type, uint StreamId, byte Flags, int Length)
    {
        public bool Fin => (Flags & FlagFin) != 0;
    }

    public static FrameHeader ReadHeader(ReadOnlySpan<byte> header)
    {
        var first = BinaryPrimitives.ReadUInt32BigEndian(header);
        var second = BinaryPrimitives.ReadUInt32BigEndian(header[4..]);
        var flags = (byte)(second >> 24);
        var length = (int)(second & 0xFFFFFF);
        return (first & 0x80000000) != 0
            ? new FrameHeader(true, (ushort)(first & 0xFFFF), 0, flags, length)
            : new FrameHeader(false, 0, first & 0x7FFFFFFF, flags, length);
    }

    /// <summary>Writes a DATA frame header in front of a payload of <paramref name="length"/> bytes.</summary>
    public static void WriteDataHeader(Span<byte> destination, uint streamId, int length, bool fin)
    {
        if ((uint)length > MaxPayload)
        {
            throw new ArgumentOutOfRangeException(nameof(length), "a SPDY frame carries at most 16 MiB - 1");
        }

        BinaryPrimitives.WriteUInt32BigEndian(destination, streamId & 0x7FFFFFFF);
        BinaryPrimitives.WriteUInt32BigEndian(destination[4..], ((uint)(fin ? FlagFin : 0) << 24) | (uint)length);
    }

    public static void WriteControlHeader(Span<byte> destination, ushort type, byte flags, int length)
    {
        BinaryPrimitives.WriteUInt32BigEndian(destination, 0x80000000u | ((uint)Version << 16) | type);
        BinaryPrimitives.WriteUInt32BigEndian(destination[4..], ((uint)flags << 24) | (uint)length);
    }

    /// <summary>
    /// A SYN_STREAM frame opening <paramref name="streamId"/> with an already encoded header block
    /// (<see cref="SpdyHeaderBlock"/>); <paramref name="fin"/> half-closes it at once (nothing will be sent on it).
    /// </summary>
    public static byte[] SynStreamFrame(uint streamId, ReadOnlySpan<byte> headerBlock, bool fin)
    {
        var frame = new byte[HeaderSize + 10 + headerBlock.Length];
        WriteControlHeader(frame, SynStream, fin ? FlagFin : (byte)0, 10 + headerBlock.Length);
        BinaryPrimitives.WriteUInt32BigEndian(frame.AsSpan(8), streamId & 0x7FFFFFFF);
        BinaryPrimitives.WriteUInt32BigEndian(frame.AsSpan(12), 0); // not associated with another stream
        frame[16] = 0; // priority 0 (highest), as kubectl sends; the server orders a stream's frames by it
        frame[17] = 0; // credential slot
        headerBlock.CopyTo(frame.AsSpan(18));
        return frame;
    }

    public static byte[] RstStreamFrame(uint streamId, int status)
    {
        var frame = new byte[HeaderSize + 8];
        WriteControlHeader(frame, RstStream, 0, 8);
        BinaryPrimitives.WriteUInt32BigEndian(frame.AsSpan(8), streamId & 0x7FFFFFFF);
        BinaryPrimitives.WriteInt32BigEndian(frame.AsSpan(12), status);
        return frame;
    }

    public static byte[] PingFrame(uint id)
    {
        var frame = new byte[HeaderSize + 4];
        WriteControlHeader(frame, Ping, 0, 4);
        BinaryPrimitives.WriteUInt32BigEndian(frame.AsSpan(8), id);
        return frame;
    }

    public static byte[] GoAwayFrame(uint lastGoodStreamId, int status)
    {
        var frame = new byte[HeaderSize + 8];
        WriteControlHeader(frame, GoAway, 0, 8);
        BinaryPrimitives.WriteUInt32BigEndian(frame.AsSpan(8), lastGoodStreamId & 0x7FFFFFFF);
        BinaryPrimitives.WriteInt32BigEndian(frame.AsSpan(12), status);
        return frame;
    }

    /// <summary>The stream id that SYN_STREAM, SYN_REPLY, RST_STREAM, HEADERS and WINDOW_UPDATE start with.</summary>
    public static uint ReadStreamId(ReadOnlySpan<byte> payload) => BinaryPrimitives.ReadUInt32BigEndian(payload) & 0x7FFFFFFF;

    public static int ReadInt32(ReadOnlySpan<byte> payload) => BinaryPrimitives.ReadInt32BigEndian(payload);

    public static string DescribeStatus(int status) => status switch
    {
        1 => "PROTOCOL_ERROR",
        2 => "INVALID_STREAM",
        3 => "REFUSED_STREAM",
        4 => "UNSUPPORTED_VERSION",
        5 => "CANCEL",
        6 => "INTERNAL_ERROR",
        7 => "FLOW_CONTROL_ERROR",
        8 => "STREAM_IN_USE",
        9 => "STREAM_ALREADY_CLOSED",
        11 => "FRAME_TOO_LARGE",
        _ => $"status {status}",
    };
}
