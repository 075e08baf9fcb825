using TeenMode.AntiAddiction;
using TeenMode.Rules;

namespace TeenMode.Tests.Core;

/// <summary>The allocation-free path (<see cref="UsagePolicy.Decide"/>, <see cref="UsageSnapshot"/>) against the Decision path.</summary>
public sealed class UsageSnapshotTests
{
    private static readonly DateOnly Born2013 = new(2013, 1, 1);
    private static readonly BandRules Band12To16 = RulePackLoader.LoadEmbedded(RulePackLoader.DefaultPackId).ForAge(13)!;

    [Theory]
    [InlineData(21, 59, 59, 0, 0, "allowed")]
    [InlineData(22, 0, 0, 0, 0, "curfew")]
    [InlineData(5, 59, 59, 0, 0, "curfew")]
    [InlineData(6, 0, 0, 0, 0, "allowed")]
    [InlineData(22, 0, 0, 3600, 0, "curfew")]
    [InlineData(10, 0, 0, 3599, 0, "allowed")]
    [InlineData(10, 0, 0, 3600, 0, "daily-limit-reached")]
    [InlineData(10, 0, 0, 3600, 1800, "daily-limit-reached")]
    [InlineData(10, 0, 0, 1799, 1799, "allowed")]
    [InlineData(10, 0, 0, 1800, 1800, "rest-reminder")]
    public void PolicyDecide_AgreesWithEvaluate_OnEveryBoundary(int hour, int minute, int second, long daySeconds, long continuous, string expected)
    {
        var local = new DateTime(2026, 3, 6, hour, minute, second);

        var verdict = UsagePolicy.Decide(Band12To16, TimeOnly.FromDateTime(local), daySeconds, continuous);
        var decision = new UsagePolicy().Evaluate(Band12To16, local, new UsageDay(daySeconds, continuous, null));

        verdict.Reason.Value.Should().Be(expected);
        verdict.Outcome.Should().Be(decision.Outcome);
        verdict.Reason.Should().Be(decision.Reason);
        verdict.RequirementIds.Should().Equal(decision.RequirementIds);
        verdict.RemainingSeconds.Should().Be(decision.Details.RemainingSeconds).And.Be(Math.Max(0, 3600 - daySeconds));
        verdict.ToDecision().Should().BeEquivalentTo(decision);
    }

    [Theory]
    [InlineData(21, 59, 59, null, "allowed")]
    [InlineData(22, 0, 0, null, "curfew")]
    [InlineData(5, 59, 59, null, "curfew")]
    [InlineData(6, 0, 0, null, "allowed")]
    [InlineData(23, 0, 0, "calls", "exempt-category")]
    [InlineData(23, 0, 0, "video", "curfew")]
    public async Task Snapshot_AgreesWithGate_AtCurfewBoundariesAndForExemptCategories(int hour, int minute, int second, string? category, string expected)
    {
        using var host = new TeenModeHost(TeenModeHost.Local(2026, 3, 6, hour, minute, second));
        await host.RegisterAsync("kid", Born2013);

        await SnapshotShouldMatchGateAsync(host, category, new ReasonCode(expected));
    }

    [Fact]
    public async Task Snapshot_AgreesWithGate_At30thMinuteRestReminderAndWhenBudgetIsUsedUp()
    {
        using var host = new TeenModeHost(TeenModeHost.Local(2026, 3, 6, 10));
        await host.RegisterAsync("kid", Born2013);

        await host.UseForMinutesAsync("kid", 29);
        await SnapshotShouldMatchGateAsync(host, null, ReasonCode.Allowed);
        await host.UseForMinutesAsync("kid", 1, firstSequence: 30);
        await SnapshotShouldMatchGateAsync(host, null, ReasonCode.RestReminder);
        await host.UseForMinutesAsync("kid", 30, firstSequence: 31);
        await SnapshotShouldMatchGateAsync(host, null, ReasonCode.DailyLimitReached);
        await SnapshotShouldMatchGateAsync(host, "calls", ReasonCode.ExemptCategory);
    }

    [Fact]
    public async Task Snapshot_TeenModeOff_AllowsLikeTheGate()
    {
        using var host = new TeenModeHost(TeenModeHost.Local(2026, 3, 6, 23));
        await host.RegisterAsync("adult", teenMode: false);

        await SnapshotShouldMatchGateAsync(host, null, ReasonCode.TeenModeOff, "adult");
    }

    [Fact]
    public async Task CachedSnapshot_FollowsTheClock_BreakCurfewAndNewDay()
    {
        using var host = new TeenModeHost(TeenModeHost.Local(2026, 3, 6, 10));
        await host.RegisterAsync("kid", Born2013);
        await host.UseForMinutesAsync("kid", 30);
        var cached = (await host.Usage.GetSnapshotAsync("kid"))!;

        // 10:30: 30 minutes without a break; 10 minutes later (the default break) it is still the same stretch.
        cached.Decide(TeenModeHost.Local(2026, 3, 6, 10, 30)).Reason.Should().Be(ReasonCode.RestReminder);
        cached.Decide(TeenModeHost.Local(2026, 3, 6, 10, 40)).Reason.Should().Be(ReasonCode.RestReminder);

        // 10:41: the gap was a break; the reminder is gone, the budget used is not; the gate says the same.
        host.Clock.SetUtcNow(TeenModeHost.Local(2026, 3, 6, 10, 41).ToUniversalTime());
        var afterBreak = cached.Decide(host.Clock.GetUtcNow());
        afterBreak.Reason.Should().Be(ReasonCode.Allowed);
        afterBreak.RemainingSeconds.Should().Be(1800);
        afterBreak.ToDecision().Should().BeEquivalentTo(await host.Usage.CheckAsync("kid"));

        // 22:00 with no new heartbeat: the curfew starts without refreshing the snapshot.
        cached.Decide(TeenModeHost.Local(2026, 3, 6, 22)).Reason.Should().Be(ReasonCode.Curfew);

        // Next morning: a new local day's whole budget.
        var morning = cached.Decide(TeenModeHost.Local(2026, 3, 7, 8));
        morning.Reason.Should().Be(ReasonCode.Allowed);
        morning.RemainingSeconds.Should().Be(3600);
    }

    [Fact]
    public async Task GetSnapshot_UnknownSubject_IsNull()
    {
        using var host = new TeenModeHost(TeenModeHost.Local(2026, 3, 6, 10));

        (await host.Usage.GetSnapshotAsync("nobody")).Should().BeNull();
    }

    private static async Task SnapshotShouldMatchGateAsync(TeenModeHost host, string? category, ReasonCode expected, string subjectId = "kid")
    {
        var snapshot = await host.Usage.GetSnapshotAsync(subjectId);
        var gate = await host.Usage.CheckAsync(subjectId, category);

        snapshot.Should().NotBeNull();
        var verdict = snapshot!.Decide(host.Clock.GetUtcNow(), category);
        gate.Reason.Should().Be(expected);
        verdict.ToDecision().Should().BeEquivalentTo(gate);
    }
}
