using System.Runtime.CompilerServices;
using NodaTime;
using NodaTime.TimeZones;

namespace TeenMode.Rules;

/// <summary>
/// Converts instants to one time zone's local time as <see cref="TimeZoneInfo.ConvertTime(DateTimeOffset, TimeZoneInfo)"/>
/// does, but caches the UTC span in which the zone's offset is constant: the hot path is one range check and an add,
/// allocation-free. Thread-safe: a miss replaces the cached span with a new immutable one.
/// </summary>
/// <remarks>
/// TimeZoneInfo has no "next transition" API, so the span comes from NodaTime's <see cref="BclDateTimeZone"/>, built
/// from the same TimeZoneInfo (its adjustment rules), never from a second time-zone database. A span is cached only
/// when TimeZoneInfo itself gives the span's offset at the instant asked for and at both ends of the span; otherwise
/// (or near the ends of the DateTime range) the conversion falls back to TimeZoneInfo, uncached.
/// </remarks>
internal sealed class ZoneOffsetCache
{
    // Far enough from DateTime's ends that no offset (at most ±1 day, LMT included) leaves the range.
    private static readonly long MinCachedTicks = DateTime.MinValue.Ticks + TimeSpan.TicksPerDay;
    private static readonly long MaxCachedTicks = DateTime.MaxValue.Ticks - TimeSpan.TicksPerDay;
    private static readonly ConditionalWeakTable<TimeZoneInfo, ZoneOffsetCache> Shared = [];

    private readonly TimeZoneInfo _timeZone;
    private DateTimeZone? _intervals;

    // Starts empty ([0, 0)): the first conversion is a miss.
    private OffsetSpan _span = new(0, 0, 0);

    internal ZoneOffsetCache(TimeZoneInfo timeZone)
    {
        ArgumentNullException.ThrowIfNull(timeZone);
        _timeZone = timeZone;
    }

    /// <summary>The zone converted to.</summary>
    public TimeZoneInfo TimeZone => _timeZone;

    /// <summary>One cache per TimeZoneInfo instance, for callers that hold only the zone (a public UsageSnapshot constructor).</summary>
    public static ZoneOffsetCache For(TimeZoneInfo timeZone)
    {
        ArgumentNullException.ThrowIfNull(timeZone);
        return Shared.GetValue(timeZone, static zone => new ZoneOffsetCache(zone));
    }

    /// <summary>The local date and time of <paramref name="instant"/> (kind Unspecified), as TimeZoneInfo.ConvertTime gives it.</summary>
    public DateTime ToLocal(DateTimeOffset instant)
    {
        var utc = instant.UtcTicks;
        var span = Volatile.Read(ref _span);
        return utc >= span.Start && utc < span.End ? new DateTime(utc + span.Offset, DateTimeKind.Unspecified) : Miss(instant);
    }

    private DateTime Miss(DateTimeOffset instant)
    {
        var utc = instant.UtcTicks;
        if (utc < MinCachedTicks || utc >= MaxCachedTicks)
        {
            return TimeZoneInfo.ConvertTime(instant, _timeZone).DateTime;
        }

        var intervals = Volatile.Read(ref _intervals);
        if (intervals is null)
        {
            intervals = BclDateTimeZone.FromTimeZoneInfo(_timeZone);
            Volatile.Write(ref _intervals, intervals);
        }

        var interval = intervals.GetZoneInterval(Instant.FromUnixTimeTicks(utc - DateTime.UnixEpoch.Ticks));
        var offset = interval.WallOffset.Ticks;
        var start = Math.Max(MinCachedTicks, interval.HasStart ? interval.Start.ToUnixTimeTicks() + DateTime.UnixEpoch.Ticks : long.MinValue);
        var end = Math.Min(MaxCachedTicks, interval.HasEnd ? interval.End.ToUnixTimeTicks() + DateTime.UnixEpoch.Ticks : long.MaxValue);

        // Cache only what TimeZoneInfo confirms: the offset now and at both ends of the span.
        if (start <= utc && utc < end && OffsetAt(utc) == offset && OffsetAt(start) == offset && OffsetAt(end - 1) == offset)
        {
            Volatile.Write(ref _span, new OffsetSpan(start, end, offset));
            return new DateTime(utc + offset, DateTimeKind.Unspecified);
        }

        return TimeZoneInfo.ConvertTime(instant, _timeZone).DateTime;
    }

    private long OffsetAt(long utcTicks) => _timeZone.GetUtcOffset(new DateTime(utcTicks, DateTimeKind.Utc)).Ticks;

    /// <summary>UTC ticks [Start, End) in which local time is UTC plus <see cref="Offset"/> ticks.</summary>
    private sealed record OffsetSpan(long Start, long End, long Offset);
}
