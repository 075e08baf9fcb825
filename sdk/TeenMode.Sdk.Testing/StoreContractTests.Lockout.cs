using FluentAssertions;
using TeenMode.ParentalControl;
using Xunit;

namespace TeenMode.Testing;

public abstract partial class StoreContractTests
{
    private static readonly TimeSpan LockFor = TimeSpan.FromMinutes(15);

    [Fact]
    public async Task Lockout_TheThirdFailureOfThreeLocks_UntilTheLockEnds_ThenCountsAfresh()
    {
        await using var store = await CreateStoreAsync();

        (await store.Lockouts.RecordFailureAsync("kid", Start, 3, LockFor)).Should().Be(new GuardianLockState(1, null));
        (await store.Lockouts.RecordFailureAsync("kid", Start.AddSeconds(1), 3, LockFor)).Should().Be(new GuardianLockState(2, null));
        var locked = await store.Lockouts.RecordFailureAsync("kid", Start.AddSeconds(2), 3, LockFor);

        locked.LockedUntil.Should().Be(Start.AddSeconds(2) + LockFor);
        (await store.Lockouts.GetLockAsync("kid")).IsLocked(Start.AddMinutes(10)).Should().BeTrue();
        (await store.Lockouts.RecordFailureAsync("kid", Start.AddMinutes(10), 3, LockFor)).LockedUntil.Should().Be(locked.LockedUntil, "failures while locked do not extend the lock");
        (await store.Lockouts.GetLockAsync("other")).Should().Be(GuardianLockState.Clear);
        var after = await store.Lockouts.RecordFailureAsync("kid", Start.AddMinutes(20), 3, LockFor);
        after.Failures.Should().Be(1);
        after.IsLocked(Start.AddMinutes(20)).Should().BeFalse();
    }

    [Fact]
    public async Task Lockout_ClearForgetsTheFailures()
    {
        await using var store = await CreateStoreAsync();
        await store.Lockouts.RecordFailureAsync("kid", Start, 5, LockFor);
        await store.Lockouts.RecordFailureAsync("kid", Start, 5, LockFor);

        await store.Lockouts.ClearFailuresAsync("kid");

        (await store.Lockouts.GetLockAsync("kid")).Should().Be(GuardianLockState.Clear);
    }

    [Fact]
    public async Task Lockout_ConcurrentFailuresFromManyDevices_AreAllCounted()
    {
        await using var store = await CreateStoreAsync();

        await Task.WhenAll(Enumerable.Range(0, 8).Select(_ => Task.Run(() => store.Lockouts.RecordFailureAsync("kid", Start, 100, LockFor))));

        (await store.Lockouts.GetLockAsync("kid")).Failures.Should().Be(8);
    }
}
