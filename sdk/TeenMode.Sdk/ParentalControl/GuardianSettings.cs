using System.Globalization;
using Newtonsoft.Json;
using Newtonsoft.Json.Linq;

namespace TeenMode.ParentalControl;

/// <summary>A daily window in local time; <see cref="Start"/> after <see cref="End"/> wraps past midnight.</summary>
public readonly record struct ClockWindow(TimeOnly Start, TimeOnly End);

/// <summary>A guardian's spending caps for one app category; null means no guardian cap (the rule pack's caps still apply).</summary>
/// <param name="PerTransaction">The largest single payment.</param>
/// <param name="PerDay">The most per local day.</param>
/// <param name="PerMonth">The most per local month.</param>
public sealed record GuardianSpendingCaps(decimal? PerTransaction, decimal? PerDay, decimal? PerMonth);

/// <summary>
/// What a subject's guardians changed from the rule pack's defaults: one set per subject, shared by every device.
/// A null or empty value means "the pack default".
/// </summary>
public sealed record GuardianSettings
{
    /// <summary>The subject.</summary>
    public required string SubjectId { get; init; }

    /// <summary>Increases with each saved change; 0 when nothing was ever saved.</summary>
    public long Version { get; init; }

    /// <summary>The guardian's daily limit in minutes.</summary>
    public int? DailyMinutes { get; init; }

    /// <summary>The guardian's curfew window.</summary>
    public ClockWindow? Curfew { get; init; }

    /// <summary>The band the guardian chose instead of the one the age gives (same or younger only).</summary>
    public AgeBand? Band { get; init; }

    /// <summary>App categories the guardian exempts, in addition to the pack's defaults.</summary>
    public IReadOnlyList<string> ExemptCategories { get; init; } = [];

    /// <summary>Features the guardian switched on or off.</summary>
    public IReadOnlyDictionary<string, bool> Features { get; init; } = new Dictionary<string, bool>();

    /// <summary>The guardian's spending caps per app category.</summary>
    public IReadOnlyDictionary<string, GuardianSpendingCaps> SpendingCaps { get; init; } = new Dictionary<string, GuardianSpendingCaps>();

    /// <summary>When the last change was saved.</summary>
    public DateTimeOffset? UpdatedAt { get; init; }

    /// <summary>The guardian who saved the last change.</summary>
    public string? UpdatedBy { get; init; }

    /// <summary>No changes: every value is the pack default.</summary>
    public static GuardianSettings Defaults(string subjectId) => new() { SubjectId = subjectId };

    /// <summary>A stable text form for stores (values only, no credentials).</summary>
    public string ToJson()
    {
        var o = new JObject
        {
            ["dailyMinutes"] = DailyMinutes,
            ["curfew"] = Curfew is { } c ? new JObject { ["start"] = Clock(c.Start), ["end"] = Clock(c.End) } : null,
            ["band"] = Band?.Id,
            ["exemptCategories"] = new JArray(ExemptCategories),
            ["features"] = new JObject(Features.OrderBy(f => f.Key, StringComparer.Ordinal).Select(f => new JProperty(f.Key, f.Value))),
            ["spendingCaps"] = new JObject(SpendingCaps.OrderBy(c => c.Key, StringComparer.Ordinal).Select(c => new JProperty(c.Key, new JObject
            {
                ["perTransaction"] = Money(c.Value.PerTransaction),
                ["perDay"] = Money(c.Value.PerDay),
                ["perMonth"] = Money(c.Value.PerMonth),
            }))),
            ["updatedBy"] = UpdatedBy,
        };
        return o.ToString(Formatting.None);
    }

    /// <summary>Reads <see cref="ToJson"/> back.</summary>
    /// <exception cref="FormatException">The text is not what <see cref="ToJson"/> wrote.</exception>
    public static GuardianSettings FromJson(string subjectId, long version, DateTimeOffset? updatedAt, string json)
    {
        try
        {
            var o = JObject.Parse(json);
            return new GuardianSettings
            {
                SubjectId = subjectId,
                Version = version,
                UpdatedAt = updatedAt,
                DailyMinutes = (int?)o["dailyMinutes"],
                Curfew = o["curfew"] is JObject c ? new ClockWindow(ParseClock((string)c["start"]!), ParseClock((string)c["end"]!)) : null,
                Band = AgeBand.TryParse((string?)o["band"], out var band) ? band : null,
                ExemptCategories = o["exemptCategories"]?.Values<string>().Select(s => s!).ToArray() ?? [],
                Features = ((JObject?)o["features"])?.Properties().ToDictionary(p => p.Name, p => (bool)p.Value, StringComparer.Ordinal) ?? [],
                SpendingCaps = ((JObject?)o["spendingCaps"])?.Properties().ToDictionary(
                    p => p.Name,
                    p => new GuardianSpendingCaps(ParseMoney(p.Value["perTransaction"]), ParseMoney(p.Value["perDay"]), ParseMoney(p.Value["perMonth"])),
                    StringComparer.Ordinal) ?? [],
                UpdatedBy = (string?)o["updatedBy"],
            };
        }
        catch (Exception ex) when (ex is JsonException or InvalidCastException or NullReferenceException)
        {
            throw new FormatException("Stored guardian settings are not readable.", ex);
        }
    }

    internal static string Clock(TimeOnly t) => t.ToString("HH:mm", CultureInfo.InvariantCulture);

    internal static TimeOnly ParseClock(string text) => TimeOnly.ParseExact(text, "HH:mm", CultureInfo.InvariantCulture);

    // Money as text, never a binary float.
    private static string? Money(decimal? value) => value?.ToString("0.00", CultureInfo.InvariantCulture);

    private static decimal? ParseMoney(JToken? token) =>
        token is null || token.Type == JTokenType.Null ? null : decimal.Parse((string)token!, NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture);
}

/// <summary>Stores each subject's guardian settings, with optimistic concurrency so two guardians never overwrite each other unseen.</summary>
public interface IGuardianSettingsStore
{
    /// <summary>The subject's settings, or null when no guardian ever changed any.</summary>
    Task<GuardianSettings?> GetSettingsAsync(string subjectId, CancellationToken cancellationToken = default);

    /// <summary>
    /// Saves <paramref name="settings"/> (whose <see cref="GuardianSettings.Version"/> must be <paramref name="expectedVersion"/> + 1)
    /// only if the stored version is still <paramref name="expectedVersion"/> (0 = nothing stored). False when someone else saved first.
    /// </summary>
    Task<bool> TrySaveSettingsAsync(GuardianSettings settings, long expectedVersion, CancellationToken cancellationToken = default);
}
