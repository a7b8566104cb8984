using System.IO.Compression;
using System.Text;
using KubeExpose.Core.Tunnels;
using Xunit;

namespace KubeExpose.Core.Tests.Tunnels;

/// <summary>The SPDY/3.1 frame layouts and header blocks a port-forward client sends and reads.</summary>
public sealed class SpdyFramesTests
{
    [Theory]
    [InlineData(1u, 0, false)]
    [InlineData(3u, 32 * 1024, true)]
    [InlineData(0x7FFFFFFFu, SpdyFrames.MaxPayload, false)]
    public void Data_frame_headers_round_trip(uint streamId, int length, bool fin)
    {
        var header = new byte[SpdyFrames.HeaderSize];
        SpdyFrames.WriteDataHeader(header, streamId, length, fin);
        Assert.Equal(0, header[0] & 0x80); // the control bit is clear on data frames
        var read = SpdyFrames.ReadHeader(header);
        Assert.False(read.IsControl);
        Assert.Equal(streamId, read.StreamId);
        Assert.Equal(length, read.Length);
        Assert.Equal(fin, read.Fin);
    }

    [Fact]
    public void A_data_frame_longer_than_24_bits_is_refused()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => SpdyFrames.WriteDataHeader(new byte[8], 1, SpdyFrames.MaxPayload + 1, false));
    }

    [Fact]
    public void Syn_stream_has_version_3_type_1_the_fin_flag_and_the_header_block_after_ten_bytes()
    {
        var block = new byte[] { 1, 2, 3 };
        var frame = SpdyFrames.SynStreamFrame(5, block, fin: true);
        Assert.Equal(new byte[] { 0x80, 0x03, 0x00, 0x01, 0x01, 0x00, 0x00, 13 }, frame[..8]);
        var header = SpdyFrames.ReadHeader(frame);
        Assert.True(header.IsControl);
        Assert.Equal(SpdyFrames.SynStream, header.Type);
        Assert.True(header.Fin);
        Assert.Equal(13, header.Length);
        Assert.Equal(5u, SpdyFrames.ReadStreamId(frame.AsSpan(8)));
        Assert.Equal(0, SpdyFrames.ReadInt32(frame.AsSpan(12))); // not associated
        Assert.Equal(new byte[] { 0, 0 }, frame[16..18]); // priority 0, slot 0
        Assert.Equal(block, frame[18..]);
        Assert.False(SpdyFrames.ReadHeader(SpdyFrames.SynStreamFrame(7, block, fin: false)).Fin);
    }

    [Fact]
    public void Rst_stream_ping_and_goaway_carry_their_fields()
    {
        var rst = SpdyFrames.RstStreamFrame(9, SpdyFrames.StatusCancel);
        Assert.Equal((SpdyFrames.RstStream, 8), (SpdyFrames.ReadHeader(rst).Type, SpdyFrames.ReadHeader(rst).Length));
        Assert.Equal(9u, SpdyFrames.ReadStreamId(rst.AsSpan(8)));
        Assert.Equal(5, SpdyFrames.ReadInt32(rst.AsSpan(12)));

        var ping = SpdyFrames.PingFrame(42);
        Assert.Equal((SpdyFrames.Ping, 4), (SpdyFrames.ReadHeader(ping).Type, SpdyFrames.ReadHeader(ping).Length));
        Assert.Equal(42, SpdyFrames.ReadInt32(ping.AsSpan(8)));

        var goAway = SpdyFrames.GoAwayFrame(11, 0);
        Assert.Equal((SpdyFrames.GoAway, 8), (SpdyFrames.ReadHeader(goAway).Type, SpdyFrames.ReadHeader(goAway).Length));
        Assert.Equal(11u, SpdyFrames.ReadStreamId(goAway.AsSpan(8)));
        Assert.Equal("CANCEL", SpdyFrames.DescribeStatus(5));
        Assert.Equal("status 99", SpdyFrames.DescribeStatus(99));
    }

    [Fact]
    public void Header_blocks_form_one_zlib_stream_that_inflates_back_to_the_headers()
    {
        var encoder = new SpdyHeaderBlock();
        KeyValuePair<string, string>[] error = [new("streamtype", "error"), new("port", "8080"), new("requestid", "1")];
        KeyValuePair<string, string>[] data = [new("streamtype", "data"), new("port", "8080"), new("requestid", "1")];
        var first = encoder.Encode(error);
        var second = encoder.Encode(data);

        // Only the first block carries the zlib header, without the preset-dictionary flag; each block ends with the
        // sync-flush marker, so a reader never needs the next frame to finish this one.
        Assert.Equal(new byte[] { 0x78, 0x01 }, first[..2]);
        Assert.Equal(0, (0x78 * 256 + 0x01) % 31);
        Assert.NotEqual(0x78, second[0]);
        Assert.Equal(new byte[] { 0, 0, 0, 0xFF, 0xFF }, first[^5..]);
        Assert.Equal(new byte[] { 0, 0, 0, 0xFF, 0xFF }, second[^5..]);

        using var inflater = new ZLibStream(new MemoryStream([.. first, .. second]), CompressionMode.Decompress);
        var raw = new MemoryStream();
        inflater.CopyTo(raw);
        var bytes = raw.ToArray();
        Assert.Equal(error, SpdyHeaderBlock.Parse(bytes, out var used));
        Assert.Equal(data, SpdyHeaderBlock.Parse(bytes.AsSpan(used), out var usedSecond));
        Assert.Equal(bytes.Length, used + usedSecond);
    }

    [Fact]
    public void A_header_block_longer_than_one_stored_block_is_split()
    {
        var encoder = new SpdyHeaderBlock();
        KeyValuePair<string, string>[] big = [new("x-big", new string('a', 100_000))];
        using var inflater = new ZLibStream(new MemoryStream(encoder.Encode(big)), CompressionMode.Decompress);
        var raw = new MemoryStream();
        inflater.CopyTo(raw);
        Assert.Equal(big, SpdyHeaderBlock.Parse(raw.ToArray()));
    }

    [Fact]
    public void Header_names_must_be_lower_case_and_the_layout_is_count_then_length_prefixed_pairs()
    {
        Assert.Throws<ArgumentException>(() => SpdyHeaderBlock.Serialize([new("Port", "80")]));
        var raw = SpdyHeaderBlock.Serialize([new("port", "80")]);
        Assert.Equal(new byte[] { 0, 0, 0, 1, 0, 0, 0, 4 }, raw[..8]);
        Assert.Equal("port", Encoding.ASCII.GetString(raw, 8, 4));
        Assert.Equal(new byte[] { 0, 0, 0, 2 }, raw[12..16]);
        Assert.Equal("80", Encoding.ASCII.GetString(raw, 16, 2));
    }
}
