using System.Globalization;
using Newtonsoft.Json.Linq;

namespace TeenMode.Rules;

/// <summary>When minors may play: these weekdays and statutory holidays, in [<see cref="Start"/>, <see cref="End"/>), never on make-up workdays.</summary>
public sealed record GamePlayWindow(IReadOnlySet<DayOfWeek> Days, TimeOnly Start, TimeOnly End, IReadOnlyList<string> RequirementIds);

/// <summary>
/// The spending limits of one age tier [<see cref="FromAge"/>, <see cref="ToAge"/>). Both caps null means no payment at all.
/// </summary>
public sealed record GameSpendingTier(int FromAge, int ToAge, decimal? PerTopUp, decimal? PerMonth, IReadOnlyList<string> RequirementIds)
{
    /// <summary>True when this tier allows no payment.</summary>
    public bool NoPayment => PerTopUp is null || PerMonth is null;
}

/// <summary>Online games serve only users verified under their real identity (no guest play, no guest payment).</summary>
public sealed record GameRealNameRule(IReadOnlyList<string> RequirementIds);

/// <summary>The online-game rules of a games rule pack (e.g. <c>cn-nppa-games</c>). Days and months are computed in <see cref="TimeZone"/>.</summary>
public sealed class GameRulePack
{
    // Every play check converts "now": the offset span is cached.
    private readonly ZoneOffsetCache _zone;

    internal GameRulePack(string id, string version, LocalizedText title, TimeZoneInfo timeZone, GamePlayWindow playWindow,
        string currency, IReadOnlyList<GameSpendingTier> tiers, HolidayCalendar calendar, GameRealNameRule? realName = null)
    {
        RealName = realName;
        Id = id;
        Version = version;
        Title = title;
        TimeZone = timeZone;
        _zone = ZoneOffsetCache.For(timeZone);
        PlayWindow = playWindow;
        Currency = currency;
        Tiers = tiers;
        Calendar = calendar;
    }

    /// <summary>The pack id.</summary>
    public string Id { get; }

    /// <summary>The pack version.</summary>
    public string Version { get; }

    /// <summary>The pack title.</summary>
    public LocalizedText Title { get; }

    /// <summary>The time zone of play windows and spending months.</summary>
    public TimeZoneInfo TimeZone { get; }

    /// <summary>When minors may play.</summary>
    public GamePlayWindow PlayWindow { get; }

    /// <summary>The ISO currency of the spending caps, e.g. <c>CNY</c>.</summary>
    public string Currency { get; }

    /// <summary>Spending tiers in ascending age order, covering 0 to 18 without gaps.</summary>
    public IReadOnlyList<GameSpendingTier> Tiers { get; }

    /// <summary>The holiday calendar.</summary>
    public HolidayCalendar Calendar { get; }

    /// <summary>When set, no game service and no payment to anyone not real-name verified; null when the pack does not require it.</summary>
    public GameRealNameRule? RealName { get; }

    /// <summary>The tier for a whole-years age, or null for an adult.</summary>
    public GameSpendingTier? TierForAge(int age) => Tiers.FirstOrDefault(t => age >= t.FromAge && age < t.ToAge);

    /// <summary>Converts an instant to the pack's local date and time.</summary>
    public DateTime ToLocal(DateTimeOffset instant) => _zone.ToLocal(instant);
}

public static partial class RulePackLoader
{
    /// <summary>The id of the games pack used when none is configured.</summary>
    public const string DefaultGamesPackId = "cn-nppa-games";

    /// <summary>Loads a games pack shipped inside the SDK, with the shipped holiday calendar of its region.</summary>
    /// <exception cref="TeenModeConfigurationException">No such pack, or it (or its calendar) is invalid.</exception>
    public static GameRulePack LoadGamesEmbedded(string id, RequirementCatalog? catalog = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(id);
        return ParseGames(SeedJson.ReadEmbedded($"rules/{id}.json"), $"seeds/rules/{id}.json", HolidayCalendar.LoadEmbedded, catalog);
    }

    /// <summary>Parses a games pack; <paramref name="calendars"/> returns the holiday calendar of a region.</summary>
    /// <exception cref="TeenModeConfigurationException">The pack is invalid.</exception>
    public static GameRulePack ParseGames(string json, string file, Func<string, HolidayCalendar> calendars, RequirementCatalog? catalog = null)
    {
        ArgumentNullException.ThrowIfNull(calendars);
        catalog ??= RequirementCatalog.Default;
        var root = SeedJson.Parse(json, file, "rule-pack.schema.json");
        if (root["games"] is not JObject games)
        {
            throw new TeenModeConfigurationException([SeedJson.At(file, root, "not a games pack: it has no 'games' section")]);
        }

        var errors = new List<SeedError>();
        foreach (var ids in root.SelectTokens("$..requirementIds"))
        {
            catalog.CheckIds(file, ids, errors);
        }

        TimeZoneInfo? zone = null;
        try
        {
            zone = TimeZoneInfo.FindSystemTimeZoneById((string)root["timeZone"]!);
        }
        catch (Exception ex) when (ex is TimeZoneNotFoundException or InvalidTimeZoneException)
        {
            errors.Add(SeedJson.At(file, root["timeZone"], $"unknown time zone '{(string)root["timeZone"]!}'"));
        }

        var w = games["playWindow"]!;
        var days = w["days"]!.Values<string>().Select(d => Enum.Parse<DayOfWeek>(d!, ignoreCase: true)).ToHashSet();
        var start = TimeOnly.ParseExact((string)w["start"]!, "HH:mm", CultureInfo.InvariantCulture);
        var end = TimeOnly.ParseExact((string)w["end"]!, "HH:mm", CultureInfo.InvariantCulture);
        if (end <= start)
        {
            errors.Add(SeedJson.At(file, w["end"], $"play window end {end:HH\\:mm} must be after its start {start:HH\\:mm} (windows past midnight are not supported)"));
        }

        var tiers = new List<GameSpendingTier>();
        var expectedFrom = 0;
        foreach (var t in (JArray)games["spending"]!["tiers"]!)
        {
            var from = (int)t["fromAge"]!;
            var to = (int)t["toAge"]!;
            if (from != expectedFrom || to <= from)
            {
                errors.Add(SeedJson.At(file, t["fromAge"], $"spending tier {from}-{to} must start at {expectedFrom} and end after it: tiers must be contiguous from 0"));
            }

            expectedFrom = to;
            var perTopUp = Money(t["perTopUp"]);
            var perMonth = Money(t["perMonth"]);
            if ((perTopUp is null) != (perMonth is null))
            {
                errors.Add(SeedJson.At(file, t, $"spending tier {from}-{to} needs both perTopUp and perMonth, or neither (no payment)"));
            }
            else if (perTopUp > perMonth)
            {
                errors.Add(SeedJson.At(file, t["perTopUp"], $"spending tier {from}-{to}: perTopUp {perTopUp} exceeds perMonth {perMonth}"));
            }

            tiers.Add(new GameSpendingTier(from, to, perTopUp, perMonth, Ids(t)));
        }

        if (expectedFrom != 18)
        {
            errors.Add(SeedJson.At(file, games["spending"]!["tiers"], $"spending tiers end at {expectedFrom}; they must cover ages 0 to 18"));
        }

        HolidayCalendar? calendar = null;
        try
        {
            calendar = calendars((string)games["holidayCalendar"]!);
        }
        catch (TeenModeConfigurationException ex)
        {
            // The calendar's own errors already name their file, line and column.
            errors.AddRange(ex.Errors.Count > 0 ? ex.Errors : [SeedJson.At(file, games["holidayCalendar"], "holiday calendar: " + ex.Message)]);
        }

        if (errors.Count > 0)
        {
            throw new TeenModeConfigurationException(errors.OrderBy(e => e.Line).ThenBy(e => e.Column).ToList());
        }

        var title = new LocalizedText((string)root["title"]!["zh-CN"]!, (string)root["title"]!["en"]!);
        return new GameRulePack((string)root["id"]!, (string)root["version"]!, title, zone!,
            new GamePlayWindow(days, start, end, Ids(w)), (string)games["spending"]!["currency"]!, tiers, calendar!,
            games["realName"] is JObject realName && (bool)realName["required"]! ? new GameRealNameRule(Ids(realName)) : null);
    }

    // The schema allows only "123.45"-shaped text, so invariant decimal parsing is exact.
    private static decimal? Money(JToken? token) =>
        token is null ? null : decimal.Parse((string)token!, NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture);
}
