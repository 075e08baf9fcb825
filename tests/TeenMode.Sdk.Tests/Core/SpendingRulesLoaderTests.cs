using Newtonsoft.Json.Linq;
using TeenMode.Rules;

namespace TeenMode.Tests.Core;

public sealed class SpendingRulesLoaderTests
{
    [Fact]
    public void ShippedPack_CapsEveryCategoryForEveryBand_AndSaysWhereEachNumberComesFrom()
    {
        var pack = RulePackLoader.LoadEmbedded("cn-cac-2024");
        var spending = pack.Spending!;

        spending.Currency.Should().Be("CNY");
        spending.Categories.Should().Contain(["live-streaming", "video", "social", "education", "other"]).And.NotContain("game");
        foreach (var band in pack.Bands)
        {
            spending.For("live-streaming", band.Band).Should().Match<SpendingCaps>(c => c.NoSpending && c.Basis == SpendingBasis.Regulation && c.RequirementIds.Contains("SH-POLICE-01"));
            spending.For("video", band.Band).Basis.Should().Be(SpendingBasis.PlatformDefault, "the regulation asks for a limit but gives no amount");
        }

        spending.For("other", new AgeBand(16, 18)).Should().Match<SpendingCaps>(c => c.PerTransaction == 50m && c.PerDay == 100m && c.PerMonth == 300m);
        spending.For("video", new AgeBand(3, 8)).NoSpending.Should().BeTrue();
        spending.Note!.En.Should().Contain("platform default");
    }

    [Fact]
    public void For_AnUnknownCategory_IsAProgrammingError()
    {
        var spending = RulePackLoader.LoadEmbedded("cn-cac-2024").Spending!;

        spending.Invoking(s => s.For("casino", new AgeBand(12, 16))).Should().Throw<ArgumentException>().WithMessage("*casino*");
    }

    [Fact]
    public void Pack_WithAMissingBand_AGamesCategory_OrCapsThatShrink_IsRefusedWithEveryProblemNamed()
    {
        var pack = Shipped();
        var video = (JObject)pack["spending"]!["categories"]!["video"]!;
        ((JObject)video["bands"]!).Remove("12-16");
        video["bands"]!["16-18"]!["perDay"] = "20.00";
        pack["spending"]!["categories"]!["game"] = video.DeepClone();

        var act = () => RulePackLoader.Parse(pack.ToString(), "loose.json");

        var errors = act.Should().Throw<TeenModeConfigurationException>().Which.Errors.Select(e => e.Message).ToList();
        errors.Should().Contain(m => m.Contains("no caps for band 12-16"));
        errors.Should().Contain(m => m.Contains("perTransaction to perDay to perMonth"));
        errors.Should().Contain(m => m.Contains("games pack"));
    }

    [Fact]
    public void Pack_WithoutABasis_FailsTheSchema()
    {
        var pack = Shipped();
        ((JObject)pack["spending"]!["categories"]!["education"]!).Remove("basis");

        var act = () => RulePackLoader.Parse(pack.ToString(), "no-basis.json");

        act.Should().Throw<TeenModeConfigurationException>().Which.Errors.Should().Contain(e => e.Message.Contains("basis"));
    }

    private static JObject Shipped() => JObject.Parse(SeedJson.ReadEmbedded("rules/cn-cac-2024.json"));
}
