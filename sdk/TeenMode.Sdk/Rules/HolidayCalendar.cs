using System.Globalization;
using Newtonsoft.Json.Linq;

namespace TeenMode.Rules;

/// <summary>What kind of day a date is in a holiday calendar.</summary>
public enum CalendarDayKind
{
    /// <summary>An ordinary day: its weekday decides.</summary>
    Ordinary,

    /// <summary>A statutory holiday (a day off, whatever its weekday).</summary>
    Holiday,

    /// <summary>A make-up workday (调休): a Saturday or Sunday that is worked like a weekday.</summary>
    MakeUpWorkday,
}

/// <summary>One year of a region's holiday calendar (<c>seeds/calendars/&lt;region&gt;-&lt;year&gt;.json</c>).</summary>
/// <param name="Year">The year.</param>
/// <param name="Source">The official notice the dates come from.</param>
/// <param name="Confidence"><c>official</c>, or <c>recalled</c> when the dates still need checking against the notice.</param>
public sealed record CalendarYear(int Year, LocalizedText Source, string Confidence);

/// <summary>
/// Statutory holidays and make-up workdays of one region, year by year. A date in a year the calendar does not
/// cover has no answer: callers must fail closed.
/// </summary>
public sealed class HolidayCalendar
{
    private readonly Dictionary<DateOnly, CalendarDayKind> _days;
    private readonly Dictionary<int, CalendarYear> _years;

    private HolidayCalendar(string region, Dictionary<DateOnly, CalendarDayKind> days, Dictionary<int, CalendarYear> years)
    {
        Region = region;
        _days = days;
        _years = years;
    }

    /// <summary>The region, e.g. <c>cn</c>.</summary>
    public string Region { get; }

    /// <summary>The covered years, ascending.</summary>
    public IReadOnlyList<CalendarYear> Years => [.. _years.Values.OrderBy(y => y.Year)];

    /// <summary>The kind of <paramref name="date"/>; false when the calendar does not cover its year.</summary>
    public bool TryGetKind(DateOnly date, out CalendarDayKind kind)
    {
        if (!_years.ContainsKey(date.Year))
        {
            kind = default;
            return false;
        }

        kind = _days.GetValueOrDefault(date, CalendarDayKind.Ordinary);
        return true;
    }

    /// <summary>Loads every calendar year of <paramref name="region"/> shipped inside the SDK.</summary>
    /// <exception cref="TeenModeConfigurationException">None is shipped, or one is invalid.</exception>
    public static HolidayCalendar LoadEmbedded(string region)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(region);
        var files = SeedJson.EmbeddedNames()
            .Where(n => n.StartsWith($"calendars/{region}-", StringComparison.Ordinal) && n.EndsWith(".json", StringComparison.Ordinal))
            .Order(StringComparer.Ordinal)
            .Select(n => (File: "seeds/" + n, Json: SeedJson.ReadEmbedded(n)))
            .ToList();
        return files.Count == 0
            ? throw new TeenModeConfigurationException($"No holiday calendar is shipped for region '{region}'.")
            : Parse(region, files);
    }

    /// <summary>Parses calendar years (one JSON document each) of one region.</summary>
    /// <exception cref="TeenModeConfigurationException">A document is invalid, names another region, or repeats a year.</exception>
    public static HolidayCalendar Parse(string region, IEnumerable<(string File, string Json)> documents)
    {
        ArgumentNullException.ThrowIfNull(documents);
        var errors = new List<SeedError>();
        var days = new Dictionary<DateOnly, CalendarDayKind>();
        var years = new Dictionary<int, CalendarYear>();
        foreach (var (file, json) in documents)
        {
            var root = SeedJson.Parse(json, file, "calendar.schema.json");
            var year = (int)root["year"]!;
            if ((string)root["region"]! != region)
            {
                errors.Add(SeedJson.At(file, root["region"], $"calendar region '{(string)root["region"]!}' is not '{region}'"));
            }

            if (!years.TryAdd(year, new CalendarYear(year, Text(root["source"]!), (string)root["confidence"]!)))
            {
                errors.Add(SeedJson.At(file, root["year"], $"year {year} is defined twice"));
            }

            foreach (var period in (JArray)root["periods"]!)
            {
                var from = Date(file, period["from"]!, year, errors);
                var to = Date(file, period["to"]!, year, errors);
                if (from is { } f && to is { } t)
                {
                    if (t < f)
                    {
                        errors.Add(SeedJson.At(file, period["to"], $"holiday ends {t:yyyy-MM-dd} before it starts {f:yyyy-MM-dd}"));
                    }

                    for (var d = f; d <= t; d = d.AddDays(1))
                    {
                        Mark(file, period["from"]!, d, CalendarDayKind.Holiday);
                    }
                }

                foreach (var token in (JArray)period["makeUpWorkdays"]!)
                {
                    // A make-up workday may fall in the neighbouring year (e.g. a Sunday before New Year), so no year check.
                    if (Date(file, token, null, errors) is { } d)
                    {
                        Mark(file, token, d, CalendarDayKind.MakeUpWorkday);
                    }
                }
            }
        }

        return errors.Count > 0
            ? throw new TeenModeConfigurationException(errors.OrderBy(e => e.File, StringComparer.Ordinal).ThenBy(e => e.Line).ThenBy(e => e.Column).ToList())
            : new HolidayCalendar(region, days, years);

        void Mark(string file, JToken token, DateOnly date, CalendarDayKind kind)
        {
            if (!days.TryAdd(date, kind))
            {
                errors.Add(SeedJson.At(file, token, $"{date:yyyy-MM-dd} is listed twice (as a holiday or a make-up workday)"));
            }
        }
    }

    private static DateOnly? Date(string file, JToken token, int? year, List<SeedError> errors)
    {
        if (!DateOnly.TryParseExact((string?)token, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var date))
        {
            errors.Add(SeedJson.At(file, token, $"'{token}' is not a calendar date"));
            return null;
        }

        if (year is { } y && date.Year != y)
        {
            errors.Add(SeedJson.At(file, token, $"{date:yyyy-MM-dd} is not in the calendar's year {y}"));
        }

        return date;
    }

    private static LocalizedText Text(JToken token) => new((string)token["zh-CN"]!, (string)token["en"]!);
}
