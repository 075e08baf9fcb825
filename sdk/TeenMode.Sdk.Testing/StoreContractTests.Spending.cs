using FluentAssertions;
using TeenMode.Rules;
using TeenMode.Spending;
using Xunit;

namespace TeenMode.Testing;

// Spending outside games and refunds (issue 3): check-and-record is atomic per subject, totals exclude refunds,
// and refund decisions are compare-and-set.
public abstract partial class StoreContractTests
{
    private static readonly DateTimeOffset SpendAt = new(2026, 3, 4, 10, 0, 0, TimeSpan.FromHours(8));
    private static readonly DateOnly SpendDay = new(2026, 3, 4);
    private static readonly SpendLimit Unlimited = new(1_000_000m, 1_000_000m);

    [Fact]
    public async Task Spending_SixteenParallelPurchases_NeverExceedTheMonthlyCap()
    {
        await using var store = await CreateStoreAsync();
        var caps = Caps(perTransaction: 50m, perDay: 1000m, perMonth: 200m);

        var results = await Task.WhenAll(Enumerable.Range(0, 16).Select(i =>
            Task.Run(() => store.Spending.TryRecordSpendAsync(Spend($"spd-{i}", 30m), SpendLimit.Of(caps)))));

        // 6 × 30 = 180; a 7th would make 210.
        results.Count(r => r.Spend is not null).Should().Be(6);
        results.Where(r => r.Spend is null).Should().OnlyContain(r => r.Totals.Month + 30m > 200m, "each refusal reports the totals that refused it");
        (await store.Spending.GetTotalsAsync("kid", "video", SpendDay, "2026-03")).Should().Be(new SpendTotals(180m, 180m));
    }

    [Fact]
    public async Task Spending_SixteenParallelPurchases_NeverExceedTheDailyCap()
    {
        await using var store = await CreateStoreAsync();
        var caps = Caps(perTransaction: 50m, perDay: 100m, perMonth: 1000m);

        var results = await Task.WhenAll(Enumerable.Range(0, 16).Select(i =>
            Task.Run(() => store.Spending.TryRecordSpendAsync(Spend($"spd-{i}", 30m), SpendLimit.Of(caps)))));

        results.Count(r => r.Spend is not null).Should().Be(3);
        results.Where(r => r.Spend is null).Should().OnlyContain(r => r.Totals.Day + 30m > 100m, "each refusal reports the totals that refused it");
        (await store.Spending.GetTotalsAsync("kid", "video", SpendDay, "2026-03")).Should().Be(new SpendTotals(90m, 90m));
    }

    [Fact]
    public async Task Spending_EightConcurrentRetriesOfOnePayment_RecordOnce()
    {
        await using var store = await CreateStoreAsync();
        var caps = Caps(50m, 100m, 300m);

        var results = await Task.WhenAll(Enumerable.Range(0, 8).Select(i =>
            Task.Run(() => store.Spending.TryRecordSpendAsync(Spend($"spd-{i}", 20m, key: "pay-1"), SpendLimit.Of(caps)))));

        results.Count(r => !r.Replayed).Should().Be(1);
        results.Select(r => r.Spend!.Id).Distinct().Should().ContainSingle();
        (await store.Spending.GetTotalsAsync("kid", "video", SpendDay, "2026-03")).Should().Be(new SpendTotals(20m, 20m));
        var conflict = await store.Spending.TryRecordSpendAsync(Spend("spd-x", 25m, key: "pay-1"), SpendLimit.Of(caps));
        conflict.KeyConflict.Should().BeTrue();
        conflict.Spend.Should().BeNull();
    }

    [Fact]
    public async Task Spending_TotalsAreKeptPerSubjectCategoryDayAndMonth_AndRoundTripExactly()
    {
        await using var store = await CreateStoreAsync();
        var allow = Unlimited;
        await store.Spending.TryRecordSpendAsync(Spend("spd-1", 19.99m), allow);
        await store.Spending.TryRecordSpendAsync(Spend("spd-2", 0.01m, category: "education"), allow);
        await store.Spending.TryRecordSpendAsync(Spend("spd-3", 5m, subject: "other-kid"), allow);
        await store.Spending.TryRecordSpendAsync(Spend("spd-4", 7m, at: SpendAt.AddDays(1)), allow);
        await store.Spending.TryRecordSpendAsync(Spend("spd-5", 9m, at: SpendAt.AddMonths(1)), allow);

        (await store.Spending.GetTotalsAsync("kid", "video", SpendDay, "2026-03")).Should().Be(new SpendTotals(19.99m, 26.99m));
        (await store.Spending.GetTotalsAsync("kid", "education", SpendDay, "2026-03")).Should().Be(new SpendTotals(0.01m, 0.01m));
        (await store.Spending.GetTotalsAsync("nobody", "video", SpendDay, "2026-03")).Should().Be(SpendTotals.Zero);
        var stored = await store.Spending.GetSpendAsync("spd-1");
        stored.Should().BeEquivalentTo(Spend("spd-1", 19.99m));
        (await store.Spending.GetSpendAsync("spd-nope")).Should().BeNull();
    }

    [Fact]
    public async Task Spending_List_ReturnsTheSubjectsSpendsInTheHalfOpenRange_OldestFirst()
    {
        await using var store = await CreateStoreAsync();
        var allow = Unlimited;
        await store.Spending.TryRecordSpendAsync(Spend("spd-2", 2m, at: SpendAt.AddHours(2)), allow);
        await store.Spending.TryRecordSpendAsync(Spend("spd-1", 1m, at: SpendAt), allow);
        await store.Spending.TryRecordSpendAsync(Spend("spd-3", 3m, at: SpendAt.AddHours(3)), allow);
        await store.Spending.TryRecordSpendAsync(Spend("spd-9", 9m, subject: "other-kid"), allow);

        var list = await store.Spending.ListSpendsAsync("kid", SpendAt, SpendAt.AddHours(3));

        list.Select(s => s.Id).Should().Equal("spd-1", "spd-2");
    }

    [Fact]
    public async Task Refund_OnePerSpend_AndApprovalReversesTheSpendInTheTotals()
    {
        await using var store = await CreateStoreAsync();
        await store.Spending.TryRecordSpendAsync(Spend("spd-1", 40m), Unlimited);
        await store.Spending.TryRecordSpendAsync(Spend("spd-2", 10m), Unlimited);

        var (first, created) = await store.Spending.AddRefundRequestAsync(Refund("rfd-1", "spd-1"));
        var (second, createdAgain) = await store.Spending.AddRefundRequestAsync(Refund("rfd-2", "spd-1"));
        var approved = await store.Spending.DecideRefundAsync("rfd-1", RefundStatus.Approved, "staff-1", null, SpendAt.AddHours(1));

        created.Should().BeTrue();
        createdAgain.Should().BeFalse();
        second.Should().BeEquivalentTo(first);
        approved!.Status.Should().Be(RefundStatus.Approved);
        approved.DecidedAt.Should().Be(SpendAt.AddHours(1));
        (await store.Spending.GetSpendAsync("spd-1"))!.RefundedAt.Should().Be(SpendAt.AddHours(1));
        (await store.Spending.GetTotalsAsync("kid", "video", SpendDay, "2026-03")).Should().Be(new SpendTotals(10m, 10m));
        (await store.Spending.ListRefundRequestsAsync("kid", SpendAt, SpendAt.AddDays(1))).Should().ContainSingle().Which.Id.Should().Be("rfd-1");
    }

    [Fact]
    public async Task Refund_ConcurrentApproveAndRefuse_ExactlyOneWins()
    {
        await using var store = await CreateStoreAsync();
        await store.Spending.TryRecordSpendAsync(Spend("spd-1", 40m), Unlimited);
        await store.Spending.AddRefundRequestAsync(Refund("rfd-1", "spd-1"));

        var results = await Task.WhenAll(Enumerable.Range(0, 8).Select(i => Task.Run(() =>
            store.Spending.DecideRefundAsync("rfd-1", i % 2 == 0 ? RefundStatus.Approved : RefundStatus.Refused, $"staff-{i}", i % 2 == 0 ? null : "no", SpendAt))));

        results.Count(r => r is not null).Should().Be(1);
        var winner = results.Single(r => r is not null)!;
        (await store.Spending.GetRefundRequestAsync("rfd-1")).Should().BeEquivalentTo(winner);
        (await store.Spending.GetSpendAsync("spd-1"))!.RefundedAt.Should().Be(winner.Status == RefundStatus.Approved ? SpendAt : null);
        (await store.Spending.DecideRefundAsync("rfd-nope", RefundStatus.Approved, "staff", null, SpendAt)).Should().BeNull();
    }

    private static SpendingCaps Caps(decimal perTransaction, decimal perDay, decimal perMonth) =>
        new(perTransaction, perDay, perMonth, SpendingBasis.PlatformDefault, ["REG-MINOR-44"]);

    private static SpendRecord Spend(string id, decimal amount, string subject = "kid", string category = "video", DateTimeOffset? at = null, string? key = null)
    {
        var when = at ?? SpendAt;
        var local = when.ToOffset(TimeSpan.FromHours(8));
        return new SpendRecord(id, subject, category, amount, "CNY", "item-1", when, DateOnly.FromDateTime(local.DateTime),
            local.ToString("yyyy-MM", System.Globalization.CultureInfo.InvariantCulture), key);
    }

    private static RefundRequest Refund(string id, string spendId) =>
        new(id, spendId, "kid", "mum", "没有同意", 40m, RefundStatus.Pending, SpendAt, SpendAt.AddDays(7));
}
