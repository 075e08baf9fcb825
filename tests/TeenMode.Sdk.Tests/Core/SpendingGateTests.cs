using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using TeenMode.ParentalControl;
using TeenMode.Rules;
using TeenMode.Spending;
using TeenMode.Testing;

namespace TeenMode.Tests.Core;

public sealed class SpendingGateTests
{
    // 17 all through 2026: band 16-18, "other" caps 50 / 100 / 300 (platform defaults in cn-cac-2024).
    private static readonly DateOnly Born2009 = new(2009, 1, 1);

    [Fact]
    public async Task Spend_ExactlyTheTransactionCap_IsAllowed_AndOneCentMoreIsRefused()
    {
        using var host = new TeenModeHost(TeenModeHost.Local(2026, 3, 4, 10, 0));
        await host.RegisterAsync("kid", Born2009);

        var exact = await Gate(host).SpendAsync(new SpendRequest("kid", "other", 50.00m));
        var over = await Gate(host).SpendAsync(new SpendRequest("kid", "other", 50.01m));

        exact.Decision.IsAllowed.Should().BeTrue();
        exact.Spend!.Amount.Should().Be(50m);
        exact.Totals.Should().Be(new SpendTotals(50m, 50m));
        exact.Caps!.Basis.Should().Be(SpendingBasis.PlatformDefault);
        over.Decision.Reason.Should().Be(ReasonCode.SpendOverTransactionCap);
        over.Spend.Should().BeNull();
        over.Totals.Should().Be(new SpendTotals(50m, 50m), "nothing was recorded for the refused payment");
    }

    [Fact]
    public async Task Spend_TheDayCap_ResetsAtMidnightShanghai_NotAtMidnightUtc()
    {
        using var host = new TeenModeHost(TeenModeHost.Local(2026, 3, 4, 23, 59));
        await host.RegisterAsync("kid", Born2009);
        await Gate(host).SpendAsync(new SpendRequest("kid", "other", 50m));
        await Gate(host).SpendAsync(new SpendRequest("kid", "other", 50m));

        var full = await Gate(host).SpendAsync(new SpendRequest("kid", "other", 0.01m));
        host.Clock.Advance(TimeSpan.FromMinutes(1)); // 00:00 in Shanghai is still 16:00 the same day in UTC
        var nextDay = await Gate(host).SpendAsync(new SpendRequest("kid", "other", 0.01m));

        full.Decision.Reason.Should().Be(ReasonCode.SpendOverDailyCap);
        nextDay.Decision.IsAllowed.Should().BeTrue();
        nextDay.LocalDate.Should().Be(new DateOnly(2026, 3, 5));
        nextDay.Totals.Should().Be(new SpendTotals(0.01m, 100.01m));
    }

    [Fact]
    public async Task Spend_TheMonthCap_HoldsAcrossDays_AndResetsOnTheFirst()
    {
        using var host = new TeenModeHost(TeenModeHost.Local(2026, 3, 28, 10, 0));
        await host.RegisterAsync("kid", Born2009);
        for (var day = 0; day < 3; day++)
        {
            (await Gate(host).SpendAsync(new SpendRequest("kid", "other", 50m))).Decision.IsAllowed.Should().BeTrue();
            (await Gate(host).SpendAsync(new SpendRequest("kid", "other", 50m))).Decision.IsAllowed.Should().BeTrue();
            host.Clock.Advance(TimeSpan.FromDays(1));
        }

        // 31 March: nothing spent today, but the month is full; 1 April: a new month.
        var march31 = await Gate(host).SpendAsync(new SpendRequest("kid", "other", 0.01m));
        host.Clock.Advance(TimeSpan.FromDays(1));
        var april = await Gate(host).SpendAsync(new SpendRequest("kid", "other", 0.01m));

        march31.Decision.Reason.Should().Be(ReasonCode.SpendOverMonthlyCap);
        march31.Totals.Should().Be(new SpendTotals(0m, 300m));
        april.Decision.IsAllowed.Should().BeTrue();
        april.Month.Should().Be("2026-04");
    }

    [Theory]
    [InlineData(5)]
    [InlineData(13)]
    [InlineData(17)]
    public async Task Spend_LiveStreamingTip_IsNeverAllowedForAMinor(int age)
    {
        using var host = new TeenModeHost(TeenModeHost.Local(2026, 3, 4, 20, 0));
        await host.RegisterAsync("kid", new DateOnly(2026 - age, 1, 1));

        var tip = await Gate(host).SpendAsync(new SpendRequest("kid", "live-streaming", 0.01m, ItemId: "gift-rocket"));

        tip.Decision.Reason.Should().Be(ReasonCode.SpendingNotAllowed);
        tip.Decision.RequirementIds.Should().Contain("SH-POLICE-01");
    }

    [Fact]
    public async Task Spend_ByAnAdult_IsNotCapped_AndNotKept()
    {
        using var host = new TeenModeHost(TeenModeHost.Local(2026, 3, 4, 20, 0));
        await host.RegisterAsync("adult", new DateOnly(1990, 1, 1));

        var tip = await Gate(host).SpendAsync(new SpendRequest("adult", "live-streaming", 5000m));

        tip.Decision.IsAllowed.Should().BeTrue();
        tip.Caps.Should().BeNull();
        (await Gate(host).GetStatementAsync("adult", DateTimeOffset.MinValue, DateTimeOffset.MaxValue))!.Spends.Should().BeEmpty();
    }

    [Fact]
    public async Task Spend_WithoutABirthDate_InTeenMode_TakesTheMostProtectiveBand()
    {
        using var host = new TeenModeHost(TeenModeHost.Local(2026, 3, 4, 20, 0));
        await host.RegisterAsync("unknown-age");

        (await Gate(host).SpendAsync(new SpendRequest("unknown-age", "education", 1m))).Decision.Reason.Should().Be(ReasonCode.SpendingNotAllowed);
    }

    [Fact]
    public async Task Spend_RetriedWithTheSameKey_CountsOnce_AndTheKeyCannotPayForSomethingElse()
    {
        using var host = new TeenModeHost(TeenModeHost.Local(2026, 3, 4, 10, 0));
        await host.RegisterAsync("kid", Born2009);

        var first = await Gate(host).SpendAsync(new SpendRequest("kid", "video", 30m, IdempotencyKey: "pay-1"));
        var retry = await Gate(host).SpendAsync(new SpendRequest("kid", "video", 30m, IdempotencyKey: "pay-1"));
        var other = await Gate(host).SpendAsync(new SpendRequest("kid", "video", 40m, IdempotencyKey: "pay-1"));

        retry.Replayed.Should().BeTrue();
        retry.Spend!.Id.Should().Be(first.Spend!.Id);
        retry.Totals.Should().Be(new SpendTotals(30m, 30m));
        other.Decision.Reason.Should().Be(ReasonCode.IdempotencyKeyReused);
        (await host.Audit.ReadAsync(subjectId: "kid")).Count(e => e.Event.Action == "spend-recorded").Should().Be(1);
    }

    [Fact]
    public async Task Spend_IsAudited_WithAmountsAndIds_Only()
    {
        using var host = new TeenModeHost(TeenModeHost.Local(2026, 3, 4, 10, 0));
        await host.RegisterAsync("kid", Born2009);

        var spent = await Gate(host).SpendAsync(new SpendRequest("kid", "education", 12.5m, ItemId: "course-7"));

        var entry = (await host.Audit.ReadAsync(subjectId: "kid")).Single(e => e.Event.Action == "spend-recorded");
        entry.Event.Target.Should().Be(spent.Spend!.Id);
        entry.Event.Details!.Should().Contain(new KeyValuePair<string, string>("amount", "12.50"))
            .And.Contain(new KeyValuePair<string, string>("category", "education"))
            .And.Contain(new KeyValuePair<string, string>("dayTotal", "12.50"));
    }

    [Fact]
    public async Task Spend_BadInput_IsAProgrammingError_NamingTheProblem()
    {
        using var host = new TeenModeHost(TeenModeHost.Local(2026, 3, 4, 10, 0));
        await host.RegisterAsync("kid", Born2009);

        await Gate(host).Invoking(g => g.SpendAsync(new SpendRequest("kid", "game", 1m))).Should().ThrowAsync<ArgumentException>().WithMessage("*'game'*");
        await Gate(host).Invoking(g => g.SpendAsync(new SpendRequest("kid", "video", 0.001m))).Should().ThrowAsync<ArgumentException>().WithMessage("*two decimals*");
        (await Gate(host).SpendAsync(new SpendRequest("nobody", "video", 1m))).Decision.Reason.Should().Be(ReasonCode.UnknownSubject);
    }

    [Fact]
    public async Task CapsSource_AGuardianSourcePluggedIn_CanOnlyTightenThePackCaps()
    {
        var clock = new FakeTimeProvider(TeenModeHost.Local(2026, 3, 4, 10, 0).ToUniversalTime());
        var services = new ServiceCollection();
        services.AddSingleton<TimeProvider>(clock);
        services.AddSingleton<ISpendingCapsSource>(sp => new GuardianCaps(new RulePackSpendingCapsSource(sp.GetRequiredService<RulePack>())));
        services.AddTeenMode(o => o.PinIterations = 100_000);
        using var provider = services.BuildServiceProvider();
        await provider.GetRequiredService<Subjects.ISubjectService>().RegisterAsync(new Subjects.SubjectRegistration("kid", Born2009));
        var gate = provider.GetRequiredService<ISpendingGate>();

        var tighter = await gate.SpendAsync(new SpendRequest("kid", "other", 10.01m));
        var looserIgnored = await gate.SpendAsync(new SpendRequest("kid", "education", 100.01m));

        tighter.Decision.Reason.Should().Be(ReasonCode.SpendOverTransactionCap, "the guardian lowered 'other' to 10.00 a payment");
        looserIgnored.Decision.Reason.Should().Be(ReasonCode.SpendOverTransactionCap, "a guardian's 1000.00 cannot raise education's 100.00");
    }

    [Fact]
    public async Task Refund_FullFlow_ReceiptWithDueDate_Idempotent_ApprovalReversesTheTotals()
    {
        using var host = new TeenModeHost(TeenModeHost.Local(2026, 3, 4, 10, 0));
        await host.RegisterAsync("kid", Born2009);
        await host.Parental.BindAsync("kid", "mum", "246810");
        var first = (await Gate(host).SpendAsync(new SpendRequest("kid", "other", 50m))).Spend!;
        await Gate(host).SpendAsync(new SpendRequest("kid", "other", 50m));
        (await Gate(host).SpendAsync(new SpendRequest("kid", "other", 1m))).Decision.Reason.Should().Be(ReasonCode.SpendOverDailyCap);

        var filed = await Desk(host).FileAsync("kid", first.Id, "mum", "没有经过我们同意");
        host.Clock.Advance(TimeSpan.FromHours(1));
        var again = await Desk(host).FileAsync("kid", first.Id, "mum", null);
        var approved = await Desk(host).ApproveAsync(filed.Request!.Id, "staff-1");
        var afterRefund = await Gate(host).SpendAsync(new SpendRequest("kid", "other", 50m));

        filed.Created.Should().BeTrue();
        filed.Request.Status.Should().Be(RefundStatus.Pending);
        filed.Request.DueAt.Should().Be(TeenModeHost.Local(2026, 3, 11, 10, 0), "the default decision period is 7 days");
        again.Created.Should().BeFalse();
        again.Request!.Id.Should().Be(filed.Request.Id);
        approved.Request!.Status.Should().Be(RefundStatus.Approved);
        approved.Request.DecidedAt.Should().Be(TeenModeHost.Local(2026, 3, 4, 11, 0));
        afterRefund.Decision.IsAllowed.Should().BeTrue("the refunded 50.00 no longer counts against the day");
        afterRefund.Totals.Should().Be(new SpendTotals(100m, 100m));
        var statement = await Gate(host).GetStatementAsync("kid", TeenModeHost.Local(2026, 3, 1), TeenModeHost.Local(2026, 4, 1));
        statement!.Spends.Should().HaveCount(3);
        statement.Spends[0].RefundedAt.Should().Be(TeenModeHost.Local(2026, 3, 4, 11, 0));
        statement.Refunds.Should().ContainSingle().Which.Status.Should().Be(RefundStatus.Approved);
        var actions = (await host.Audit.ReadAsync(subjectId: "kid")).Select(e => e.Event.Action).ToList();
        actions.Should().ContainInOrder("refund-requested", "refund-approved");
        actions.Count(a => a == "refund-requested").Should().Be(1);
    }

    [Fact]
    public async Task Refund_DueDate_FollowsThePlatformOption()
    {
        var clock = new FakeTimeProvider(TeenModeHost.Local(2026, 3, 4, 10, 0).ToUniversalTime());
        var services = new ServiceCollection();
        services.AddSingleton<TimeProvider>(clock);
        services.AddTeenMode(o => o.PinIterations = 100_000).ConfigureSpending(o => o.RefundDecisionWithin = TimeSpan.FromDays(2));
        using var provider = services.BuildServiceProvider();
        await provider.GetRequiredService<Subjects.ISubjectService>().RegisterAsync(new Subjects.SubjectRegistration("kid", Born2009));
        await provider.GetRequiredService<IParentalControl>().BindAsync("kid", "dad", "135790");
        var spend = (await provider.GetRequiredService<ISpendingGate>().SpendAsync(new SpendRequest("kid", "video", 5m))).Spend!;

        var filed = await provider.GetRequiredService<IRefundDesk>().FileAsync("kid", spend.Id, "dad", null);

        filed.Request!.DueAt.Should().Be(TeenModeHost.Local(2026, 3, 6, 10, 0));
    }

    [Fact]
    public async Task Refund_Refusal_NeedsAWrittenReason_AndADecidedRequestCannotBeDecidedAgain()
    {
        using var host = new TeenModeHost(TeenModeHost.Local(2026, 3, 4, 10, 0));
        await host.RegisterAsync("kid", Born2009);
        await host.Parental.BindAsync("kid", "mum", "246810");
        var spend = (await Gate(host).SpendAsync(new SpendRequest("kid", "video", 20m))).Spend!;
        var refund = (await Desk(host).FileAsync("kid", spend.Id, "mum", null)).Request!;

        var blank = await Desk(host).RefuseAsync(refund.Id, "staff-1", "  ");
        var refused = await Desk(host).RefuseAsync(refund.Id, "staff-1", "家长事先同意了这笔消费");
        var late = await Desk(host).ApproveAsync(refund.Id, "staff-2");

        blank.Decision.Reason.Should().Be(ReasonCode.RefundReasonRequired);
        blank.Request!.Status.Should().Be(RefundStatus.Pending);
        refused.Request!.Status.Should().Be(RefundStatus.Refused);
        refused.Request.DecisionReason.Should().Be("家长事先同意了这笔消费");
        late.Decision.Reason.Should().Be(ReasonCode.RefundTransitionNotAllowed);
        late.Request!.Status.Should().Be(RefundStatus.Refused);
        (await Gate(host).GetStatementAsync("kid", TeenModeHost.Local(2026, 3, 1), TeenModeHost.Local(2026, 4, 1)))!.Spends.Single().RefundedAt.Should().BeNull();
        var entries = await host.Audit.ReadAsync(subjectId: "kid");
        entries.Should().ContainSingle(e => e.Event.Action == "refund-refused")
            .Which.Event.Details!.Values.Should().NotContain(v => v.Contains("家长"), "free text stays out of the audit log");
    }

    [Fact]
    public async Task Refund_UnknownSpend_OtherSubjectsSpend_OrUnboundGuardian_IsRefusedClearly()
    {
        using var host = new TeenModeHost(TeenModeHost.Local(2026, 3, 4, 10, 0));
        await host.RegisterAsync("kid", Born2009);
        await host.RegisterAsync("sibling", Born2009);
        await host.Parental.BindAsync("kid", "mum", "246810");
        var siblingSpend = (await Gate(host).SpendAsync(new SpendRequest("sibling", "video", 5m))).Spend!;
        var kidSpend = (await Gate(host).SpendAsync(new SpendRequest("kid", "video", 5m))).Spend!;

        (await Desk(host).FileAsync("kid", "spd-nope", "mum", null)).Decision.Reason.Should().Be(ReasonCode.UnknownSpend);
        (await Desk(host).FileAsync("kid", siblingSpend.Id, "mum", null)).Decision.Reason.Should().Be(ReasonCode.UnknownSpend);
        (await Desk(host).FileAsync("kid", kidSpend.Id, "stranger", null)).Decision.Reason.Should().Be(ReasonCode.NoGuardianBound);
        (await Desk(host).ApproveAsync("rfd-nope", "staff-1")).Decision.Reason.Should().Be(ReasonCode.UnknownRefundRequest);
    }

    [Fact]
    public async Task Spend_AGuardiansCapForTheCategory_IsEnforcedByDefault_AndOnlyThatCategory()
    {
        using var host = new TeenModeHost(TeenModeHost.Local(2026, 3, 4, 10, 0));
        await host.RegisterAsync("kid", Born2009);
        await host.Parental.BindAsync("kid", "mum", "246810");
        var settings = host.Services.GetRequiredService<IGuardianSettings>();
        (await settings.UpdateAsync("kid", GuardianCredential.Pin("246810"), s => s with
        {
            SpendingCaps = new Dictionary<string, GuardianSpendingCaps> { ["other"] = new(5.00m, null, 20.00m) },
        })).Decision.IsAllowed.Should().BeTrue();

        var exact = await Gate(host).SpendAsync(new SpendRequest("kid", "other", 5.00m));
        var over = await Gate(host).SpendAsync(new SpendRequest("kid", "other", 5.01m));
        var video = await Gate(host).SpendAsync(new SpendRequest("kid", "video", 30.00m));

        exact.Decision.IsAllowed.Should().BeTrue();
        over.Decision.Reason.Should().Be(ReasonCode.SpendOverTransactionCap);
        over.Decision.RequirementIds.Should().Contain("REG-MINOR-43", "the guardian's cap, not the pack's, refused it");
        over.Caps!.PerDay.Should().Be(100m, "a cap the guardian left open stays the pack's");
        over.Caps.PerMonth.Should().Be(20m);
        video.Decision.IsAllowed.Should().BeTrue("the guardian lowered only the 'other' category");
    }

    // Found by the mutation run (docs/quality.md): dropping the guardian's per-day cap survived every test.
    [Fact]
    public async Task Spend_AGuardiansDayCap_IsEnforced_WhileTheOtherCapsStayThePacks()
    {
        using var host = new TeenModeHost(TeenModeHost.Local(2026, 3, 4, 10, 0));
        await host.RegisterAsync("kid", Born2009);
        await host.Parental.BindAsync("kid", "mum", "246810");
        (await host.Services.GetRequiredService<IGuardianSettings>().UpdateAsync("kid", GuardianCredential.Pin("246810"), s => s with
        {
            SpendingCaps = new Dictionary<string, GuardianSpendingCaps> { ["other"] = new(null, 8.00m, null) },
        })).Decision.IsAllowed.Should().BeTrue();

        var first = await Gate(host).SpendAsync(new SpendRequest("kid", "other", 5.00m));
        var second = await Gate(host).SpendAsync(new SpendRequest("kid", "other", 5.00m));

        first.Decision.IsAllowed.Should().BeTrue();
        second.Decision.Reason.Should().Be(ReasonCode.SpendOverDailyCap, "the guardian allows 8.00 a day and 5.00 is spent");
        second.Caps!.PerDay.Should().Be(8m);
        second.Caps.PerTransaction.Should().Be(50m, "a cap the guardian left open stays the pack's");
    }

    // Found by the mutation run: with one guardian "any bound guardian" and "every bound guardian" cannot be told apart.
    [Fact]
    public async Task Refund_EitherOfTwoBoundGuardians_MayFile_AndAReasonOfExactlyTheLimitIsTaken()
    {
        using var host = new TeenModeHost(TeenModeHost.Local(2026, 3, 4, 10, 0));
        await host.RegisterAsync("kid", Born2009);
        await host.Parental.BindAsync("kid", "mum", "246810");
        await host.Parental.BindAsync("kid", "dad", "135790", existingGuardianPin: "246810");
        var spend = (await Gate(host).SpendAsync(new SpendRequest("kid", "video", 5m))).Spend!;

        var byDad = await Desk(host).FileAsync("kid", spend.Id, "dad", new string('x', new SpendingOptions().MaxReasonLength));

        byDad.Decision.IsAllowed.Should().BeTrue("dad is bound too");
        await Desk(host).Invoking(d => d.FileAsync("kid", spend.Id, "mum", new string('x', new SpendingOptions().MaxReasonLength + 1)))
            .Should().ThrowAsync<ArgumentException>();
    }

    [Theory]
    [InlineData("0")]
    [InlineData("-1.00")]
    public async Task Spend_ANonPositiveAmount_IsAProgrammingError(string amount)
    {
        using var host = new TeenModeHost(TeenModeHost.Local(2026, 3, 4, 10, 0));
        await host.RegisterAsync("kid", Born2009);

        await Gate(host).Invoking(g => g.SpendAsync(new SpendRequest("kid", "video", decimal.Parse(amount, System.Globalization.CultureInfo.InvariantCulture))))
            .Should().ThrowAsync<ArgumentException>().WithMessage("*positive*");
    }

    private static ISpendingGate Gate(TeenModeHost host) => host.Services.GetRequiredService<ISpendingGate>();

    private static IRefundDesk Desk(TeenModeHost host) => host.Services.GetRequiredService<IRefundDesk>();

    // A stand-in for guardian settings: 'other' lowered to 10.00 a payment; education "raised" to 1000.00, which must not stick.
    private sealed class GuardianCaps(ISpendingCapsSource pack) : ISpendingCapsSource
    {
        public async Task<SpendingCaps> GetCapsAsync(string subjectId, AgeBand band, string category, CancellationToken cancellationToken = default)
        {
            var caps = await pack.GetCapsAsync(subjectId, band, category, cancellationToken);
            var guardian = category == "other"
                ? caps with { PerTransaction = 10m }
                : caps with { PerTransaction = 1000m, PerDay = 1000m, PerMonth = 1000m };
            return caps.Tighten(guardian);
        }
    }
}
