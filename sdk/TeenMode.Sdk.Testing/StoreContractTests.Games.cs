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
}
