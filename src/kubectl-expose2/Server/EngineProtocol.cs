using System.Text;

namespace KubeExpose.Plugin.Server;

/// <summary>
/// The frames a plugin call and the warm engine server exchange over the user's Unix socket: a type byte, a 4-byte
/// little-endian length, the payload. Hand-rolled rather than JSON so the calling side loads nothing beyond the base
/// library — its whole point is to start fast.
/// </summary>
internal static class EngineProtocol
{
    /// <summary>Client → server: the call (arguments, working directory, environment).</summary>
    public const byte Request = 1;

    /// <summary>Client → server: Ctrl+C (or SIGTERM) reached the caller; stop the running cmdlet.</summary>
    public const byte Interrupt = 2;

    /// <summary>Server → client: bytes for the caller's stdout.</summary>
    public const byte Stdout = 3;

    /// <summary>Server → client: bytes for the caller's stderr.</summary>
    public const byte Stderr = 4;

    /// <summary>Server → client: the call ended with this exit code (last frame).</summary>
    public const byte Exit = 5;

    /// <summary>Server → client: not served here (busy, or a foreground subcommand); run it in-process. Last frame.</summary>
    public const byte Declined = 6;

    private const int MaxPayload = 64 * 1024 * 1024;

    public static void Write(Stream stream, byte type, ReadOnlySpan<byte> payload)
    {
        Span<byte> head = stackalloc byte[5];
        head[0] = type;
        BitConverter.TryWriteBytes(head[1..], payload.Length);
        stream.Write(head);
        stream.Write(payload);
        stream.Flush();
    }

    /// <summary>Reads one frame; null at the end of the stream.</summary>
    public static (byte Type, byte[] Payload)? Read(Stream stream)
    {
        var head = new byte[5];
        if (!Fill(stream, head))
        {
            return null;
        }

        var length = BitConverter.ToInt32(head, 1);
        if (length is < 0 or > MaxPayload)
        {
            throw new InvalidDataException($"engine server frame of {length} bytes");
        }

        var payload = new byte[length];
        return Fill(stream, payload) ? (head[0], payload) : throw new EndOfStreamException("engine server frame cut short");
    }

    public static byte[] EncodeRequest(CallRequest call)
    {
        using var buffer = new MemoryStream();
        using (var writer = new BinaryWriter(buffer, Encoding.UTF8, leaveOpen: true))
        {
            writer.Write(call.WorkingDirectory);
            writer.Write(call.Arguments.Count);
            foreach (var argument in call.Arguments)
            {
                writer.Write(argument);
            }

            writer.Write(call.Environment.Count);
            foreach (var (name, value) in call.Environment)
            {
                writer.Write(name);
                writer.Write(value);
            }
        }

        return buffer.ToArray();
    }

    public static CallRequest DecodeRequest(byte[] payload)
    {
        using var reader = new BinaryReader(new MemoryStream(payload), Encoding.UTF8);
        var directory = reader.ReadString();
        var arguments = new string[reader.ReadInt32()];
        for (var i = 0; i < arguments.Length; i++)
        {
            arguments[i] = reader.ReadString();
        }

        var count = reader.ReadInt32();
        var environment = new Dictionary<string, string>(count, StringComparer.Ordinal);
        for (var i = 0; i < count; i++)
        {
            environment[reader.ReadString()] = reader.ReadString();
        }

        return new CallRequest(arguments, directory, environment);
    }

    private static bool Fill(Stream stream, byte[] buffer)
    {
        var filled = 0;
        while (filled < buffer.Length)
        {
            var read = stream.Read(buffer, filled, buffer.Length - filled);
            if (read == 0)
            {
                return filled == 0 && buffer.Length > 0 ? false : throw new EndOfStreamException("engine server frame cut short");
            }

            filled += read;
        }

        return true;
    }
}

/// <summary>One plugin call as the engine server needs it to behave exactly like the caller's own process.</summary>
internal sealed record CallRequest(IReadOnlyList<string> Arguments, string WorkingDirectory, IReadOnlyDictionary<string, string> Environment);
