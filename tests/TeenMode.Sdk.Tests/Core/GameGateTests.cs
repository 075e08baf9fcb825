using Microsoft.Extensions.DependencyInjection;
using TeenMode.Subjects;
using TeenMode.AntiAddiction;

namespace TeenMode.Tests.Core;

public sealed class GameGateTests
{
    // 12 in 2026: in the [8,16) spending tier all year.
    private static readonly DateOnly Born2014 = new(2014, 1, 1);

    [Theory]
    [InlineData(19, 59, 59, false)]
    [InlineData(20, 0, 0, true)]
    [InlineData(20, 59, 59, true)]
    [InlineData(21, 0, 0, false)]
    public async Task Play_OnAFriday_OnlyFrom20To21ShanghaiTime(int hour, int minute, int second, bool allowed)
    {
        // 2026-03-06 is an ordinary Friday.
        using var host = new TeenModeHost(TeenModeHost.Local(2026, 3, 6, hour, minute, second));
        await host.RegisterVerifiedAsync("kid", Born2014);

        var decision = await host.Games.CheckPlayAsync("kid");

        decision.IsAllowed.Should().Be(allowed);
        decision.Reason.Should().Be(allowed ? ReasonCode.Allowed : ReasonCode.GameOutsidePlayWindow);
        decision.RequirementIds.Should().Contain("NPPA21-TIME-01");
    }

    [Theory]
    [InlineData(2026, 3, 4, "game-not-play-day")]         // an ordinary Wednesday
    [InlineData(2026, 3, 7, "allowed")]                   // an ordinary Saturday
    [InlineData(2026, 3, 8, "allowed")]                   // an ordinary Sunday
    [InlineData(2025, 2, 8, "game-makeup-workday")]       // Saturday worked after the 2025 Spring Festival
    [InlineData(2025, 9, 28, "game-makeup-workday")]      // Sunday worked before National Day 2025
    [InlineData(2025, 10, 8, "allowed")]                  // a Wednesday inside the 2025 National Day holiday
    [InlineData(2025, 5, 5, "allowed")]                   // Monday, Labour Day 2025
    [InlineData(2026, 10, 6, "allowed")]                  // a Tuesday inside the 2026 National Day holiday
    [InlineData(2026, 10, 10, "game-makeup-workday")]     // Saturday worked after National Day 2026
    public async Task Play_At2030_FollowsTheHolidayCalendar(int year, int month, int day, string reason)
    {
        using var host = new TeenModeHost(TeenModeHost.Local(year, month, day, 20, 30));
        await host.RegisterVerifiedAsync("kid", Born2014);

        var decision = await host.Games.CheckPlayAsync("kid");

        decision.Reason.Value.Should().Be(reason);
        decision.IsAllowed.Should().Be(reason == "allowed");
    }

    [Fact]
    public async Task Play_InAYearWithNoCalendar_IsDeniedWithAConfigurationReason()
    {
        // A Friday at 20:30 would be allowed if the year had a calendar.
        using var host = new TeenModeHost(TeenModeHost.Local(2027, 3, 5, 20, 30));
        await host.RegisterVerifiedAsync("kid", new DateOnly(2015, 1, 1));

        var decision = await host.Games.CheckPlayAsync("kid");

        decision.IsAllowed.Should().BeFalse();
        decision.Reason.Should().Be(ReasonCode.GameCalendarMissing);
    }

    [Fact]
    public async Task Play_Denied_SaysWhenTheNextWindowOpens()
    {
        // Wednesday 2026-03-04 → Friday 2026-03-06 20:00 Shanghai.
        using var host = new TeenModeHost(TeenModeHost.Local(2026, 3, 4, 10, 0));
        await host.RegisterVerifiedAsync("kid", Born2014);

        var decision = await host.Games.CheckPlayAsync("kid");

        decision.Details.RetryAt.Should().Be(TeenModeHost.Local(2026, 3, 6, 20, 0));
    }

    [Fact]
    public async Task Play_Adult_IsAllowedAnyTime()
    {
        using var host = new TeenModeHost(TeenModeHost.Local(2026, 3, 4, 10, 0));
        await host.RegisterVerifiedAsync("adult", new DateOnly(2000, 1, 1));

        (await host.Games.CheckPlayAsync("adult")).IsAllowed.Should().BeTrue();
    }

    [Fact]
    public async Task Play_UnknownSubject_IsDenied()
    {
        using var host = new TeenModeHost(TeenModeHost.Local(2026, 3, 6, 20, 30));

        (await host.Games.CheckPlayAsync("nobody")).Reason.Should().Be(ReasonCode.UnknownSubject);
    }

    [Fact]
    public async Task TopUp_Under8_IsRefused()
    {
        using var host = new TeenModeHost(TeenModeHost.Local(2026, 3, 4, 10, 0));
        await host.RegisterVerifiedAsync("kid", new DateOnly(2019, 1, 1));

        var result = await host.Games.TopUpAsync(new GameTopUp("kid", "studio-a", 0.01m));

        result.Decision.Reason.Should().Be(ReasonCode.GamePaymentUnder8);
        result.Decision.RequirementIds.Should().Contain("NPPA19-PAY-01");
    }

    [Theory]
    [InlineData(2014, "50.00", "allowed")]
    [InlineData(2014, "50.01", "spend-over-transaction-cap")]
    [InlineData(2009, "100.00", "allowed")]
    [InlineData(2009, "100.01", "spend-over-transaction-cap")]
    public async Task TopUp_PerTransactionCap_DependsOnTheAgeTier(int birthYear, string amount, string reason)
    {
        using var host = new TeenModeHost(TeenModeHost.Local(2026, 3, 4, 10, 0));
        await host.RegisterVerifiedAsync("kid", new DateOnly(birthYear, 1, 1));

        var result = await host.Games.TopUpAsync(new GameTopUp("kid", "studio-a", decimal.Parse(amount, System.Globalization.CultureInfo.InvariantCulture)));

        result.Decision.Reason.Value.Should().Be(reason);
    }

    [Fact]
    public async Task TopUp_RetriedWithTheSameKey_IsCountedAndAuditedOnce()
    {
        using var host = new TeenModeHost(TeenModeHost.Local(2026, 3, 6, 20, 30));
        await host.RegisterVerifiedAsync("kid", Born2014);

        var first = await host.Games.TopUpAsync(new GameTopUp("kid", "studio-a", 50m, "pay-1"));
        var retry = await host.Games.TopUpAsync(new GameTopUp("kid", "studio-a", 50m, "pay-1"));
        var reused = await host.Games.TopUpAsync(new GameTopUp("kid", "studio-a", 30m, "pay-1"));

        first.Decision.IsAllowed.Should().BeTrue();
        first.Replayed.Should().BeFalse();
        retry.Decision.IsAllowed.Should().BeTrue();
        retry.Replayed.Should().BeTrue();
        retry.MonthTotal.Should().Be(50m);
        reused.Decision.Reason.Should().Be(ReasonCode.IdempotencyKeyReused);
        (await host.Audit.ReadAsync(subjectId: "kid")).Count(e => e.Event.Action == "game-top-up").Should().Be(1);
    }

    [Fact]
    public async Task TopUp_MonthlyCap_CountsPerCompanyAndRestartsNextLocalMonth()
    {
        // 23:30 Shanghai on 31 March is still March locally (15:30 UTC).
        using var host = new TeenModeHost(TeenModeHost.Local(2026, 3, 31, 23, 30));
        await host.RegisterVerifiedAsync("kid", Born2014);
        for (var i = 0; i < 4; i++)
        {
            (await host.Games.TopUpAsync(new GameTopUp("kid", "studio-a", 50m))).Decision.IsAllowed.Should().BeTrue();
        }

        var fifth = await host.Games.TopUpAsync(new GameTopUp("kid", "studio-a", 0.01m));
        var otherCompany = await host.Games.TopUpAsync(new GameTopUp("kid", "studio-b", 50m));
        host.Clock.Advance(TimeSpan.FromMinutes(30));
        var nextMonth = await host.Games.TopUpAsync(new GameTopUp("kid", "studio-a", 50m));

        fifth.Decision.Reason.Should().Be(ReasonCode.SpendOverMonthlyCap);
        fifth.MonthTotal.Should().Be(200m);
        fifth.MonthlyCap.Should().Be(200m);
        otherCompany.Decision.IsAllowed.Should().BeTrue();
        nextMonth.Decision.IsAllowed.Should().BeTrue();
        nextMonth.Month.Should().Be("2026-04");
        nextMonth.MonthTotal.Should().Be(50m);
    }

    [Fact]
    public async Task TopUp_Allowed_IsAuditedWithAmountsOnly()
    {
        using var host = new TeenModeHost(TeenModeHost.Local(2026, 3, 4, 10, 0));
        await host.RegisterVerifiedAsync("kid", Born2014);

        await host.Games.TopUpAsync(new GameTopUp("kid", "studio-a", 12.5m));
        await host.Games.TopUpAsync(new GameTopUp("kid", "studio-a", 60m));

        var entries = (await host.Audit.ReadAsync()).Where(e => e.Event.Action == "game-top-up").ToList();
        entries.Should().ContainSingle();
        entries[0].Event.Details.Should().BeEquivalentTo(new Dictionary<string, string>
        {
            ["amount"] = "12.50", ["currency"] = "CNY", ["month"] = "2026-03", ["monthTotal"] = "12.50",
        });
    }

    [Theory]
    [InlineData("0")]
    [InlineData("-1")]
    [InlineData("1.005")]
    public async Task TopUp_BadAmount_Throws(string amount)
    {
        using var host = new TeenModeHost(TeenModeHost.Local(2026, 3, 4, 10, 0));
        await host.RegisterVerifiedAsync("kid", Born2014);

        var act = () => host.Games.TopUpAsync(new GameTopUp("kid", "studio-a", decimal.Parse(amount, System.Globalization.CultureInfo.InvariantCulture)));

        await act.Should().ThrowAsync<ArgumentException>();
    }

    [Fact]
    public async Task TopUp_SixteenParallel_NeverExceedTheMonthlyCap()
    {
        using var host = new TeenModeHost(TeenModeHost.Local(2026, 3, 4, 10, 0));
        await host.RegisterVerifiedAsync("kid", Born2014);

        var results = await Task.WhenAll(Enumerable.Range(0, 16).Select(_ => Task.Run(() => host.Games.TopUpAsync(new GameTopUp("kid", "studio-a", 30m)))));

        // 6 × 30 = 180 fits under 200; a 7th would make 210.
        results.Count(r => r.Decision.IsAllowed).Should().Be(6);
        results.Where(r => !r.Decision.IsAllowed).Should().OnlyContain(r => r.Decision.Reason == ReasonCode.SpendOverMonthlyCap);
    }

    [Fact]
    public async Task TopUp_Adult_IsNotCappedAndNotKept()
    {
        using var host = new TeenModeHost(TeenModeHost.Local(2026, 3, 4, 10, 0));
        await host.RegisterVerifiedAsync("adult", new DateOnly(2000, 1, 1));

        var result = await host.Games.TopUpAsync(new GameTopUp("adult", "studio-a", 5000m));

        result.Decision.Reason.Should().Be(ReasonCode.Allowed);
        result.MonthTotal.Should().BeNull();
        result.MonthlyCap.Should().BeNull();
    }

    [Fact]
    public async Task TopUp_DeclaredBandWithoutBirthDate_UsesTheBandsYoungestAge()
    {
        // Band 16-18 → tier [16,18): 100.00 per top-up.
        using var host = new TeenModeHost(TeenModeHost.Local(2026, 3, 4, 10, 0));
        await host.Subjects.RegisterAsync(new TeenMode.Subjects.SubjectRegistration("teen", DeclaredBand: new AgeBand(16, 18)));
        await host.Services.GetRequiredService<ISubjectStore>().SetRealNameAsync("teen", RealNameStatus.Verified, "pi-teen", birthDate: null);

        (await host.Games.TopUpAsync(new GameTopUp("teen", "studio-a", 100m))).Decision.IsAllowed.Should().BeTrue();
        (await host.Games.TopUpAsync(new GameTopUp("teen", "studio-a", 100.01m))).Decision.Reason.Should().Be(ReasonCode.SpendOverTransactionCap);
    }

    [Theory]
    [InlineData(RealNameStatus.NotChecked)]
    [InlineData(RealNameStatus.Pending)]
    [InlineData(RealNameStatus.Failed)]
    public async Task Play_AndTopUp_WithoutRealNameVerification_AreRefused_InsideThePlayWindowToo(RealNameStatus status)
    {
        // Friday 20:30: a verified 12-year-old could play and pay here.
        using var host = new TeenModeHost(TeenModeHost.Local(2026, 3, 6, 20, 30));
        await host.RegisterAsync("kid", Born2014);
        if (status != RealNameStatus.NotChecked)
        {
            await host.Services.GetRequiredService<ISubjectStore>().SetRealNameAsync("kid", status, null, null);
        }

        var play = await host.Games.CheckPlayAsync("kid");
        var topUp = await host.Games.TopUpAsync(new GameTopUp("kid", "studio-a", 10m));

        play.IsAllowed.Should().BeFalse();
        play.Reason.Should().Be(ReasonCode.RealNameRequired);
        play.RequirementIds.Should().Contain("NPPA21-REAL-01");
        topUp.Decision.Reason.Should().Be(ReasonCode.RealNameRequired);
        topUp.MonthTotal.Should().BeNull("nothing was counted");
    }

    [Fact]
    public async Task Play_UnverifiedAdult_IsRefusedToo()
    {
        // The real-name rule covers every player, not only minors.
        using var host = new TeenModeHost(TeenModeHost.Local(2026, 3, 4, 10, 0));
        await host.RegisterAsync("adult", new DateOnly(2000, 1, 1), teenMode: false);

        (await host.Games.CheckPlayAsync("adult")).Reason.Should().Be(ReasonCode.RealNameRequired);
        (await host.Games.TopUpAsync(new GameTopUp("adult", "studio-a", 10m))).Decision.Reason.Should().Be(ReasonCode.RealNameRequired);

        await host.Services.GetRequiredService<ISubjectStore>().SetRealNameAsync("adult", RealNameStatus.Verified, "pi-a", new DateOnly(2000, 1, 1));
        (await host.Games.CheckPlayAsync("adult")).IsAllowed.Should().BeTrue();
    }
}
