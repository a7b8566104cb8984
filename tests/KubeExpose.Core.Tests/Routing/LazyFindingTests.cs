using KubeExpose.Core.Model;
using KubeExpose.Core.Routing;
using Xunit;

namespace KubeExpose.Core.Tests.Routing;

/// <summary>
/// The catalogue's findings format their text on first read; to every reader (equality, hashing, ToString,
/// deconstruction, with-expressions, PowerShell's property reads) they must be the findings an eager constructor makes.
/// </summary>
public sealed class LazyFindingTests
{
    private const string ShortNameMessage = "web.shop resolves only through the pod's DNS search path.";
    private const string ShortNameRemedy = "Use the fully qualified name from other namespaces and from clients with their own resolv.conf.";

    [Fact]
    public void A_lazily_formatted_finding_reads_and_compares_like_the_eager_one()
    {
        var lazy = FindingCatalog.ShortDnsName("shop", "web.shop").Finding;
        var eager = new Finding("KE1008", FindingSeverity.Info, ShortNameMessage, ShortNameRemedy);

        Assert.Equal(ShortNameMessage, lazy.Message);
        Assert.Equal(ShortNameRemedy, lazy.Remedy);
        Assert.Equal(eager, lazy);
        Assert.Equal(eager.GetHashCode(), lazy.GetHashCode());
        Assert.Equal(eager.ToString(), lazy.ToString());
        var (code, severity, message, remedy) = lazy;
        Assert.Equal(("KE1008", FindingSeverity.Info, ShortNameMessage, ShortNameRemedy), (code, severity, message, remedy));
    }

    [Fact]
    public void Findings_that_differ_only_in_their_text_are_not_equal()
    {
        var shop = FindingCatalog.ShortDnsName("shop", "web.shop").Finding;
        var other = FindingCatalog.ShortDnsName("shop", "api.shop").Finding;

        Assert.NotEqual(shop, other);
        Assert.Equal(shop, FindingCatalog.ShortDnsName("shop", "web.shop").Finding);
    }

    [Fact]
    public void A_null_remedy_stays_null_and_with_replaces_only_what_it_names()
    {
        var headless = FindingCatalog.HeadlessPodName("web-0", "web.shop.svc.cluster.local").Finding;
        Assert.Equal("DNS name of this endpoint: web-0.web.shop.svc.cluster.local.", headless.Message);
        Assert.Null(headless.Remedy);

        var renamed = FindingCatalog.ShortDnsName("shop", "web.shop").Finding with { Message = "changed" };
        Assert.Equal("changed", renamed.Message);
        Assert.Equal(ShortNameRemedy, renamed.Remedy);
        var noRemedy = FindingCatalog.ShortDnsName("shop", "web.shop").Finding with { Remedy = null };
        Assert.Equal(ShortNameMessage, noRemedy.Message);
        Assert.Null(noRemedy.Remedy);
    }

    [Fact]
    public void A_finding_keeps_the_text_of_the_moment_it_was_made()
    {
        var pods = new List<string> { "web-1", "web-2" };
        var finding = FindingCatalog.SomePodsNotReady("shop", "web", pods).Finding;
        pods.Add("web-3");

        Assert.Equal("Some pods selected by Service shop/web are not ready and get no traffic: web-1, web-2.", finding.Message);
    }
}
