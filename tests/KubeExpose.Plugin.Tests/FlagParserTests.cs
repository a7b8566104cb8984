using KubeExpose.Plugin.Cli;
using Xunit;

namespace KubeExpose.Plugin.Tests;

public class FlagParserTests
{
    private static readonly FlagSpec[] Specs =
    [
        FlagSpec.Value("namespace", "NS", "", 'n'),
        FlagSpec.List("port", "PORT", ""),
        FlagSpec.Bool("wait", ""),
        FlagSpec.Bool("all-namespaces", "", 'A'),
    ];

    [Fact]
    public void Reads_the_forms_pflag_accepts()
    {
        var parsed = FlagParser.Parse(["a", "-nshop", "--port=80,443", "--port", "8080", "--wait=false", "-A", "--", "--not-a-flag"], Specs, "x");
        Assert.Equal("shop", parsed.Value("namespace"));
        Assert.Equal(["80", "443", "8080"], parsed.Values("port"));
        Assert.False(parsed.Switch("wait"));
        Assert.True(parsed.Switch("all-namespaces"));
        Assert.Equal(["a", "--not-a-flag"], parsed.Positionals);
    }

    [Fact]
    public void Short_flag_with_equals_and_separate_value()
    {
        Assert.Equal("b", FlagParser.Parse(["-n=b"], Specs, "x").Value("namespace"));
        Assert.Equal("c", FlagParser.Parse(["-n", "a", "-n", "c"], Specs, "x").Value("namespace"));
    }

    [Fact]
    public void Errors_read_like_kubectl()
    {
        Assert.Equal("unknown flag: --nope for x", Assert.Throws<UsageException>(() => FlagParser.Parse(["--nope=1"], Specs, "x")).Message);
        Assert.Equal("flag needs an argument: -n", Assert.Throws<UsageException>(() => FlagParser.Parse(["-n"], Specs, "x")).Message);
        Assert.Contains("expected true or false", Assert.Throws<UsageException>(() => FlagParser.Parse(["--wait=maybe"], Specs, "x")).Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("90", 90)]
    [InlineData("90s", 90)]
    [InlineData("2m", 120)]
    [InlineData("1h30m", 5400)]
    [InlineData("250ms", 0.25)]
    public void Durations_like_kubectl(string text, double seconds) => Assert.Equal(seconds, Durations.ToSeconds(text, "timeout"), 6);

    [Fact]
    public void A_bad_duration_is_a_usage_error() =>
        Assert.Throws<UsageException>(() => Durations.ToSeconds("soon", "timeout"));
}
