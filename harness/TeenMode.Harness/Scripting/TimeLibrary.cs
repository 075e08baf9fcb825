using System.Globalization;
using System.Text.RegularExpressions;
using Jint;
using Jint.Native;

namespace TeenMode.Harness.Scripting;

/// <summary>
/// The <c>tm</c> functions profile expressions use to turn the suite's values into an app's own forms: instants in
/// the rule pack's zone, Unix time, birth dates for an age at the app's (modelled) now, and money in fen.
/// </summary>
public sealed partial class TimeLibrary
{
    private readonly TimeZoneInfo _zone;
    private readonly Func<DateTimeOffset> _now;

    /// <summary>Creates the library for <paramref name="zone"/>, with <paramref name="now"/> the app's current time as the harness models it.</summary>
    public TimeLibrary(TimeZoneInfo zone, Func<DateTimeOffset> now)
    {
        ArgumentNullException.ThrowIfNull(zone);
        ArgumentNullException.ThrowIfNull(now);
        _zone = zone;
        _now = now;
    }

    /// <summary>The zone local times are read in.</summary>
    public TimeZoneInfo Zone => _zone;

    /// <summary>Adds <c>tm</c> to <paramref name="engine"/>.</summary>
    internal void Install(Engine engine)
    {
        engine.SetValue("__tm_now", new Func<JsValue>(() => Iso(_now())));
        engine.SetValue("__tm_today", new Func<JsValue>(() => LocalOf(_now()).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture)));
        engine.SetValue("__tm_birthDateForAge", new Func<JsValue, JsValue>(age => BirthDateForAge(age)));
        engine.SetValue("__tm_instant", new Func<JsValue, JsValue>(t => Iso(Parse(t))));
        engine.SetValue("__tm_utc", new Func<JsValue, JsValue>(t => Parse(t).UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture)));
        engine.SetValue("__tm_local", new Func<JsValue, JsValue>(t => LocalOf(Parse(t)).ToString("yyyy-MM-dd'T'HH:mm:ss", CultureInfo.InvariantCulture)));
        engine.SetValue("__tm_epochMillis", new Func<JsValue, JsValue>(t => Parse(t).ToUnixTimeMilliseconds()));
        engine.SetValue("__tm_epochSeconds", new Func<JsValue, JsValue>(t => Parse(t).ToUnixTimeSeconds()));
        engine.SetValue("__tm_addSeconds", new Func<JsValue, JsValue, JsValue>((t, n) => Iso(Parse(t).AddSeconds(Number(n, "seconds")))));
        engine.SetValue("__tm_fen", new Func<JsValue, JsValue>(Fen));
        engine.SetValue("__tm_yuan", new Func<JsValue, JsValue>(Yuan));
        engine.Execute("""
            var tm = Object.freeze({ now: __tm_now, today: __tm_today, birthDateForAge: __tm_birthDateForAge,
              instant: __tm_instant, utc: __tm_utc, local: __tm_local, epochMillis: __tm_epochMillis,
              epochSeconds: __tm_epochSeconds, addSeconds: __tm_addSeconds, fen: __tm_fen, yuan: __tm_yuan });
            """);
    }

    /// <summary>Reads a time: a local wall time (no offset) in the zone, an ISO instant with offset or Z, or epoch milliseconds.</summary>
    public DateTimeOffset Parse(JsValue value)
    {
        ArgumentNullException.ThrowIfNull(value);
        if (value.IsNumber())
        {
            var ms = value.AsNumber();
            if (!double.IsFinite(ms) || Math.Abs(ms) >= 253_402_300_800_000d)
            {
                throw new ScriptException($"not a time: {ms}");
            }

            var instant = DateTimeOffset.FromUnixTimeMilliseconds((long)ms);
            return instant.ToOffset(_zone.GetUtcOffset(instant));
        }

        return value.IsString() ? Parse(value.AsString()) : throw new ScriptException($"not a time: {value}");
    }

    /// <summary>Reads a time given as text (see <see cref="Parse(JsValue)"/>).</summary>
    public DateTimeOffset Parse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        if (LocalRegex().IsMatch(text))
        {
            var local = DateTime.ParseExact(text, ["yyyy-MM-dd'T'HH:mm:ss", "yyyy-MM-dd'T'HH:mm:ss.FFFFFFF", "yyyy-MM-dd"], CultureInfo.InvariantCulture, DateTimeStyles.None);
            if (_zone.IsInvalidTime(local))
            {
                throw new ScriptException($"local time {text} does not exist in {_zone.Id}");
            }

            return new DateTimeOffset(local, _zone.GetUtcOffset(local));
        }

        return DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.RoundtripKind, out var instant)
            ? instant
            : throw new ScriptException($"not a time: '{text}' (expected yyyy-MM-ddTHH:mm:ss, an ISO instant or epoch milliseconds)");
    }

    /// <summary>The instant as ISO 8601 with the zone's offset at that instant.</summary>
    public string Iso(DateTimeOffset instant) =>
        instant.ToOffset(_zone.GetUtcOffset(instant)).ToString("yyyy-MM-dd'T'HH:mm:sszzz", CultureInfo.InvariantCulture);

    private DateTime LocalOf(DateTimeOffset instant) => TimeZoneInfo.ConvertTime(instant, _zone).DateTime;

    // Half a year short of the next birthday: the age holds for months either side of now, so a check that moves the
    // clock by days or weeks does not change the subject's band.
    private JsValue BirthDateForAge(JsValue age)
    {
        var years = Number(age, "age");
        if (years != Math.Floor(years) || years is < 0 or > 150)
        {
            throw new ScriptException($"age must be a whole number from 0 to 150, got {age}");
        }

        var today = DateOnly.FromDateTime(LocalOf(_now()));
        return today.AddYears(-(int)years).AddDays(-182).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
    }

    private static JsValue Fen(JsValue yuan)
    {
        var text = yuan.IsNumber() ? yuan.AsNumber().ToString("R", CultureInfo.InvariantCulture) : yuan.IsString() ? yuan.AsString() : "";
        if (!YuanRegex().IsMatch(text) || !decimal.TryParse(text, NumberStyles.AllowLeadingSign | NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var value))
        {
            throw new ScriptException($"not an amount in yuan with at most two decimals: {yuan}");
        }

        return (double)(value * 100m);
    }

    private static JsValue Yuan(JsValue fen)
    {
        var value = Number(fen, "fen");
        if (value != Math.Floor(value) || Math.Abs(value) > 9_007_199_254_740_991d)
        {
            throw new ScriptException($"not a whole number of fen: {fen}");
        }

        return ((decimal)value / 100m).ToString("0.00", CultureInfo.InvariantCulture);
    }

    private static double Number(JsValue value, string what) =>
        value.IsNumber() ? value.AsNumber()
        : value.IsString() && double.TryParse(value.AsString(), NumberStyles.Float, CultureInfo.InvariantCulture, out var n) ? n
        : throw new ScriptException($"{what} must be a number, got {value}");

    [GeneratedRegex(@"^\d{4}-\d{2}-\d{2}(T\d{2}:\d{2}:\d{2}(\.\d{1,7})?)?$", RegexOptions.CultureInvariant, matchTimeoutMilliseconds: 1000)]
    private static partial Regex LocalRegex();

    [GeneratedRegex(@"^-?\d{1,15}(\.\d{1,2})?$", RegexOptions.CultureInvariant, matchTimeoutMilliseconds: 1000)]
    private static partial Regex YuanRegex();
}
