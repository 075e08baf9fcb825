using TeenMode.AntiAddiction;
using FluentAssertions;
using Xunit;

namespace TeenMode.Testing;

// Game spending (issue 3): the monthly total is exact money and check-and-add is atomic.
public abstract partial class StoreContractTests
{
    [Fact]
    public async Task GameSpend_SixteenParallelTopUps_NeverExceedTheMonthlyCap()
    {
        await using var store = await CreateStoreAsync();

        var results = await Task.WhenAll(Enumerable.Range(0, 16).Select(_ =>
            Task.Run(() => store.GameSpend.TryAddSpendAsync("kid", "studio-a", "2026-03", 30m, 200m))));

        // 6 × 30 = 180; a 7th would make 210.
        results.Count(r => r.Added).Should().Be(6);
        (await store.GameSpend.GetSpendAsync("kid", "studio-a", "2026-03")).Should().Be(180m);
    }

    [Fact]
    public async Task GameSpend_ReachingTheCapExactly_IsAllowed_AndOneCentMoreIsNot()
    {
        await using var store = await CreateStoreAsync();

        var first = await store.GameSpend.TryAddSpendAsync("kid", "studio-a", "2026-03", 199.99m, 200m);
        var exact = await store.GameSpend.TryAddSpendAsync("kid", "studio-a", "2026-03", 0.01m, 200m);
        var over = await store.GameSpend.TryAddSpendAsync("kid", "studio-a", "2026-03", 0.01m, 200m);

        first.Should().Be((true, 199.99m));
        exact.Should().Be((true, 200m));
        over.Should().Be((false, 200m));
    }

    [Fact]
    public async Task GameSpend_IsKeptPerSubjectCompanyAndMonth()
    {
        await using var store = await CreateStoreAsync();
        await store.GameSpend.TryAddSpendAsync("kid", "studio-a", "2026-03", 50m, 200m);

        (await store.GameSpend.TryAddSpendAsync("kid", "studio-b", "2026-03", 0.10m, 200m)).Total.Should().Be(0.10m);
        (await store.GameSpend.TryAddSpendAsync("kid", "studio-a", "2026-04", 0.20m, 200m)).Total.Should().Be(0.20m);
        (await store.GameSpend.TryAddSpendAsync("other", "studio-a", "2026-03", 0.30m, 200m)).Total.Should().Be(0.30m);
        (await store.GameSpend.GetSpendAsync("kid", "studio-a", "2026-03")).Should().Be(50m);
        (await store.GameSpend.GetSpendAsync("nobody", "studio-a", "2026-03")).Should().Be(0m);
    }

    [Fact]
    public async Task GameSpend_WithoutACap_AlwaysAdds()
    {
        await using var store = await CreateStoreAsync();

        await store.GameSpend.TryAddSpendAsync("adult", "studio-a", "2026-03", 5000m, null);
        var second = await store.GameSpend.TryAddSpendAsync("adult", "studio-a", "2026-03", 0.01m, null);

        second.Should().Be((true, 5000.01m));
    }

    [Fact]
    public async Task GameSpend_SameIdempotencyKey_CountsOnce_AndAnsweredTheSame()
    {
        await using var store = await CreateStoreAsync();

        var first = await store.GameSpend.TryAddSpendOnceAsync("kid", "studio-a", "2026-03", 50m, 200m, "pay-1");
        var retry = await store.GameSpend.TryAddSpendOnceAsync("kid", "studio-a", "2026-03", 50m, 200m, "pay-1");
        var other = await store.GameSpend.TryAddSpendOnceAsync("kid", "studio-a", "2026-03", 20m, 200m, "pay-2");

        first.Should().Be(new GameSpendOutcome(true, 50m, Replayed: false, KeyConflict: false));
        retry.Should().Be(new GameSpendOutcome(true, 50m, Replayed: true, KeyConflict: false));
        other.Total.Should().Be(70m);
        (await store.GameSpend.GetSpendAsync("kid", "studio-a", "2026-03")).Should().Be(70m);
    }

    [Fact]
    public async Task GameSpend_KeyReusedForAnotherAmount_IsAConflict_AndCountsNothing()
    {
        await using var store = await CreateStoreAsync();
        await store.GameSpend.TryAddSpendOnceAsync("kid", "studio-a", "2026-03", 50m, 200m, "pay-1");

        var reused = await store.GameSpend.TryAddSpendOnceAsync("kid", "studio-a", "2026-03", 60m, 200m, "pay-1");

        reused.KeyConflict.Should().BeTrue();
        reused.Added.Should().BeFalse();
        (await store.GameSpend.GetSpendAsync("kid", "studio-a", "2026-03")).Should().Be(50m);
    }

    [Fact]
    public async Task GameSpend_EightConcurrentRetriesOfOnePayment_CountOnce()
    {
        await using var store = await CreateStoreAsync();

        var results = await Task.WhenAll(Enumerable.Range(0, 8).Select(_ =>
            Task.Run(() => store.GameSpend.TryAddSpendOnceAsync("kid", "studio-a", "2026-03", 50m, 200m, "pay-1"))));

        results.Count(r => !r.Replayed).Should().Be(1);
        results.Should().OnlyContain(r => r.Added && r.Total == 50m);
        (await store.GameSpend.GetSpendAsync("kid", "studio-a", "2026-03")).Should().Be(50m);
    }
}
