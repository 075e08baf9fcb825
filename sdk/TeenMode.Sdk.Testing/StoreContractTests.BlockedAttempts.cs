using FluentAssertions;
using TeenMode.ParentalControl;
using Xunit;

namespace TeenMode.Testing;

public abstract partial class StoreContractTests
{
    [Fact]
    public async Task BlockedAttempts_AreCountedPerDayKindAndReason_AndReadBackByRange()
    {
        await using var store = await CreateStoreAsync();
        var friday = new DateOnly(2026, 3, 6);
        await store.BlockedAttempts.RecordAsync("kid", friday, "usage", ReasonCode.Curfew);
        await store.BlockedAttempts.RecordAsync("kid", friday, "usage", ReasonCode.Curfew);
        await store.BlockedAttempts.RecordAsync("kid", friday, "usage", ReasonCode.DailyLimitReached);
        await store.BlockedAttempts.RecordAsync("kid", friday.AddDays(1), "usage", ReasonCode.Curfew);
        await store.BlockedAttempts.RecordAsync("kid", friday.AddDays(5), "usage", ReasonCode.Curfew);
        await store.BlockedAttempts.RecordAsync("other", friday, "usage", ReasonCode.Curfew);

        var rows = await store.BlockedAttempts.GetAsync("kid", friday, friday.AddDays(1));

        rows.Should().Equal(
            new BlockedAttemptCount(friday, "usage", ReasonCode.Curfew, 2),
            new BlockedAttemptCount(friday, "usage", ReasonCode.DailyLimitReached, 1),
            new BlockedAttemptCount(friday.AddDays(1), "usage", ReasonCode.Curfew, 1));
    }

    [Fact]
    public async Task BlockedAttempts_ConcurrentDenialsFromManyDevices_AreAllCounted()
    {
        await using var store = await CreateStoreAsync();
        var day = new DateOnly(2026, 3, 6);

        await Task.WhenAll(Enumerable.Range(0, 16).Select(_ => Task.Run(() => store.BlockedAttempts.RecordAsync("kid", day, "usage", ReasonCode.Curfew))));

        (await store.BlockedAttempts.GetAsync("kid", day, day)).Should().ContainSingle().Which.Count.Should().Be(16);
    }
}
