using Newtonsoft.Json.Linq;
using TeenMode.Rules;

namespace TeenMode.Tests.Core;

public sealed class GuardianRulesLoaderTests
{
    [Fact]
    public void CnCac2024_GuardianSection_HasBoundsPerBand_ExemptionsAndFeatureDefaults()
    {
        var pack = RulePackLoader.LoadEmbedded("cn-cac-2024");
        var g = pack.Guardian!;

        pack.Bands.Select(b => g.Bounds[b.Band].MaxDailyMinutes.Value).Should().Equal(60, 60, 120, 120, 180);
        pack.Bands.Should().OnlyContain(b => g.Bounds[b.Band].PlatformChoice, "the rules set no upper bound; the pack says these are the platform's");
        pack.Bands.Should().OnlyContain(b => g.Bounds[b.Band].MaxDailyMinutes.Value >= b.DailyMinutes.Value);
        g.Bounds[new AgeBand(12, 16)].MinCurfew.Start.Should().Be(new TimeOnly(23, 0));
        g.ExemptByDefault.Should().Contain(["calls", "emergency", "education"]);
        g.ExemptRequirementIds.Should().Contain("CAC-MM-EXEMPT-01");
        g.GuardianMayExempt.Should().NotContain("game").And.NotContain("live-streaming");
        g.Features["stranger-dm"].Should().Be(g.Features["stranger-dm"] with { TeenModeDefault = false, GuardianMayEnable = false });
        g.Features["stranger-dm"].RequirementIds.Should().Contain("CAC-MM-SOCIAL-01");
        g.Features["live-tipping"].RequirementIds.Should().Contain("SH-POLICE-01");
        g.Features["live-tipping"].GuardianMayEnable.Should().BeFalse();
        g.Features["comments"].TeenModeDefault.Should().BeTrue();
    }

    [Fact]
    public void Parse_BoundBelowTheDefault_OrMinimumCurfewOutsideIt_OrUnknownCategory_AreErrors()
    {
        var pack = JObject.Parse(SeedText());
        pack["bands"]![3]!["guardianBounds"] = JObject.Parse("""
            { "maxDailyMinutes": { "value": 30, "requirementIds": ["CAC-MM-PARENT-01"], "basis": "platform" },
              "minCurfew": { "start": "21:00", "end": "05:00", "requirementIds": ["CAC-MM-CURFEW-01"], "basis": "platform" } }
            """);
        ((JArray)pack["guardianSettings"]!["exemptByDefault"]!["value"]!).Add("teleport");

        var parse = () => RulePackLoader.Parse(pack.ToString(), "bad.json");

        var errors = parse.Should().Throw<TeenModeConfigurationException>().Which.Errors.Select(e => e.Message).ToList();
        errors.Should().Contain(m => m.Contains("maxDailyMinutes 30 is below the band's default 60"));
        errors.Should().Contain(m => m.Contains("minCurfew must lie inside"));
        errors.Should().Contain(m => m.Contains("'teleport' is not one of appCategories"));
    }

    [Fact]
    public void Parse_FeatureWithoutBasis_FailsTheSchema()
    {
        var pack = JObject.Parse(SeedText());
        ((JObject)pack["guardianSettings"]!["features"]!["comments"]!).Remove("basis");

        var parse = () => RulePackLoader.Parse(pack.ToString(), "bad.json");

        parse.Should().Throw<TeenModeConfigurationException>().Which.Message.Should().Contain("basis");
    }

    private static string SeedText() => SeedJson.ReadEmbedded("rules/cn-cac-2024.json");
}
