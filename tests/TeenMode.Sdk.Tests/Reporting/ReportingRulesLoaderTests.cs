using TeenMode.Reporting;
using TeenMode.Rules;

namespace TeenMode.Tests.Reporting;

public sealed class ReportingRulesLoaderTests
{
    private const string File = "packs/reporting-pack.json";

    private const string Pack = """
        {
          "id": "test-pack",
          "version": "1",
          "title": { "zh-CN": "测试", "en": "Test" },
          "timeZone": "Asia/Shanghai",
          "defaults": {
            "curfew": { "start": "22:00", "end": "06:00", "requirementIds": ["CAC-MM-CURFEW-01"] },
            "restReminderMinutes": { "value": 30, "requirementIds": ["CAC-MM-TIME-04"] }
          },
          "bands": [ { "fromAge": 0, "toAge": 18, "dailyMinutes": { "value": 60, "requirementIds": ["CAC-MM-TIME-01"] } } ],
          "reporting": {
            "categories": {
              "harmful-content": { "triageHours": { "value": 2, "requirementIds": ["MPL-78"] }, "resolveHours": { "value": 10, "requirementIds": ["MPL-78"] } },
              "bullying": { "triageHours": { "value": 2, "requirementIds": ["MPL-77"] }, "resolveHours": { "value": 10, "requirementIds": ["MPL-77"] } },
              "sexual-exploitation": {
                "triageHours": { "value": 1, "requirementIds": ["MPL-11"] }, "resolveHours": { "value": 5, "requirementIds": ["MPL-11"] },
                "escalateToAuthority": { "value": true, "requirementIds": ["MPL-11"] } },
              "fraud": { "triageHours": { "value": 3, "requirementIds": ["MPL-78"] }, "resolveHours": { "value": 10, "requirementIds": ["MPL-78"] } },
              "privacy-leak": { "triageHours": { "value": 3, "requirementIds": ["MPL-78"] }, "resolveHours": { "value": 10, "requirementIds": ["MPL-78"] } },
              "addictive-design": { "triageHours": { "value": 3, "requirementIds": ["MPL-78"] }, "resolveHours": { "value": 10, "requirementIds": ["MPL-78"] } },
              "other": { "triageHours": { "value": 3, "requirementIds": ["MPL-78"] }, "resolveHours": { "value": 10, "requirementIds": ["MPL-78"] } }
            }
          }
        }
        """;

    [Fact]
    public void Parse_ReportingSection_GivesDeadlinesAndEscalationWithTheirRequirementIds()
    {
        var rules = RulePackLoader.Parse(Pack, File).Reporting!;

        rules.For(ReportCategory.SexualExploitation).Should().BeEquivalentTo(new
        {
            TriageWithin = TimeSpan.FromHours(1),
            ResolveWithin = TimeSpan.FromHours(5),
            EscalateToAuthority = true,
            EscalationRequirementIds = new[] { "MPL-11" },
        });
        rules.For(ReportCategory.Fraud).EscalateToAuthority.Should().BeFalse();
        rules.For(ReportCategory.Bullying).TriageRequirementIds.Should().Equal("MPL-77");
    }

    [Fact]
    public void Parse_ResolveShorterThanTriage_NamesFileLineAndColumn()
    {
        var json = Pack.Replace("\"fraud\": { \"triageHours\": { \"value\": 3", "\"fraud\": { \"triageHours\": { \"value\": 30", StringComparison.Ordinal);

        var error = Parsing(json).Should().Throw<TeenModeConfigurationException>()
            .Which.Errors.Should().ContainSingle().Subject;

        error.File.Should().Be(File);
        error.Line.Should().Be(18);
        error.Column.Should().BeGreaterThan(0);
        error.Message.Should().Contain("fraud").And.Contain("shorter");
    }

    [Fact]
    public void Parse_MissingCategoryOrUnknownRequirement_IsRefusedWithLocations()
    {
        var missing = Pack.Replace("\"other\":", "\"others\":", StringComparison.Ordinal);
        var unknownId = Pack.Replace("[\"MPL-77\"] }, \"resolveHours\"", "[\"MPL-7777\"] }, \"resolveHours\"", StringComparison.Ordinal);

        var errors = Parsing(missing).Should().Throw<TeenModeConfigurationException>().Which.Errors;
        errors.Should().Contain(e => e.Message.Contains("'other'", StringComparison.Ordinal) && e.Line > 0);
        var idError = Parsing(unknownId).Should().Throw<TeenModeConfigurationException>()
            .Which.Errors.Should().ContainSingle().Subject;
        idError.Message.Should().Contain("MPL-7777");
        idError.Line.Should().Be(14);
    }

    private static Action Parsing(string json) => () => RulePackLoader.Parse(json, File);

    [Fact]
    public void ShippedPack_HasReportingRulesForEveryCategory()
    {
        var rules = RulePackLoader.LoadEmbedded("cn-cac-2024").Reporting!;

        rules.Categories.Select(c => c.Category).Should().BeEquivalentTo(Enum.GetValues<ReportCategory>());
        rules.For(ReportCategory.SexualExploitation).EscalateToAuthority.Should().BeTrue();
    }
}
