namespace TeenMode.AntiAddiction;

/// <summary>
/// The continuous-use rule, in one place: use continues while heartbeats come no more than the break apart; a longer gap
/// is a break and continuous use starts again. Stores call it inside their atomic step; the snapshot calls it to decide.
/// </summary>
internal static class ContinuousUse
{
    /// <summary>True when use at <paramref name="now"/> continues the use last seen at <paramref name="last"/>.</summary>
    public static bool Continues(DateTimeOffset? last, DateTimeOffset now, TimeSpan breakAfter) =>
        last is { } at && now - at <= breakAfter;

    /// <summary>Continuous seconds after a heartbeat of <paramref name="seconds"/> at <paramref name="at"/>.</summary>
    public static long After(long continuousSeconds, DateTimeOffset? last, DateTimeOffset at, int seconds, TimeSpan breakAfter) =>
        Continues(last, at, breakAfter) ? continuousSeconds + seconds : seconds;
}
