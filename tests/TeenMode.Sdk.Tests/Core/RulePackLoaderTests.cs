using TeenMode.Rules;

namespace TeenMode.Tests.Core;

public sealed class RulePackLoaderTests
{
    private const string File = "packs/test-pack.json";

    // Errors carry Json.NET's positions: 1-based lines, and a column at the last character of the offending
    // token (for a syntax error, the last character before the unexpected one).
    private const string ValidPack = """
        {
          "id": "test-pack",
          "version": "1",
          "title": { "zh-CN": "测试", "en": "Test" },
          "timeZone": "Asia/Shanghai",
          "defaults": {
            "curfew": { "start": "22:00", "end": "06:00", "requirementIds": ["CAC-MM-CURFEW-01"] },
            "restReminderMinutes": { "value": 30, "requirementIds": ["CAC-MM-TIME-04"] }
          },
          "bands": [
            { "fromAge": 0, "toAge": 8, "dailyMinutes": { "value": 40, "requirementIds": ["CAC-MM-TIME-01"] } },
            { "fromAge": 8, "toAge": 18, "dailyMinutes": { "value": 60, "requirementIds": ["CAC-MM-TIME-01"] } }
          ]
        }
        """;

    [Fact]
    public void LoadEmbedded_ShippedCnCac2024_HasFiveBandsWithTheirDailyMinutes()
    {
        var pack = RulePackLoader.LoadEmbedded("cn-cac-2024");

        pack.Id.Should().Be("cn-cac-2024");
        pack.TimeZone.Id.Should().Be("Asia/Shanghai");
        pack.Bands.Select(b => b.Band.Id).Should().Equal("0-3", "3-8", "8-12", "12-16", "16-18");
        pack.Bands.Select(b => b.DailyMinutes.Value).Should().Equal(60, 60, 60, 60, 120);
        pack.Bands.Should().OnlyContain(b => b.RestReminderMinutes.Value == 30
            && b.Curfew.Start == new TimeOnly(22, 0) && b.Curfew.End == new TimeOnly(6, 0));
    }

    [Fact]
    public void LoadEmbedded_UnknownPackId_ThrowsConfigurationException()
    {
        var load = () => RulePackLoader.LoadEmbedded("xx-nowhere");

        load.Should().Throw<TeenModeConfigurationException>().WithMessage("*xx-nowhere*");
    }

    [Fact]
    public void Parse_ValidInlinePack_UsesItsOwnNumbers()
    {
        var pack = RulePackLoader.Parse(ValidPack, File);

        pack.Bands.Select(b => (b.Band.Id, b.DailyMinutes.Value)).Should().Equal(("0-8", 40), ("8-18", 60));
        pack.Bands[0].Curfew.RequirementIds.Should().Equal("CAC-MM-CURFEW-01");
    }

    [Fact]
    public void Parse_SyntaxError_NamesFileLineAndColumn()
    {
        // A missing comma on line 12, before "dailyMinutes".
        var json = ValidPack.Replace("\"toAge\": 18, \"dailyMinutes\"", "\"toAge\": 18 \"dailyMinutes\"", StringComparison.Ordinal);

        var error = SingleError(json);

        error.File.Should().Be(File);
        error.Line.Should().Be(12);
        error.Column.Should().Be(32, "the missing comma belongs at column 32, right after the 18");
        error.Message.Should().Contain("invalid JSON");
    }

    [Fact]
    public void Parse_ValueOfTheWrongType_NamesFileLineAndColumn()
    {
        var json = ValidPack.Replace("\"value\": 60,", "\"value\": \"sixty\",", StringComparison.Ordinal);

        var error = SingleError(json);

        error.File.Should().Be(File);
        error.Line.Should().Be(12);
        error.Column.Should().Be(67, "\"sixty\" spans columns 61 to 67");
        error.Message.Should().Contain("value");
    }

    [Fact]
    public void Parse_UnknownRequirementId_NamesFileLineAndColumn()
    {
        var json = ValidPack.Replace("\"value\": 30, \"requirementIds\": [\"CAC-MM-TIME-04\"]", "\"value\": 30, \"requirementIds\": [\"CAC-MM-NOPE-99\"]", StringComparison.Ordinal);

        var error = SingleError(json);

        error.File.Should().Be(File);
        error.Line.Should().Be(8);
        error.Column.Should().Be(77, "the id spans columns 62 to 77");
        error.Message.Should().Contain("CAC-MM-NOPE-99");
    }

    [Fact]
    public void Parse_GapBetweenBands_NamesFileLineAndColumn()
    {
        var json = ValidPack.Replace("\"fromAge\": 8,", "\"fromAge\": 9,", StringComparison.Ordinal);

        var error = SingleError(json);

        error.File.Should().Be(File);
        error.Line.Should().Be(12);
        error.Column.Should().Be(18, "the 9 is at column 18");
        error.Message.Should().Contain("starts at 9").And.Contain("ends at 8");
    }

    [Fact]
    public void LoadFile_InvalidPack_NamesThePathInTheErrors()
    {
        var path = Path.Combine(Path.GetTempPath(), $"teenmode-pack-{Guid.NewGuid():N}.json");
        System.IO.File.WriteAllText(path, ValidPack.Replace("\"toAge\": 18", "\"toAge\": 16", StringComparison.Ordinal));
        try
        {
            var load = () => RulePackLoader.LoadFile(path);

            var error = load.Should().Throw<TeenModeConfigurationException>().Which.Errors.Should().ContainSingle().Subject;
            error.File.Should().Be(path);
            error.Line.Should().Be(10);
            error.Message.Should().Contain("0 to 18");
        }
        finally
        {
            System.IO.File.Delete(path);
        }
    }

    private static SeedError SingleError(string json)
    {
        var parse = () => RulePackLoader.Parse(json, File);
        var exception = parse.Should().Throw<TeenModeConfigurationException>().Which;
        exception.Message.Should().Contain(File);
        return exception.Errors.Should().ContainSingle().Subject;
    }
}
