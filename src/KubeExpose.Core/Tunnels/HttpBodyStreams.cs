using System.Globalization;

namespace KubeExpose.Core.Tunnels;

/// <summary>A request body of known length, read from the connection reader; ends after exactly that many bytes.</summary>
internal sealed class ContentLengthBodyStream(HttpConnectionReader reader, long length) : ReadOnlyBodyStream
{
    private long _left = length;

    public override long Length => throw new NotSupportedException();

    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        if (_left == 0)
        {
            return 0;
        }

        var read = await reader.ReadAsync(buffer[..(int)Math.Min(buffer.Length, _left)], cancellationToken).ConfigureAwait(false);
        if (read == 0)
        {
            throw new EndOfStreamException("the client closed the connection before sending the whole body");
        }

        _left -= read;
        return read;
    }
}

/// <summary>A chunked request body, decoded (chunk sizes, extensions and trailers are consumed).</summary>
internal sealed class ChunkedBodyStream(HttpConnectionReader reader) : ReadOnlyBodyStream
{
    private long _chunkLeft;
    private bool _done;

    public override long Length => throw new NotSupportedException();

    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        if (_done)
        {
            return 0;
        }

        if (_chunkLeft == 0)
        {
            var line = await reader.ReadLineAsync(4096, cancellationToken).ConfigureAwait(false) ?? throw new EndOfStreamException();
            var size = line.Split(';', 2)[0].Trim();
            if (!long.TryParse(size, NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out _chunkLeft) || _chunkLeft < 0)
            {
                throw new InvalidDataException($"bad chunk size '{line}'");
            }

            if (_chunkLeft == 0)
            {
                // Trailers until the empty line.
                while (!string.IsNullOrEmpty(await reader.ReadLineAsync(65536, cancellationToken).ConfigureAwait(false)))
                {
                }

                _done = true;
                return 0;
            }
        }

        var read = await reader.ReadAsync(buffer[..(int)Math.Min(buffer.Length, _chunkLeft)], cancellationToken).ConfigureAwait(false);
        if (read == 0)
        {
            throw new EndOfStreamException("the client closed the connection in the middle of a chunk");
        }

        _chunkLeft -= read;
        if (_chunkLeft == 0)
        {
            await reader.ReadLineAsync(16, cancellationToken).ConfigureAwait(false); // the CRLF after the chunk data
        }

        return read;
    }
}

/// <summary>The read-only Stream plumbing both body streams share.</summary>
internal abstract class ReadOnlyBodyStream : Stream
{
    public override bool CanRead => true;
    public override bool CanSeek => false;
    public override bool CanWrite => false;
    public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

    public override int Read(byte[] buffer, int offset, int count) => ReadAsync(buffer.AsMemory(offset, count)).AsTask().GetAwaiter().GetResult();

    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    public override void Flush()
    {
    }

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
    public override void SetLength(long value) => throw new NotSupportedException();
    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();

    /// <summary>Reads what is left so the connection can carry the next request.</summary>
    public async Task DrainAsync(CancellationToken cancellation)
    {
        var scratch = new byte[8192];
        while (await ReadAsync(scratch, cancellation).ConfigureAwait(false) > 0)
        {
        }
    }
}
