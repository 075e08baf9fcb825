using TeenMode.AntiAddiction;

namespace TeenMode.Tests.Core;

public sealed class UsageGateTests
{
    private static readonly DateOnly Born2013 = new(2013, 1, 1);

    [Theory]
    [InlineData(21, 59, 59, true)]
    [InlineData(22, 0, 0, false)]
    [InlineData(5, 59, 59, false)]
    [InlineData(6, 0, 0, true)]
    public async Task Curfew_AtShanghaiLocalTime_StartsAt22AndEndsAt6(int hour, int minute, int second, bool allowed)
    {
        using var host = new TeenModeHost(TeenModeHost.Local(2026, 3, 6, hour, minute, second));
        await host.RegisterAsync("kid", Born2013);

        var decision = await host.Usage.CheckAsync("kid");

        decision.IsAllowed.Should().Be(allowed);
        if (!allowed)
        {
            decision.Reason.Should().Be(ReasonCode.Curfew);
            decision.RequirementIds.Should().Contain("CAC-MM-CURFEW-01");
        }
        else
        {
            decision.Reason.Should().Be(ReasonCode.Allowed);
        }
    }

    [Fact]
    public async Task Curfew_SameClockTimesInUtc_DoNotCount()
    {
        // 22:30 UTC is 06:30 the next morning in Shanghai; 14:30 UTC is 22:30 in Shanghai.
        using var host = new TeenModeHost(new DateTimeOffset(2026, 3, 6, 22, 30, 0, TimeSpan.Zero));
        host.Clock.SetLocalTimeZone(TimeZoneInfo.Utc);
        await host.RegisterAsync("kid", Born2013);

        var at2230Utc = await host.Usage.CheckAsync("kid");
        // Eight hours back: SetUtcNow only moves forward, AdjustTime sets the clock as an operator would.
        host.Clock.AdjustTime(new DateTimeOffset(2026, 3, 6, 14, 30, 0, TimeSpan.Zero));
        var at1430Utc = await host.Usage.CheckAsync("kid");

        at2230Utc.Reason.Should().Be(ReasonCode.Allowed);
        at1430Utc.Reason.Should().Be(ReasonCode.Curfew);
    }

    [Fact]
    public async Task DailyLimit_Band12To16_AllowsAfter59MinutesAndDeniesAfter60()
    {
        using var host = new TeenModeHost(TeenModeHost.Local(2026, 3, 6, 10));
        await host.RegisterAsync("kid", Born2013);

        var after59 = await host.UseForMinutesAsync("kid", 59);
        var after60 = await host.UseForMinutesAsync("kid", 1, firstSequence: 60);
        var check = await host.Usage.CheckAsync("kid");

        after59.IsAllowed.Should().BeTrue();
        after59.Details.RemainingSeconds.Should().Be(60);
        after60.Outcome.Should().Be(Outcome.Deny);
        after60.Reason.Should().Be(ReasonCode.DailyLimitReached);
        after60.RequirementIds.Should().Contain("CAC-MM-TIME-01");
        check.Reason.Should().Be(ReasonCode.DailyLimitReached);
    }

    [Fact]
    public async Task DailyLimit_Band16To18_AllowsAfter119MinutesAndDeniesAfter120()
    {
        using var host = new TeenModeHost(TeenModeHost.Local(2026, 3, 6, 9));
        await host.RegisterAsync("older", new DateOnly(2009, 6, 1));

        var after119 = await host.UseForMinutesAsync("older", 119);
        var after120 = await host.UseForMinutesAsync("older", 1, firstSequence: 120);

        after119.IsAllowed.Should().BeTrue();
        after119.Details.RemainingSeconds.Should().Be(60);
        after120.Reason.Should().Be(ReasonCode.DailyLimitReached);
    }

    [Fact]
    public async Task DailyLimit_HeartbeatsFromTwoDevices_ShareOneBudget()
    {
        using var host = new TeenModeHost(TeenModeHost.Local(2026, 3, 6, 10));
        await host.RegisterAsync("kid", Born2013);

        await host.UseForMinutesAsync("kid", 30, deviceId: "phone");
        var decision = await host.UseForMinutesAsync("kid", 30, deviceId: "tablet");

        decision.Reason.Should().Be(ReasonCode.DailyLimitReached);
    }

    [Fact]
    public async Task DailyLimit_NextShanghaiDay_StartsAFreshBudget()
    {
        using var host = new TeenModeHost(TeenModeHost.Local(2026, 3, 6, 10));
        await host.RegisterAsync("kid", Born2013);
        await host.UseForMinutesAsync("kid", 60);

        host.Clock.SetUtcNow(TeenModeHost.Local(2026, 3, 7, 10).ToUniversalTime());
        var nextDay = await host.Usage.CheckAsync("kid");

        nextDay.Reason.Should().Be(ReasonCode.Allowed);
        nextDay.Details.RemainingSeconds.Should().Be(3600);
    }

    [Fact]
    public async Task Heartbeat_SentTwice_IsCountedOnce()
    {
        using var host = new TeenModeHost(TeenModeHost.Local(2026, 3, 6, 10));
        await host.RegisterAsync("kid", Born2013);

        var first = await host.Usage.RecordHeartbeatAsync(new Heartbeat("kid", "phone", 1, 60));
        var replay = await host.Usage.RecordHeartbeatAsync(new Heartbeat("kid", "phone", 1, 60));

        first.Details.RemainingSeconds.Should().Be(3540);
        replay.Details.RemainingSeconds.Should().Be(3540);
    }

    [Fact]
    public async Task Heartbeat_ClaimingMoreThanTheMaximum_IsCappedAt60Seconds()
    {
        using var host = new TeenModeHost(TeenModeHost.Local(2026, 3, 6, 10));
        await host.RegisterAsync("kid", Born2013);

        var decision = await host.Usage.RecordHeartbeatAsync(new Heartbeat("kid", "phone", 1, 3600));

        decision.Details.RemainingSeconds.Should().Be(3540);
    }

    [Fact]
    public async Task RestReminder_After30ContinuousMinutes_AllowsWithNotice()
    {
        using var host = new TeenModeHost(TeenModeHost.Local(2026, 3, 6, 10));
        await host.RegisterAsync("kid", Born2013);

        var after29 = await host.UseForMinutesAsync("kid", 29);
        var after30 = await host.UseForMinutesAsync("kid", 1, firstSequence: 30);

        after29.Outcome.Should().Be(Outcome.Allow);
        after29.Reason.Should().Be(ReasonCode.Allowed);
        after30.Outcome.Should().Be(Outcome.AllowWithNotice);
        after30.Reason.Should().Be(ReasonCode.RestReminder);
        after30.RequirementIds.Should().Contain("CAC-MM-TIME-04");
    }

    [Fact]
    public async Task RestReminder_AfterABreakLongerThanContinuousUseBreak_IsReset()
    {
        using var host = new TeenModeHost(TeenModeHost.Local(2026, 3, 6, 10));
        await host.RegisterAsync("kid", Born2013);
        await host.UseForMinutesAsync("kid", 30);

        host.Clock.Advance(TimeSpan.FromMinutes(10));
        var afterExactlyTheBreak = await host.Usage.CheckAsync("kid");
        host.Clock.Advance(TimeSpan.FromSeconds(1));
        var afterLongerBreak = await host.Usage.CheckAsync("kid");
        var nextHeartbeat = await host.Usage.RecordHeartbeatAsync(new Heartbeat("kid", "phone", 31, 60));

        afterExactlyTheBreak.Reason.Should().Be(ReasonCode.RestReminder);
        afterLongerBreak.Outcome.Should().Be(Outcome.Allow);
        afterLongerBreak.Reason.Should().Be(ReasonCode.Allowed);
        nextHeartbeat.Reason.Should().Be(ReasonCode.Allowed, "continuous use starts again after the break");
        nextHeartbeat.Details.RemainingSeconds.Should().Be(3600 - (31 * 60), "the day's total is not reset by a break");
    }

    [Fact]
    public async Task RestReminder_ConfiguredShorterBreak_IsHonoured()
    {
        using var host = new TeenModeHost(TeenModeHost.Local(2026, 3, 6, 10), o => o.ContinuousUseBreak = TimeSpan.FromMinutes(2));
        await host.RegisterAsync("kid", Born2013);
        await host.UseForMinutesAsync("kid", 30);

        host.Clock.Advance(TimeSpan.FromMinutes(3));

        (await host.Usage.CheckAsync("kid")).Reason.Should().Be(ReasonCode.Allowed);
    }

    [Fact]
    public async Task TeenModeOff_DuringCurfewAndOverBudget_IsAllowedWithReasonTeenModeOff()
    {
        using var host = new TeenModeHost(TeenModeHost.Local(2026, 3, 6, 20));
        await host.RegisterAsync("kid", Born2013, teenMode: false);

        var overBudget = await host.UseForMinutesAsync("kid", 90);
        host.Clock.SetUtcNow(TeenModeHost.Local(2026, 3, 6, 23).ToUniversalTime());
        var inCurfew = await host.Usage.CheckAsync("kid");

        overBudget.Outcome.Should().Be(Outcome.Allow);
        overBudget.Reason.Should().Be(ReasonCode.TeenModeOff);
        inCurfew.Outcome.Should().Be(Outcome.Allow);
        inCurfew.Reason.Should().Be(ReasonCode.TeenModeOff);
    }

    [Fact]
    public async Task Usage_UnknownSubject_IsDenied()
    {
        using var host = new TeenModeHost(TeenModeHost.Local(2026, 3, 6, 10));

        (await host.Usage.CheckAsync("nobody")).Reason.Should().Be(ReasonCode.UnknownSubject);
        (await host.Usage.RecordHeartbeatAsync(new Heartbeat("nobody", "phone", 1, 60))).Reason.Should().Be(ReasonCode.UnknownSubject);
    }
}
