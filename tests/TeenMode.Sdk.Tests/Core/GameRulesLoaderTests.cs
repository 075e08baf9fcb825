using TeenMode.Rules;

namespace TeenMode.Tests.Core;

public sealed class GameRulesLoaderTests
{
    private const string File = "packs/games.json";

    private static HolidayCalendar Calendar(string region) => HolidayCalendar.LoadEmbedded(region);

    [Fact]
    public void LoadGamesEmbedded_Shipped_HasTheNppaWindowAndTiersAsExactMoney()
    {
        var pack = RulePackLoader.LoadGamesEmbedded("cn-nppa-games");

        pack.TimeZone.Id.Should().Be("Asia/Shanghai");
        pack.PlayWindow.Days.Should().BeEquivalentTo([DayOfWeek.Friday, DayOfWeek.Saturday, DayOfWeek.Sunday]);
        (pack.PlayWindow.Start, pack.PlayWindow.End).Should().Be((new TimeOnly(20, 0), new TimeOnly(21, 0)));
        pack.Tiers.Select(t => (t.FromAge, t.ToAge, t.PerTopUp, t.PerMonth)).Should().Equal(
            (0, 8, null, null), (8, 16, 50.00m, 200.00m), (16, 18, 100.00m, 400.00m));
        pack.Calendar.Years.Select(y => (y.Year, y.Confidence)).Should().Equal((2025, "secondary"), (2026, "secondary"));
    }

    [Fact]
    public void Calendar_Shipped2025_KnowsHolidaysAndMakeUpWorkdays()
    {
        var calendar = HolidayCalendar.LoadEmbedded("cn");

        Kind(calendar, new DateOnly(2025, 1, 28)).Should().Be(CalendarDayKind.Holiday);
        Kind(calendar, new DateOnly(2025, 1, 26)).Should().Be(CalendarDayKind.MakeUpWorkday);
        Kind(calendar, new DateOnly(2025, 4, 27)).Should().Be(CalendarDayKind.MakeUpWorkday);
        Kind(calendar, new DateOnly(2025, 10, 8)).Should().Be(CalendarDayKind.Holiday);
        Kind(calendar, new DateOnly(2025, 10, 9)).Should().Be(CalendarDayKind.Ordinary);
        calendar.TryGetKind(new DateOnly(2027, 1, 1), out _).Should().BeFalse();
    }

    [Fact]
    public void ParseGames_GapInTiersAndUnknownRequirement_NameFileLineAndColumn()
    {
        const string Json = """
            {
              "id": "g",
              "version": "1",
              "title": { "zh-CN": "游戏", "en": "Games" },
              "timeZone": "Asia/Shanghai",
              "games": {
                "holidayCalendar": "cn",
                "playWindow": { "days": ["friday"], "start": "20:00", "end": "21:00", "requirementIds": ["NPPA-NOPE"] },
                "spending": {
                  "currency": "CNY",
                  "tiers": [
                    { "fromAge": 0, "toAge": 8, "requirementIds": ["NPPA19-PAY-01"] },
                    { "fromAge": 9, "toAge": 18, "perTopUp": "50.00", "perMonth": "200.00", "requirementIds": ["NPPA19-PAY-02"] }
                  ]
                }
              }
            }
            """;

        var act = () => RulePackLoader.ParseGames(Json, File, Calendar);

        var errors = act.Should().Throw<TeenModeConfigurationException>().Which.Errors;
        errors.Select(e => (e.File, e.Line)).Should().Equal((File, 8), (File, 13));
        errors[0].Message.Should().Contain("NPPA-NOPE");
        errors[1].Message.Should().Contain("contiguous");
    }

    [Fact]
    public void ParseGames_MoneyAsANumber_IsRejectedByTheSchema()
    {
        const string Json = """
            {
              "id": "g", "version": "1", "title": { "zh-CN": "游戏", "en": "Games" }, "timeZone": "Asia/Shanghai",
              "games": {
                "holidayCalendar": "cn",
                "playWindow": { "days": ["friday"], "start": "20:00", "end": "21:00", "requirementIds": ["NPPA21-TIME-01"] },
                "spending": { "currency": "CNY", "tiers": [
                  { "fromAge": 0, "toAge": 18, "perTopUp": 50.5, "perMonth": "200.00", "requirementIds": ["NPPA19-PAY-02"] } ] }
              }
            }
            """;

        var act = () => RulePackLoader.ParseGames(Json, File, Calendar);

        act.Should().Throw<TeenModeConfigurationException>().Which.Errors.Should().ContainSingle(e => e.Line == 7 && e.Message.Contains("perTopUp", StringComparison.Ordinal));
    }

    [Fact]
    public void Calendar_DateOutsideItsYearAndListedTwice_AreLocated()
    {
        const string Json = """
            {
              "id": "cn-2030", "region": "cn", "year": 2030,
              "source": { "zh-CN": "测试", "en": "Test" }, "confidence": "recalled",
              "periods": [
                { "name": { "zh-CN": "甲", "en": "A" }, "from": "2031-01-01", "to": "2031-01-01", "makeUpWorkdays": [] },
                { "name": { "zh-CN": "乙", "en": "B" }, "from": "2030-05-01", "to": "2030-05-02", "makeUpWorkdays": ["2030-05-02"] }
              ]
            }
            """;

        var act = () => HolidayCalendar.Parse("cn", [("cal/cn-2030.json", Json)]);

        var errors = act.Should().Throw<TeenModeConfigurationException>().Which.Errors;
        errors.Select(e => e.Line).Should().Equal(5, 5, 6);
        errors.Should().OnlyContain(e => e.File == "cal/cn-2030.json" && e.Column > 0);
    }

    [Fact]
    public void TeenModeLoader_GivenAGamesPack_SaysHowToLoadIt()
    {
        var act = () => RulePackLoader.LoadEmbedded("cn-nppa-games");

        act.Should().Throw<TeenModeConfigurationException>().WithMessage("*ParseGames*");
    }

    private static CalendarDayKind Kind(HolidayCalendar calendar, DateOnly date)
    {
        calendar.TryGetKind(date, out var kind).Should().BeTrue();
        return kind;
    }
}
