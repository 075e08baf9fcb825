using System.Globalization;

namespace TeenMode.AspNetCore.Internal;

/// <summary>
/// Dates and instants on the wire: exact formats and a bounded range, so an impossible or far date (0001-01-01,
/// 9999-12-31) is a 400 naming the field, never an overflow in later arithmetic.
/// </summary>
internal static class WireDates
{
    /// <summary>The first day a report, statement or clock may name.</summary>
    public static readonly DateOnly MinDay = new(2000, 1, 1);

    /// <summary>The last day a report, statement or clock may name.</summary>
    public static readonly DateOnly MaxDay = new(2100, 12, 31);

    /// <summary>The earliest birth date accepted.</summary>
    public static readonly DateOnly MinBirthDate = new(1900, 1, 1);

    private static readonly DateTimeOffset MinInstant = new(2000, 1, 1, 0, 0, 0, TimeSpan.Zero);

    private static readonly DateTimeOffset MaxInstant = new(2101, 1, 1, 0, 0, 0, TimeSpan.Zero);

    public static bool TryParseDay(string text, out DateOnly day) =>
        DateOnly.TryParseExact(text, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out day);

    public static string OutOfRange(DateOnly min, DateOnly max) =>
        $"is out of range: must be between {Text(min)} and {Text(max)} / 日期超出范围（{Text(min)} 至 {Text(max)}）";

    /// <summary>True when the instant lies in the supported range (2000 to 2100).</summary>
    public static bool InRange(DateTimeOffset instant) => instant >= MinInstant && instant < MaxInstant;

    /// <summary>An optional day (null when absent); adds the error for <paramref name="field"/> when malformed or outside the range.</summary>
    public static DateOnly? Day(string? text, string field, IDictionary<string, string[]> errors) => Day(text, field, MinDay, MaxDay, errors);

    public static DateOnly? Day(string? text, string field, DateOnly min, DateOnly max, IDictionary<string, string[]> errors)
    {
        if (text is null)
        {
            return null;
        }

        if (text.Length > 10 || !TryParseDay(text, out var day))
        {
            errors[field] = ["must be a local date yyyy-MM-dd / 须为 yyyy-MM-dd 格式的日期"];
            return null;
        }

        if (day < min || day > max)
        {
            errors[field] = [OutOfRange(min, max)];
            return null;
        }

        return day;
    }

    /// <summary>An optional ISO-8601 instant (null when absent or empty) in the supported range; adds the error for <paramref name="field"/> otherwise.</summary>
    public static DateTimeOffset? Instant(string? text, string field, IDictionary<string, string[]> errors)
    {
        if (string.IsNullOrEmpty(text))
        {
            return null;
        }

        if (text.Length > 40 || !DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var instant))
        {
            errors[field] = ["must be an ISO-8601 instant, e.g. 2026-03-01T00:00:00+08:00 / 时间格式无效"];
            return null;
        }

        if (!InRange(instant))
        {
            errors[field] = ["is out of range: must be between 2000-01-01 and 2100-12-31 / 时间超出范围（2000 至 2100 年）"];
            return null;
        }

        return instant;
    }

    private static string Text(DateOnly day) => day.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
}
