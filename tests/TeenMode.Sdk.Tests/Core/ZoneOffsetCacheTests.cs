using TeenMode.AntiAddiction;
using TeenMode.ParentalControl;
using TeenMode.Rules;

namespace TeenMode.Tests.Core;

/// <summary>The cached local-time conversion gives exactly what TimeZoneInfo.ConvertTime gives, in any zone, at any instant.</summary>
public sealed class ZoneOffsetCacheTests
{
    // DST in both hemispheres, a 30-minute DST (Lord Howe), odd offsets (Kathmandu +5:45, once +5:30), a skipped day
    // (Apia, 2011), DST abolished (Sao Paulo, 2019), and the packs' own zone.
    public static TheoryData<string> Zones => new()
    {
        "America/New_York", "Europe/London", "Australia/Lord_Howe", "Asia/Kathmandu", "Pacific/Apia", "America/Sao_Paulo", "Asia/Shanghai",
    };

    [Theory]
    [MemberData(nameof(Zones))]
    public void ToLocal_WalkingHourly_AndOneTickEitherSideOfEveryTransition_MatchesConvertTime(string zoneId)
    {
        var zone = TimeZoneInfo.FindSystemTimeZoneById(zoneId);
        var cache = new ZoneOffsetCache(zone);
        var mismatches = new List<string>();
        var transitions = 0;
        var at = new DateTimeOffset(1900, 1, 1, 0, 0, 0, TimeSpan.Zero);
        var until = new DateTimeOffset(2100, 1, 1, 0, 0, 0, TimeSpan.Zero);
        var offset = zone.GetUtcOffset(at);
        while (at < until)
        {
            Check(cache, zone, at, mismatches);
            var next = at.AddHours(1);
            var nextOffset = zone.GetUtcOffset(next);
            if (nextOffset != offset)
            {
                // The cache still holds the span before the change: ask for the last tick before it, then the first after, and back.
                var change = FirstTickWithOffset(zone, at, next, nextOffset);
                transitions++;
                foreach (var ticks in new[] { -1L, 0, 1, 0, -1, 1 })
                {
                    Check(cache, zone, change.AddTicks(ticks), mismatches);
                }

                offset = nextOffset;
            }

            at = next;
        }

        mismatches.Should().BeEmpty();
        transitions.Should().BeGreaterThan(0, "every zone here changed its offset at least once after 1900");
    }

    [Theory]
    [MemberData(nameof(Zones))]
    public void ToLocal_AtRandomInstantsOverTheWholeRange_MatchesConvertTime(string zoneId)
    {
        var zone = TimeZoneInfo.FindSystemTimeZoneById(zoneId);
        var cache = new ZoneOffsetCache(zone);
        var random = new Random(15);
        var mismatches = new List<string>();
        var instants = new List<DateTimeOffset> { DateTimeOffset.MinValue, DateTimeOffset.MaxValue, DateTimeOffset.UnixEpoch };
        for (var i = 0; i < 20_000; i++)
        {
            // Half anywhere in years 1–9999, half in 1970–2100 where the rules change most.
            instants.Add(i % 2 == 0
                ? new DateTimeOffset(random.NextInt64(DateTimeOffset.MinValue.UtcTicks, DateTimeOffset.MaxValue.UtcTicks), TimeSpan.Zero)
                : DateTimeOffset.UnixEpoch.AddTicks(random.NextInt64(0, TimeSpan.TicksPerDay * 365 * 130)));
        }

        foreach (var instant in instants)
        {
            Check(cache, zone, instant, mismatches);
            if (instant.Year is > 1 and < 9999)
            {
                // The same instant written with another offset converts the same.
                Check(cache, zone, instant.ToOffset(TimeSpan.FromHours(-11)), mismatches);
            }
        }

        mismatches.Should().BeEmpty();
    }

    [Fact]
    public void ToLocal_OnTheDayApiaSkipped_GoesFrom29To31December()
    {
        var apia = new ZoneOffsetCache(TimeZoneInfo.FindSystemTimeZoneById("Pacific/Apia"));

        // Samoa moved west of the date line at the end of 29 December 2011 (local): 30 December never happened there.
        var lastOld = new DateTimeOffset(2011, 12, 30, 9, 59, 59, TimeSpan.Zero);

        apia.ToLocal(lastOld).Should().Be(new DateTime(2011, 12, 29, 23, 59, 59));
        apia.ToLocal(lastOld.AddSeconds(1)).Should().Be(new DateTime(2011, 12, 31, 0, 0, 0));
    }

    [Fact]
    public void SnapshotDecide_AllocatesNothing_AndGivesTheConvertTimeDay()
    {
        var pack = RulePackLoader.LoadEmbedded(RulePackLoader.DefaultPackId);
        var rules = pack.ForAge(13)!;
        var effective = new EffectiveSettings("kid", true, rules, new HashSet<string>(StringComparer.Ordinal), [],
            new Dictionary<string, bool>(), new Dictionary<string, GuardianSpendingCaps>(), GuardianSettings.Defaults("kid"));
        var now = new DateTimeOffset(2026, 3, 6, 15, 59, 0, TimeSpan.Zero);
        var snapshot = new UsageSnapshot(effective, new DateOnly(2026, 3, 6), new UsageDay(1200, 0, now), pack.TimeZone, TimeSpan.FromMinutes(10));
        snapshot.Decide(now, "video");

        var before = GC.GetAllocatedBytesForCurrentThread();
        var curfews = 0;
        for (var i = 0; i < 1000; i++)
        {
            curfews += snapshot.Decide(now.AddSeconds(i), "video").Reason == ReasonCode.Curfew ? 1 : 0;
        }

        GC.GetAllocatedBytesForCurrentThread().Should().Be(before);

        // 23:59 in Shanghai, then past midnight: a new local day starts with nothing counted, and it is still the curfew.
        curfews.Should().Be(1000);
        snapshot.Decide(now.AddMinutes(2)).RemainingSeconds.Should().Be(rules.DailyMinutes.Value * 60L);
    }

    private static void Check(ZoneOffsetCache cache, TimeZoneInfo zone, DateTimeOffset instant, List<string> mismatches)
    {
        var expected = TimeZoneInfo.ConvertTime(instant, zone).DateTime;
        var actual = cache.ToLocal(instant);
        if ((actual != expected || actual.Kind != expected.Kind) && mismatches.Count < 10)
        {
            mismatches.Add($"{instant:O}: {actual:O} ({actual.Kind}), expected {expected:O} ({expected.Kind})");
        }
    }

    // The first UTC tick in (from, to] at which the zone's offset is already the new one.
    private static DateTimeOffset FirstTickWithOffset(TimeZoneInfo zone, DateTimeOffset from, DateTimeOffset to, TimeSpan newOffset)
    {
        long low = from.UtcTicks, high = to.UtcTicks;
        while (high - low > 1)
        {
            var mid = low + ((high - low) / 2);
            if (zone.GetUtcOffset(new DateTimeOffset(mid, TimeSpan.Zero)) == newOffset)
            {
                high = mid;
            }
            else
            {
                low = mid;
            }
        }

        return new DateTimeOffset(high, TimeSpan.Zero);
    }
}
