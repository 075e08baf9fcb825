using FluentAssertions;
using TeenMode.ParentalControl;
using Xunit;

namespace TeenMode.Testing;

public abstract partial class StoreContractTests
{
    private static readonly TimeSpan LockFor = TimeSpan.FromMinutes(15);

    [Fact]
    public async Task Lockout_TheThirdAttemptOfThreeLocks_LaterAttemptsAreRefusedUntilTheLockEnds_ThenCountAfresh()
    {
        await using var store = await CreateStoreAsync();

        (await store.Lockouts.TryReserveAttemptAsync("kid", Start, 3, LockFor)).Should().Be(new GuardianAttemptReservation(true, new GuardianLockState(1, null)));
        (await store.Lockouts.TryReserveAttemptAsync("kid", Start.AddSeconds(1), 3, LockFor)).Should().Be(new GuardianAttemptReservation(true, new GuardianLockState(2, null)));
        var third = await store.Lockouts.TryReserveAttemptAsync("kid", Start.AddSeconds(2), 3, LockFor);

        third.Reserved.Should().BeTrue("the last allowed attempt is still checked");
        third.State.LockedUntil.Should().Be(Start.AddSeconds(2) + LockFor);
        (await store.Lockouts.GetLockAsync("kid")).IsLocked(Start.AddMinutes(10)).Should().BeTrue();
        var refused = await store.Lockouts.TryReserveAttemptAsync("kid", Start.AddMinutes(10), 3, LockFor);
        refused.Reserved.Should().BeFalse();
        refused.State.LockedUntil.Should().Be(third.State.LockedUntil, "attempts while locked do not extend the lock");
        (await store.Lockouts.GetLockAsync("other")).Should().Be(GuardianLockState.Clear);
        var after = await store.Lockouts.TryReserveAttemptAsync("kid", Start.AddMinutes(20), 3, LockFor);
        after.Reserved.Should().BeTrue();
        after.State.Failures.Should().Be(1);
        after.State.IsLocked(Start.AddMinutes(20)).Should().BeFalse();
    }

    [Fact]
    public async Task Lockout_ClearForgetsTheFailures()
    {
        await using var store = await CreateStoreAsync();
        await store.Lockouts.TryReserveAttemptAsync("kid", Start, 5, LockFor);
        await store.Lockouts.TryReserveAttemptAsync("kid", Start, 5, LockFor);

        await store.Lockouts.ClearFailuresAsync("kid");

        (await store.Lockouts.GetLockAsync("kid")).Should().Be(GuardianLockState.Clear);
    }

    [Fact]
    public async Task Lockout_ConcurrentAttemptsFromManyDevices_AreAllCounted()
    {
        await using var store = await CreateStoreAsync();

        await Task.WhenAll(Enumerable.Range(0, 8).Select(_ => Task.Run(() => store.Lockouts.TryReserveAttemptAsync("kid", Start, 100, LockFor))));

        (await store.Lockouts.GetLockAsync("kid")).Failures.Should().Be(8);
    }

    [Fact]
    public async Task Lockout_OneHundredParallelAttempts_ReserveExactlyTheLimit()
    {
        await using var store = await CreateStoreAsync();

        var results = await Task.WhenAll(Enumerable.Range(0, 100).Select(_ => Task.Run(() => store.Lockouts.TryReserveAttemptAsync("kid", Start, 5, LockFor))));

        results.Count(r => r.Reserved).Should().Be(5, "the fifth reservation locks, and no attempt after it may be checked");
        (await store.Lockouts.GetLockAsync("kid")).IsLocked(Start).Should().BeTrue();
    }
}
