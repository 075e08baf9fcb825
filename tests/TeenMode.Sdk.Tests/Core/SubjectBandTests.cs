using TeenMode.Subjects;

namespace TeenMode.Tests.Core;

public sealed class SubjectBandTests
{
    [Fact]
    public async Task SubjectBand_EighthBirthdayAtShanghaiMidnight_MovesFrom3To8Into8To12()
    {
        // Midnight of 2026-03-06 in Shanghai is 16:00 UTC on the 5th: the UTC date is still the day before.
        using var host = new TeenModeHost(new DateTimeOffset(2026, 3, 5, 16, 0, 0, TimeSpan.Zero).AddSeconds(-1));
        await host.RegisterAsync("kid", new DateOnly(2018, 3, 6));

        var before = await host.Subjects.GetStatusAsync("kid");
        host.Clock.Advance(TimeSpan.FromSeconds(1));
        var onBirthday = await host.Subjects.GetStatusAsync("kid");

        before!.Age.Should().Be(7);
        before.Rules.Band.Id.Should().Be("3-8");
        onBirthday!.Age.Should().Be(8);
        onBirthday.Rules.Band.Id.Should().Be("8-12");
    }

    [Fact]
    public async Task SubjectBand_Feb29BirthdayInACommonYear_TurnsOlderOnMarch1()
    {
        using var host = new TeenModeHost(TeenModeHost.Local(2027, 2, 28, 23, 59, 59));
        await host.RegisterAsync("leapling", new DateOnly(2024, 2, 29));

        var onFeb28 = await host.Subjects.GetStatusAsync("leapling");
        host.Clock.Advance(TimeSpan.FromSeconds(1));
        var onMarch1 = await host.Subjects.GetStatusAsync("leapling");

        onFeb28!.Age.Should().Be(2);
        onFeb28.Rules.Band.Id.Should().Be("0-3");
        onMarch1!.Age.Should().Be(3);
        onMarch1.Rules.Band.Id.Should().Be("3-8");
    }

    [Fact]
    public async Task SubjectBand_Feb29BirthdayInALeapYear_TurnsOlderOnFeb29()
    {
        using var host = new TeenModeHost(TeenModeHost.Local(2028, 2, 28, 23, 59, 59));
        await host.RegisterAsync("leapling", new DateOnly(2020, 2, 29));

        var onFeb28 = await host.Subjects.GetStatusAsync("leapling");
        host.Clock.Advance(TimeSpan.FromSeconds(1));
        var onFeb29 = await host.Subjects.GetStatusAsync("leapling");

        onFeb28!.Rules.Band.Id.Should().Be("3-8");
        onFeb29!.Age.Should().Be(8);
        onFeb29.Rules.Band.Id.Should().Be("8-12");
    }

    [Fact]
    public async Task SubjectBand_UnknownAge_GetsTheMostProtectiveBand0To3()
    {
        using var host = new TeenModeHost(TeenModeHost.Local(2026, 3, 6, 10));
        await host.Subjects.RegisterAsync(new SubjectRegistration("anon", AgeSource: AgeSource.SelfDeclared));

        var status = await host.Subjects.GetStatusAsync("anon");

        status!.Age.Should().BeNull();
        status.Subject.AgeSource.Should().Be(AgeSource.Unknown, "nothing about the age is known");
        status.Rules.Band.Id.Should().Be("0-3");
    }

    [Fact]
    public async Task SubjectBand_DeclaredBandWithoutBirthDate_IsUsed()
    {
        using var host = new TeenModeHost(TeenModeHost.Local(2026, 3, 6, 10));
        await host.Subjects.RegisterAsync(new SubjectRegistration("teen", DeclaredBand: new AgeBand(12, 16), AgeSource: AgeSource.GuardianDeclared));

        var status = await host.Subjects.GetStatusAsync("teen");

        status!.Rules.Band.Id.Should().Be("12-16");
        status.Rules.DailyMinutes.Value.Should().Be(60);
    }

    [Fact]
    public async Task SubjectRegister_SameIdTwice_ReturnsNullAndKeepsTheFirst()
    {
        using var host = new TeenModeHost(TeenModeHost.Local(2026, 3, 6, 10));
        await host.RegisterAsync("kid", new DateOnly(2015, 1, 1));

        var second = await host.Subjects.RegisterAsync(new SubjectRegistration("kid", new DateOnly(2009, 1, 1), TeenMode: false));

        second.Should().BeNull();
        var status = await host.Subjects.GetStatusAsync("kid");
        status!.Subject.BirthDate.Should().Be(new DateOnly(2015, 1, 1));
        status.Subject.TeenMode.Should().BeTrue();
    }

    [Fact]
    public async Task SubjectStatus_UnknownSubject_IsNull()
    {
        using var host = new TeenModeHost(TeenModeHost.Local(2026, 3, 6, 10));

        (await host.Subjects.GetStatusAsync("nobody")).Should().BeNull();
    }

    [Theory]
    [InlineData(7, false)]
    [InlineData(8, true)]
    [InlineData(11, true)]
    [InlineData(12, false)]
    public void AgeBand_IsHalfOpen(int age, bool inside)
    {
        new AgeBand(8, 12).Contains(age).Should().Be(inside);
    }
}
