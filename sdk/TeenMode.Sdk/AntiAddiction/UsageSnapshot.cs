using TeenMode.ParentalControl;
using TeenMode.Rules;

namespace TeenMode.AntiAddiction;

/// <summary>
/// A subject's usage state as of the last heartbeat, immutable, for apps that decide on every request without
/// going to the store (e.g. in middleware, refreshed on each heartbeat). <see cref="Decide"/> allocates nothing.
/// The gate decides through the same code, so a cached decision matches a fresh one for the same state.
/// </summary>
public sealed class UsageSnapshot
{
    private readonly ZoneOffsetCache _zone;
    private readonly TimeSpan _continuousUseBreak;

    /// <summary>Captures <paramref name="effective"/> settings and the use counted on local day <paramref name="date"/>.</summary>
    /// <param name="effective">The subject's settings in force (guardian limit, curfew, exempt categories).</param>
    /// <param name="date">The local day <paramref name="day"/> belongs to.</param>
    /// <param name="day">The use counted on <paramref name="date"/>.</param>
    /// <param name="timeZone">The rule pack's time zone.</param>
    /// <param name="continuousUseBreak">A gap this long since the last heartbeat ends continuous use.</param>
    public UsageSnapshot(EffectiveSettings effective, DateOnly date, UsageDay day, TimeZoneInfo timeZone, TimeSpan continuousUseBreak)
        : this(effective, date, day, ZoneOffsetCache.For(timeZone ?? throw new ArgumentNullException(nameof(timeZone))), continuousUseBreak)
    {
    }

    // The gate passes its rule pack's cache, so building a snapshot per decision costs no look-up.
    internal UsageSnapshot(EffectiveSettings effective, DateOnly date, UsageDay day, ZoneOffsetCache zone, TimeSpan continuousUseBreak)
    {
        ArgumentNullException.ThrowIfNull(effective);
        ArgumentNullException.ThrowIfNull(day);
        if (continuousUseBreak <= TimeSpan.Zero)
        {
            throw new ArgumentOutOfRangeException(nameof(continuousUseBreak), continuousUseBreak, "The continuous-use break must be positive.");
        }

        Effective = effective;
        Date = date;
        Day = day;
        _zone = zone;
        _continuousUseBreak = continuousUseBreak;
    }

    /// <summary>The settings in force when the snapshot was taken.</summary>
    public EffectiveSettings Effective { get; }

    /// <summary>The local day <see cref="Day"/> belongs to.</summary>
    public DateOnly Date { get; }

    /// <summary>The use counted on <see cref="Date"/>.</summary>
    public UsageDay Day { get; }

    /// <summary>Whether the subject may use the app (of <paramref name="category"/>, if given) at <paramref name="now"/>. Allocation-free.</summary>
    public UsageVerdict Decide(DateTimeOffset now, string? category = null) => DecideWith(now, category, null);

    // The one place the gate's steps live: teen mode off, day rollover, break reset, time rules, exemption.
    // A custom policy (a mutant, an app's own) replaces only the time rules, and allocates.
    internal UsageVerdict DecideWith(DateTimeOffset now, string? category, IUsagePolicy? policy)
    {
        if (!Effective.TeenMode)
        {
            return new(Outcome.Allow, ReasonCode.TeenModeOff, Array.Empty<string>(), null);
        }

        var local = _zone.ToLocal(now);
        long seconds = 0;
        long continuous = 0;
        DateTimeOffset? last = null;

        // A new local day starts with nothing counted; a long enough gap since the last heartbeat is a break.
        if (DateOnly.FromDateTime(local) == Date)
        {
            seconds = Day.Seconds;
            last = Day.LastHeartbeatAt;
            if (ContinuousUse.Continues(last, now, _continuousUseBreak))
            {
                continuous = Day.ContinuousSeconds;
            }
        }

        var verdict = policy is null
            ? UsagePolicy.Decide(Effective.Rules, TimeOnly.FromDateTime(local), seconds, continuous)
            : UsageVerdict.From(policy.Evaluate(Effective.Rules, local, new UsageDay(seconds, continuous, last)));
        return Effective.IsExempt(category)
            ? new(Outcome.Allow, ReasonCode.ExemptCategory, Effective.ExemptRequirementIds, verdict.RemainingSeconds)
            : verdict;
    }
}
