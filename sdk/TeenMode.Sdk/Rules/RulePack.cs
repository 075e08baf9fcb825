namespace TeenMode.Rules;

/// <summary>A number from a rule pack together with the requirement ids it comes from.</summary>
public sealed record Sourced<T>(T Value, IReadOnlyList<string> RequirementIds);

/// <summary>A daily no-service window in local time; <see cref="Start"/> after <see cref="End"/> wraps past midnight.</summary>
public sealed record CurfewWindow(TimeOnly Start, TimeOnly End, IReadOnlyList<string> RequirementIds)
{
    /// <summary>True when <paramref name="localTime"/> is inside the half-open window [Start, End).</summary>
    public bool Contains(TimeOnly localTime) => Start <= End
        ? localTime >= Start && localTime < End
        : localTime >= Start || localTime < End;
}

/// <summary>The rules of one age band.</summary>
public sealed record BandRules(AgeBand Band, Sourced<int> DailyMinutes, Sourced<int> RestReminderMinutes, CurfewWindow Curfew);

/// <summary>
/// A jurisdiction's teen-mode numbers, loaded from <c>seeds/rules/*.json</c>.
/// Days and curfews are computed in <see cref="TimeZone"/>.
/// </summary>
public sealed partial class RulePack
{
    internal RulePack(string id, string version, LocalizedText title, TimeZoneInfo timeZone, IReadOnlyList<BandRules> bands)
    {
        Id = id;
        Version = version;
        Title = title;
        TimeZone = timeZone;
        Zone = ZoneOffsetCache.For(timeZone);
        Bands = bands;
    }

    /// <summary>The pack id, e.g. <c>cn-cac-2024</c>.</summary>
    public string Id { get; }

    /// <summary>The pack version.</summary>
    public string Version { get; }

    /// <summary>The pack title.</summary>
    public LocalizedText Title { get; }

    /// <summary>The time zone in which days, curfews and holidays are computed.</summary>
    public TimeZoneInfo TimeZone { get; }

    /// <summary>Converts to <see cref="TimeZone"/> with the offset span cached: every request converts "now".</summary>
    internal ZoneOffsetCache Zone { get; }

    /// <summary>The bands in ascending order; together they cover ages 0 to 18 without gaps.</summary>
    public IReadOnlyList<BandRules> Bands { get; }

    /// <summary>Report deadlines and escalation per category, or null when the pack has no reporting section.</summary>
    public ReportingRules? Reporting { get; internal init; }

    /// <summary>The youngest band, which is the most protective.</summary>
    public BandRules MostProtective => Bands[0];

    /// <summary>The rules for a whole-years age, or null for an adult (18 or over).</summary>
    public BandRules? ForAge(int age)
    {
        foreach (var band in Bands)
        {
            if (band.Band.Contains(age))
            {
                return band;
            }
        }

        return null;
    }

    /// <summary>The rules for a band id such as <c>12-16</c>, or null.</summary>
    public BandRules? ForBand(AgeBand band)
    {
        foreach (var rules in Bands)
        {
            if (rules.Band == band)
            {
                return rules;
            }
        }

        return null;
    }

    /// <summary>Converts an instant to the pack's local date and time.</summary>
    public DateTime ToLocal(DateTimeOffset instant) => Zone.ToLocal(instant);

    /// <summary>
    /// Whole years of age on <paramref name="localDate"/>. A birthday starts at local midnight;
    /// someone born on 29 February turns a year older on 1 March in common years.
    /// </summary>
    public static int AgeOn(DateOnly birthDate, DateOnly localDate)
    {
        var age = localDate.Year - birthDate.Year;
        var birthdayThisYear = birthDate.Month == 2 && birthDate.Day == 29 && !DateTime.IsLeapYear(localDate.Year)
            ? new DateOnly(localDate.Year, 3, 1)
            : new DateOnly(localDate.Year, birthDate.Month, birthDate.Day);
        if (localDate < birthdayThisYear)
        {
            age--;
        }

        return age;
    }
}
