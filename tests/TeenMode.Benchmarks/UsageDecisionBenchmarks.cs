using BenchmarkDotNet.Attributes;
using TeenMode.AntiAddiction;
using TeenMode.ParentalControl;
using TeenMode.Rules;

namespace TeenMode.Benchmarks;

/// <summary>The per-request usage decision from a cached <see cref="UsageSnapshot"/> (no store, no I/O): target under 1 µs and 0 B.</summary>
[MedianColumn]
public class UsageDecisionBenchmarks
{
    private static readonly TimeSpan Shanghai = TimeSpan.FromHours(8);

    private UsageSnapshot _snapshot = null!;
    private UsageSnapshot _tired = null!;
    private BandRules _rules = null!;
    private RulePack _pack = null!;
    private TimeZoneInfo _timeZone = null!;
    private readonly UsagePolicy _policy = new();
    private readonly DateTimeOffset _morning = new(2026, 3, 6, 10, 30, 0, Shanghai);
    private readonly DateTimeOffset _night = new(2026, 3, 6, 23, 0, 0, Shanghai);

    [GlobalSetup]
    public void Setup()
    {
        // A 13-year-old on the default settings: the pack's band rules and its exempt-by-default categories.
        var pack = RulePackLoader.LoadEmbedded(RulePackLoader.DefaultPackId);
        _pack = pack;
        _rules = pack.ForAge(13)!;
        _timeZone = pack.TimeZone;
        var guardian = pack.Guardian!;
        var effective = new EffectiveSettings("kid", true, _rules, new HashSet<string>(guardian.ExemptByDefault, StringComparer.Ordinal),
            guardian.ExemptRequirementIds, new Dictionary<string, bool>(), new Dictionary<string, GuardianSpendingCaps>(), GuardianSettings.Defaults("kid"));
        var date = new DateOnly(2026, 3, 6);
        var lastBeat = _morning.AddSeconds(-30);

        // 20 minutes today, 10 of them without a break; and 30 without a break (the rest reminder).
        _snapshot = new UsageSnapshot(effective, date, new UsageDay(1200, 600, lastBeat), pack.TimeZone, TimeSpan.FromMinutes(10));
        _tired = new UsageSnapshot(effective, date, new UsageDay(1800, 1800, lastBeat), pack.TimeZone, TimeSpan.FromMinutes(10));
    }

    /// <summary>10:30 local, budget left, no reminder due.</summary>
    [Benchmark]
    public UsageVerdict Allowed() => _snapshot.Decide(_morning, "video");

    /// <summary>23:00 local: inside the 22:00–06:00 curfew.</summary>
    [Benchmark]
    public UsageVerdict Curfew() => _snapshot.Decide(_night, "video");

    /// <summary>10:30 local after 30 minutes without a break.</summary>
    [Benchmark]
    public UsageVerdict RestReminder() => _tired.Decide(_morning, "video");

    /// <summary>For comparison: the same allowed case through <see cref="UsagePolicy.Evaluate"/>, which returns a <see cref="Decision"/>.</summary>
    [Benchmark]
    public Decision AllowedAsDecision() => _policy.Evaluate(_rules, _pack.ToLocal(_morning), _snapshot.Day);

    /// <summary>The rule itself, local time already known: what <see cref="Allowed"/> costs beyond the clock and the snapshot.</summary>
    [Benchmark]
    public UsageVerdict RuleOnly() => UsagePolicy.Decide(_rules, new TimeOnly(10, 30), 1200, 600);

    /// <summary>The pack's conversion of an instant to local time (the offset span cached).</summary>
    [Benchmark]
    public DateTime ToLocal() => _pack.ToLocal(_morning);

    /// <summary>For comparison: the same conversion through TimeZoneInfo, as the SDK did before the cache.</summary>
    [Benchmark]
    public DateTime ConvertTime() => TimeZoneInfo.ConvertTime(_morning, _timeZone).DateTime;
}
