using TeenMode.Testing;

namespace TeenMode.Tests.Testing;

public sealed class ManualTimeProviderTests
{
    private static readonly DateTimeOffset Start = new(2026, 3, 6, 12, 0, 0, TimeSpan.Zero);

    [Fact]
    public void Clock_AdvanceAndSet_MoveOnlyWhenTold()
    {
        var clock = new ManualTimeProvider(Start.ToOffset(TimeSpan.FromHours(8)));

        var atStart = clock.GetUtcNow();
        clock.Advance(TimeSpan.FromSeconds(90));
        var advanced = clock.GetUtcNow();
        clock.SetUtcNow(Start.AddDays(-1));

        atStart.Should().Be(Start);
        atStart.Offset.Should().Be(TimeSpan.Zero);
        advanced.Should().Be(Start.AddSeconds(90));
        clock.GetUtcNow().Should().Be(Start.AddDays(-1));
    }

    [Fact]
    public void Clock_AdvanceBackwards_Throws()
    {
        var clock = new ManualTimeProvider(Start);

        var back = () => clock.Advance(TimeSpan.FromTicks(-1));

        back.Should().Throw<ArgumentOutOfRangeException>();
    }

    [Fact]
    public void LocalTimeZone_Set_ChangesLocalNow()
    {
        var clock = new ManualTimeProvider(Start);
        var shanghai = TimeZoneInfo.FindSystemTimeZoneById("Asia/Shanghai");

        var before = clock.GetLocalNow();
        clock.SetLocalTimeZone(shanghai);
        var after = clock.GetLocalNow();

        before.Offset.Should().Be(TimeSpan.Zero);
        clock.LocalTimeZone.Should().Be(shanghai);
        after.Offset.Should().Be(TimeSpan.FromHours(8));
        after.Hour.Should().Be(20);
    }

    [Fact]
    public void Timestamps_FollowTheManualClock()
    {
        var clock = new ManualTimeProvider(Start);
        var started = clock.GetTimestamp();

        clock.Advance(TimeSpan.FromMinutes(3));

        clock.GetElapsedTime(started).Should().Be(TimeSpan.FromMinutes(3));
    }

    [Fact]
    public void Timer_OneShot_FiresOnceWhenAdvancePassesItsDueTimeAndSeesThatTime()
    {
        var clock = new ManualTimeProvider(Start);
        var fired = new List<DateTimeOffset>();
        using var timer = clock.CreateTimer(_ => fired.Add(clock.GetUtcNow()), null, TimeSpan.FromSeconds(10), Timeout.InfiniteTimeSpan);

        clock.Advance(TimeSpan.FromSeconds(9));
        var beforeDue = fired.Count;
        clock.Advance(TimeSpan.FromSeconds(5));
        clock.Advance(TimeSpan.FromMinutes(5));

        beforeDue.Should().Be(0);
        fired.Should().Equal(Start.AddSeconds(10));
        clock.GetUtcNow().Should().Be(Start.AddSeconds(14).AddMinutes(5));
    }

    [Fact]
    public void Timer_Periodic_RearmsAfterEachFiring()
    {
        var clock = new ManualTimeProvider(Start);
        var fired = new List<DateTimeOffset>();
        using var timer = clock.CreateTimer(_ => fired.Add(clock.GetUtcNow()), null, TimeSpan.FromSeconds(10), TimeSpan.FromSeconds(10));

        clock.Advance(TimeSpan.FromSeconds(35));

        fired.Should().Equal(Start.AddSeconds(10), Start.AddSeconds(20), Start.AddSeconds(30));
    }

    [Fact]
    public void Timer_ChangeAndDispose_RescheduleAndStopIt()
    {
        var clock = new ManualTimeProvider(Start);
        var count = 0;
        var timer = clock.CreateTimer(_ => count++, null, TimeSpan.FromSeconds(10), Timeout.InfiniteTimeSpan);

        timer.Change(TimeSpan.FromSeconds(30), Timeout.InfiniteTimeSpan).Should().BeTrue();
        clock.Advance(TimeSpan.FromSeconds(20));
        var afterOldDue = count;
        clock.Advance(TimeSpan.FromSeconds(10));
        var afterNewDue = count;
        timer.Change(TimeSpan.FromSeconds(5), TimeSpan.FromSeconds(5));
        timer.Dispose();
        clock.Advance(TimeSpan.FromMinutes(1));

        afterOldDue.Should().Be(0);
        afterNewDue.Should().Be(1);
        count.Should().Be(1);
        timer.Change(TimeSpan.Zero, Timeout.InfiniteTimeSpan).Should().BeFalse();
    }

    [Fact]
    public void Timer_DueNow_FiresImmediately()
    {
        var clock = new ManualTimeProvider(Start);
        var count = 0;

        using var timer = clock.CreateTimer(_ => count++, null, TimeSpan.Zero, Timeout.InfiniteTimeSpan);

        count.Should().Be(1);
    }

    [Fact]
    public async Task Delay_OnTheManualClock_CompletesOnlyAfterAdvance()
    {
        var clock = new ManualTimeProvider(Start);

        var delay = Task.Delay(TimeSpan.FromMinutes(10), clock);
        await Task.Yield();
        var completedEarly = delay.IsCompleted;
        clock.Advance(TimeSpan.FromMinutes(10));
        await delay.WaitAsync(TimeSpan.FromSeconds(5));

        completedEarly.Should().BeFalse();
        delay.IsCompletedSuccessfully.Should().BeTrue();
    }
}
