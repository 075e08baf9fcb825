using Microsoft.Extensions.DependencyInjection;
using TeenMode.AntiAddiction;
using TeenMode.ParentalControl;
using TeenMode.Spending;

namespace TeenMode.Tests.Core;

public sealed class GuardianUsageReportTests
{
    // 13 in March 2026: band 12-16, 60 minutes a day; "video" caps 30 / 60 / 200; game tier 8-16 (50 a top-up).
    private static readonly DateOnly Born2013 = new(2013, 1, 1);

    [Fact]
    public async Task Report_ShowsMinutesByDayAndCategory_BlockedAttemptsByReason_AndSpending()
    {
        // Friday 2026-03-06, 21:50 in Shanghai.
        using var host = new TeenModeHost(TeenModeHost.Local(2026, 3, 6, 21, 50));
        await host.RegisterVerifiedAsync("kid", Born2013);
        await host.Parental.BindAsync("kid", "mum", "246810");
        for (var i = 1; i <= 5; i++)
        {
            host.Clock.Advance(TimeSpan.FromMinutes(1));
            (await host.Usage.RecordHeartbeatAsync(new Heartbeat("kid", "phone", i, 60, "video"))).IsAllowed.Should().BeTrue();
        }

        host.Clock.Advance(TimeSpan.FromMinutes(1));
        (await host.Usage.RecordHeartbeatAsync(new Heartbeat("kid", "tablet", 1, 60, "education"))).IsAllowed.Should().BeTrue();
        (await host.Services.GetRequiredService<ISpendingGate>().SpendAsync(new SpendRequest("kid", "video", 12.50m))).Decision.IsAllowed.Should().BeTrue();
        (await host.Services.GetRequiredService<ISpendingGate>().SpendAsync(new SpendRequest("kid", "video", 30.01m))).Decision.Reason.Should().Be(ReasonCode.SpendOverTransactionCap);
        (await host.Games.CheckPlayAsync("kid")).Reason.Should().NotBe(ReasonCode.Allowed, "21:56 is past the Friday play window");

        // Into the curfew: two video heartbeats are turned away, the exempt education one is not.
        host.Clock.SetUtcNow(TeenModeHost.Local(2026, 3, 6, 22, 5).ToUniversalTime());
        (await host.Usage.RecordHeartbeatAsync(new Heartbeat("kid", "phone", 6, 60, "video"))).Reason.Should().Be(ReasonCode.Curfew);
        (await host.Usage.RecordHeartbeatAsync(new Heartbeat("kid", "phone", 7, 60, "video"))).Reason.Should().Be(ReasonCode.Curfew);
        (await host.Usage.RecordHeartbeatAsync(new Heartbeat("kid", "tablet", 2, 60, "education"))).IsAllowed.Should().BeTrue();

        // Saturday 20:10: a game top-up inside the play window.
        host.Clock.SetUtcNow(TeenModeHost.Local(2026, 3, 7, 20, 10).ToUniversalTime());
        (await host.Games.TopUpAsync(new GameTopUp("kid", "game-co", 20m))).Decision.IsAllowed.Should().BeTrue();

        var result = await Reports(host).GetAsync("kid", "mum", new DateOnly(2026, 3, 6), new DateOnly(2026, 3, 7));

        result.Decision.IsAllowed.Should().BeTrue();
        var report = result.Report!;
        report.TimeZone.Should().Be("Asia/Shanghai");
        report.Days.Select(d => d.Day).Should().Equal(new DateOnly(2026, 3, 6), new DateOnly(2026, 3, 7));
        var friday = report.Days[0];
        friday.Minutes.Should().Be(7, "five video minutes, and the two refused in the curfew were still used; education is exempt");
        friday.MinutesByCategory.Should().Contain("video", 7);
        friday.MinutesByCategory.Should().Contain("education", 2);
        report.Days[1].Minutes.Should().Be(0);
        report.BlockedByReason.Should().Contain(ReasonCode.Curfew.Value, 2)
            .And.Contain(ReasonCode.SpendOverTransactionCap.Value, 1)
            .And.ContainKey(ReasonCode.GameOutsidePlayWindow.Value);
        report.Blocked.Should().Contain(b => b.Kind == "spend" && b.Reason == ReasonCode.SpendOverTransactionCap && b.Day == new DateOnly(2026, 3, 6));
        report.Payments.Select(p => (p.Kind, p.Category, p.Amount)).Should().Equal(("spend", "video", 12.50m), ("game-top-up", "game-co", 20m));
        report.SpentTotal.Should().Be(32.50m);
    }

    [Fact]
    public async Task Report_IsOnlyForABoundGuardian_AndRefusesAnOverlongRange()
    {
        using var host = new TeenModeHost(TeenModeHost.Local(2026, 3, 6, 10, 0));
        await host.RegisterAsync("kid", Born2013);
        await host.Parental.BindAsync("kid", "mum", "246810");
        var day = new DateOnly(2026, 3, 6);

        (await Reports(host).GetAsync("kid", "stranger", day, day)).Decision.Reason.Should().Be(ReasonCode.GuardianNotBound);
        (await Reports(host).GetAsync("nobody", "mum", day, day)).Decision.Reason.Should().Be(ReasonCode.UnknownSubject);
        await FluentActions.Awaiting(() => Reports(host).GetAsync("kid", "mum", day, day.AddDays(GuardianUsageReport.MaxDays)))
            .Should().ThrowAsync<ArgumentException>();
        (await Reports(host).GetAsync("kid", "mum", day, day.AddDays(GuardianUsageReport.MaxDays - 1))).Report!.Days.Should().HaveCount(GuardianUsageReport.MaxDays);
    }

    private static IGuardianUsageReports Reports(TeenModeHost host) => host.Services.GetRequiredService<IGuardianUsageReports>();
}
