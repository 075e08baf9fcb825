using FluentAssertions;
using TeenMode.ParentalControl;
using Xunit;

namespace TeenMode.Testing;

public abstract partial class StoreContractTests
{
    [Fact]
    public async Task BlockedAttempts_BatchesAddPerDayKindAndReason_AndReadBackByRange()
    {
        await using var store = await CreateStoreAsync();
        var friday = new DateOnly(2026, 3, 6);
        await store.BlockedAttempts.AddAsync(
        [
            new("kid", friday, "usage", ReasonCode.Curfew, 2),
            new("kid", friday, "usage", ReasonCode.DailyLimitReached, 1),
            new("kid", friday.AddDays(1), "usage", ReasonCode.Curfew, 1),
            new("kid", friday.AddDays(5), "usage", ReasonCode.Curfew, 1),
            new("other", friday, "usage", ReasonCode.Curfew, 7),
        ]);

        // A later batch adds to the stored counts; one key twice in a batch counts twice.
        await store.BlockedAttempts.AddAsync(
        [
            new("kid", friday, "usage", ReasonCode.Curfew, 3),
            new("kid", friday, "spend", ReasonCode.SpendOverTransactionCap, 1),
            new("kid", friday, "spend", ReasonCode.SpendOverTransactionCap, 1),
        ]);
        await store.BlockedAttempts.AddAsync([]);

        var rows = await store.BlockedAttempts.GetAsync("kid", friday, friday.AddDays(1));

        rows.Should().Equal(
            new BlockedAttemptCount(friday, "spend", ReasonCode.SpendOverTransactionCap, 2),
            new BlockedAttemptCount(friday, "usage", ReasonCode.Curfew, 5),
            new BlockedAttemptCount(friday, "usage", ReasonCode.DailyLimitReached, 1),
            new BlockedAttemptCount(friday.AddDays(1), "usage", ReasonCode.Curfew, 1));
    }

    [Fact]
    public async Task BlockedAttempts_ABadIncrement_RefusesTheWholeBatch()
    {
        await using var store = await CreateStoreAsync();
        var day = new DateOnly(2026, 3, 6);

        var act = () => store.BlockedAttempts.AddAsync([new("kid", day, "usage", ReasonCode.Curfew, 4), new("kid", day, "usage", ReasonCode.Curfew, 0)]);

        await act.Should().ThrowAsync<ArgumentException>();
        (await store.BlockedAttempts.GetAsync("kid", day, day)).Should().BeEmpty("a batch is added whole or not at all");
    }

    [Fact]
    public async Task BlockedAttempts_ConcurrentBatchesFromManyInstances_AreAllCounted()
    {
        await using var store = await CreateStoreAsync();
        var day = new DateOnly(2026, 3, 6);

        // Sixteen flushes at once over overlapping keys, in different orders: every count lands, none deadlocks for good.
        await Task.WhenAll(Enumerable.Range(0, 16).Select(i => Task.Run(() => store.BlockedAttempts.AddAsync(i % 2 == 0
            ? [new("kid", day, "usage", ReasonCode.Curfew, 1), new("kid", day, "usage", ReasonCode.DailyLimitReached, 2)]
            : [new("kid", day, "usage", ReasonCode.DailyLimitReached, 2), new("kid", day, "usage", ReasonCode.Curfew, 1)]))));

        (await store.BlockedAttempts.GetAsync("kid", day, day)).Select(r => (r.Reason, r.Count))
            .Should().Equal((ReasonCode.Curfew, 16L), (ReasonCode.DailyLimitReached, 32L));
    }
}
