using Microsoft.Extensions.Time.Testing;
using TeenMode.Tests.Core;

namespace TeenMode.Tests.Testing;

/// <summary>
/// What the SDK's time-based tests assume of their clock, FakeTimeProvider (Microsoft.Extensions.TimeProvider.Testing):
/// pinned here so a package update that changes it fails in one obvious place.
/// </summary>
public sealed class TestClockTests
{
    private static readonly DateTimeOffset Start = new(2026, 3, 6, 12, 0, 0, TimeSpan.Zero);

    [Fact]
    public void Clock_AdvanceAndSet_MoveOnlyWhenTold_AndAdjustTimeMovesBack()
    {
        var clock = new FakeTimeProvider(Start);

        var atStart = clock.GetUtcNow();
        clock.Advance(TimeSpan.FromSeconds(90));
        var advanced = clock.GetUtcNow();
        clock.SetUtcNow(Start.AddMinutes(5));
        var set = clock.GetUtcNow();

        // SetUtcNow only moves forward; AdjustTime is the backward move (like changing a machine's clock).
        clock.AdjustTime(Start.AddDays(-1));

        atStart.Should().Be(Start);
        advanced.Should().Be(Start.AddSeconds(90));
        set.Should().Be(Start.AddMinutes(5));
        clock.GetUtcNow().Should().Be(Start.AddDays(-1));
    }

    [Fact]
    public void TestHosts_StartedAtALocalInstant_AnswerInUtc()
    {
        // FakeTimeProvider keeps the offset it is given; the test hosts hand it UTC, as TimeProvider.System answers.
        using var host = new TeenModeHost(Start.ToOffset(TimeSpan.FromHours(8)));

        var now = host.Clock.GetUtcNow();

        now.Should().Be(Start);
        now.Offset.Should().Be(TimeSpan.Zero);
    }

    [Fact]
    public void Clock_MovingBackwards_Throws()
    {
        var clock = new FakeTimeProvider(Start);

        var back = () => clock.Advance(TimeSpan.FromTicks(-1));
        var setBack = () => clock.SetUtcNow(Start.AddTicks(-1));

        back.Should().Throw<ArgumentOutOfRangeException>();
        setBack.Should().Throw<ArgumentOutOfRangeException>();
    }

    [Fact]
    public void LocalTimeZone_Set_ChangesLocalNow()
    {
        var clock = new FakeTimeProvider(Start);
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
    public void Timestamps_FollowTheFakeClock()
    {
        var clock = new FakeTimeProvider(Start);
        var started = clock.GetTimestamp();

        clock.Advance(TimeSpan.FromMinutes(3));

        clock.GetElapsedTime(started).Should().Be(TimeSpan.FromMinutes(3));
    }

    [Fact]
    public void AutoAdvance_MovesTheClockOnEachRead()
    {
        var clock = new FakeTimeProvider(Start) { AutoAdvanceAmount = TimeSpan.FromSeconds(1) };

        var first = clock.GetUtcNow();
        var second = clock.GetUtcNow();

        first.Should().Be(Start);
        second.Should().Be(Start.AddSeconds(1));
    }

    [Fact]
    public void Timer_OneShot_FiresOnceWhenAdvanceReachesItsDueTimeAndSeesThatTime()
    {
        var clock = new FakeTimeProvider(Start);
        var fired = new List<DateTimeOffset>();
        using var timer = clock.CreateTimer(_ => fired.Add(clock.GetUtcNow()), null, TimeSpan.FromSeconds(10), Timeout.InfiniteTimeSpan);

        clock.Advance(TimeSpan.FromSeconds(9));
        var beforeDue = fired.Count;

        // A callback sees the clock where the Advance stopped, so a test that wants the due instant steps onto it.
        clock.Advance(TimeSpan.FromSeconds(1));
        clock.Advance(TimeSpan.FromSeconds(4));
        clock.Advance(TimeSpan.FromMinutes(5));

        beforeDue.Should().Be(0);
        fired.Should().Equal(Start.AddSeconds(10));
        clock.GetUtcNow().Should().Be(Start.AddSeconds(14).AddMinutes(5));
    }

    [Fact]
    public void Timer_Periodic_RearmsAfterEachFiring()
    {
        var clock = new FakeTimeProvider(Start);
        var fired = new List<DateTimeOffset>();
        using var timer = clock.CreateTimer(_ => fired.Add(clock.GetUtcNow()), null, TimeSpan.FromSeconds(10), TimeSpan.FromSeconds(10));

        for (var i = 0; i < 7; i++)
        {
            clock.Advance(TimeSpan.FromSeconds(5));
        }

        fired.Should().Equal(Start.AddSeconds(10), Start.AddSeconds(20), Start.AddSeconds(30));
    }

    [Fact]
    public void Timers_DueInOneAdvance_FireInDueOrder()
    {
        var clock = new FakeTimeProvider(Start);
        var order = new List<string>();
        using var later = clock.CreateTimer(_ => order.Add("20 s"), null, TimeSpan.FromSeconds(20), Timeout.InfiniteTimeSpan);
        using var sooner = clock.CreateTimer(_ => order.Add("10 s"), null, TimeSpan.FromSeconds(10), Timeout.InfiniteTimeSpan);

        clock.Advance(TimeSpan.FromSeconds(30));

        order.Should().Equal("10 s", "20 s");
    }

    [Fact]
    public void Timer_ChangeAndDispose_RescheduleAndStopIt()
    {
        var clock = new FakeTimeProvider(Start);
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
        var clock = new FakeTimeProvider(Start);
        var count = 0;

        using var timer = clock.CreateTimer(_ => count++, null, TimeSpan.Zero, Timeout.InfiniteTimeSpan);

        count.Should().Be(1);
    }

    [Fact]
    public async Task Delay_OnTheFakeClock_CompletesOnlyAfterAdvance()
    {
        var clock = new FakeTimeProvider(Start);

        var delay = Task.Delay(TimeSpan.FromMinutes(10), clock);
        await Task.Yield();
        var completedEarly = delay.IsCompleted;
        clock.Advance(TimeSpan.FromMinutes(10));
        await delay.WaitAsync(TimeSpan.FromSeconds(5));

        completedEarly.Should().BeFalse();
        delay.IsCompletedSuccessfully.Should().BeTrue();
    }
}
