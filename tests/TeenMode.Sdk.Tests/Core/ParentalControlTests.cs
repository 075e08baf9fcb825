using System.Text;
using Microsoft.Extensions.DependencyInjection;
using TeenMode.ParentalControl;

namespace TeenMode.Tests.Core;

public sealed class ParentalControlTests
{
    private static readonly DateOnly Born2013 = new(2013, 1, 1);

    [Fact]
    public async Task ExitTeenMode_NoGuardianBound_IsDeniedAndStaysOn()
    {
        using var host = new TeenModeHost(TeenModeHost.Local(2026, 3, 6, 10));
        await host.RegisterAsync("kid", Born2013);

        var decision = await host.Parental.ExitTeenModeAsync("kid", "1234");

        decision.Reason.Should().Be(ReasonCode.NoGuardianBound);
        decision.RequirementIds.Should().Contain("CAC-MM-EXIT-01");
        (await host.Subjects.GetStatusAsync("kid"))!.Subject.TeenMode.Should().BeTrue();
    }

    [Fact]
    public async Task ExitTeenMode_WrongPin_IsDeniedAndStaysOn()
    {
        using var host = new TeenModeHost(TeenModeHost.Local(2026, 3, 6, 10));
        await host.RegisterAsync("kid", Born2013);
        await host.Parental.BindAsync("kid", "mum", "2468");

        var decision = await host.Parental.ExitTeenModeAsync("kid", "1357");

        decision.Outcome.Should().Be(Outcome.Deny);
        decision.Reason.Should().Be(ReasonCode.GuardianVerificationFailed);
        (await host.Subjects.GetStatusAsync("kid"))!.Subject.TeenMode.Should().BeTrue();
        (await host.Usage.CheckAsync("kid")).Reason.Should().NotBe(ReasonCode.TeenModeOff);
    }

    [Fact]
    public async Task Audit_RecordsBindingFailedAttemptAndExit_ByWhichGuardian_WithoutThePin()
    {
        using var host = new TeenModeHost(TeenModeHost.Local(2026, 3, 6, 10));
        await host.RegisterAsync("kid", Born2013);
        await host.Parental.BindAsync("kid", "mum", "2468");
        await host.Parental.BindAsync("kid", "dad", "8642", existingGuardianPin: "2468");

        await host.Parental.ExitTeenModeAsync("kid", "1357");
        await host.Parental.ExitTeenModeAsync("kid", "8642");

        var log = await host.Audit.ReadAsync(subjectId: "kid");
        log.Select(e => (e.Event.Actor, e.Event.Action)).Should().Equal(
            ("subject:kid", "guardian-binding-started"),
            ("guardian:mum", "guardian-bound"),
            ("subject:kid", "guardian-binding-started"),
            ("guardian:dad", "guardian-bound"),
            ("subject:kid", "guardian-verification-failed"),
            ("guardian:dad", "teen-mode-exited"));
        log.Should().OnlyContain(e => !Newtonsoft.Json.JsonConvert.SerializeObject(e).Contains("1357", StringComparison.Ordinal));
        (await host.Audit.VerifyAsync()).Valid.Should().BeTrue();
    }

    [Fact]
    public async Task RepeatedWrongPins_LockVerification_EvenForTheRightPin_UntilTheLockEnds()
    {
        using var host = new TeenModeHost(TeenModeHost.Local(2026, 3, 6, 10));
        await host.RegisterAsync("kid", Born2013);
        await host.Parental.BindAsync("kid", "mum", "2468");

        var wrong = new List<Decision>();
        for (var i = 0; i < 5; i++)
        {
            wrong.Add(await host.Parental.ExitTeenModeAsync("kid", "000" + i));
        }

        var rightWhileLocked = await host.Parental.ExitTeenModeAsync("kid", "2468");
        host.Clock.Advance(TimeSpan.FromMinutes(15));
        var rightAfter = await host.Parental.ExitTeenModeAsync("kid", "2468");

        wrong.Should().OnlyContain(d => d.Reason == ReasonCode.GuardianVerificationFailed);
        wrong[4].Details.RetryAt.Should().Be(host.Clock.GetUtcNow(), "the fifth failure locks for 15 minutes, which have just passed");
        rightWhileLocked.Reason.Should().Be(ReasonCode.GuardianLockedOut);
        rightWhileLocked.Details.RetryAt.Should().Be(host.Clock.GetUtcNow());
        rightAfter.IsAllowed.Should().BeTrue();
        (await host.Audit.ReadAsync(subjectId: "kid")).Should().Contain(e => e.Event.Action == "guardian-verification-locked");
    }

    [Fact]
    public async Task ASuccess_ResetsTheFailureCount()
    {
        using var host = new TeenModeHost(TeenModeHost.Local(2026, 3, 6, 10));
        await host.RegisterAsync("kid", Born2013);
        await host.Parental.BindAsync("kid", "mum", "2468");
        for (var i = 0; i < 4; i++)
        {
            await host.Parental.ExitTeenModeAsync("kid", "0000");
        }

        (await host.Parental.EnterTeenModeAsync("kid")).IsAllowed.Should().BeTrue();
        (await host.Parental.ExitTeenModeAsync("kid", "2468")).IsAllowed.Should().BeTrue();
        await host.Parental.EnterTeenModeAsync("kid");
        for (var i = 0; i < 4; i++)
        {
            await host.Parental.ExitTeenModeAsync("kid", "0000");
        }

        (await host.Parental.ExitTeenModeAsync("kid", "2468")).IsAllowed.Should().BeTrue("four failures after a success do not lock");
    }

    [Fact]
    public async Task ExitTeenMode_NoPin_AsksForVerification()
    {
        using var host = new TeenModeHost(TeenModeHost.Local(2026, 3, 6, 10));
        await host.RegisterAsync("kid", Born2013);
        await host.Parental.BindAsync("kid", "mum", "2468");

        (await host.Parental.ExitTeenModeAsync("kid", "")).Reason.Should().Be(ReasonCode.GuardianVerificationRequired);
    }

    [Fact]
    public async Task ExitTeenMode_RightPin_TurnsTeenModeOff()
    {
        using var host = new TeenModeHost(TeenModeHost.Local(2026, 3, 6, 10));
        await host.RegisterAsync("kid", Born2013);
        await host.Parental.BindAsync("kid", "mum", "2468");

        var decision = await host.Parental.ExitTeenModeAsync("kid", "2468");

        decision.Outcome.Should().Be(Outcome.Allow);
        (await host.Subjects.GetStatusAsync("kid"))!.Subject.TeenMode.Should().BeFalse();
        (await host.Usage.CheckAsync("kid")).Reason.Should().Be(ReasonCode.TeenModeOff);
    }

    [Fact]
    public async Task EnterTeenMode_WithoutVerification_TurnsItBackOn()
    {
        using var host = new TeenModeHost(TeenModeHost.Local(2026, 3, 6, 10));
        await host.RegisterAsync("kid", Born2013, teenMode: false);

        (await host.Parental.EnterTeenModeAsync("kid")).Outcome.Should().Be(Outcome.Allow);

        (await host.Subjects.GetStatusAsync("kid"))!.Subject.TeenMode.Should().BeTrue();
        (await host.Parental.EnterTeenModeAsync("nobody")).Reason.Should().Be(ReasonCode.UnknownSubject);
    }

    [Fact]
    public async Task BindGuardian_SecondGuardian_NeedsAnExistingGuardiansPin()
    {
        using var host = new TeenModeHost(TeenModeHost.Local(2026, 3, 6, 10));
        await host.RegisterAsync("kid", Born2013);
        (await host.Parental.BindAsync("kid", "mum", "2468")).Outcome.Should().Be(Outcome.Allow);

        var withoutPin = await host.Parental.BindAsync("kid", "stranger", "9999");
        var wrongPin = await host.Parental.BindAsync("kid", "stranger", "9999", existingGuardianPin: "1111");
        var strangerCanExit = await host.Parental.ExitTeenModeAsync("kid", "9999");
        var withPin = await host.Parental.BindAsync("kid", "dad", "8642", existingGuardianPin: "2468");
        var dadCanExit = await host.Parental.ExitTeenModeAsync("kid", "8642");

        withoutPin.Reason.Should().Be(ReasonCode.GuardianVerificationRequired);
        wrongPin.Reason.Should().Be(ReasonCode.GuardianVerificationFailed);
        strangerCanExit.Reason.Should().Be(ReasonCode.GuardianVerificationFailed, "a refused binding stores nothing");
        withPin.Outcome.Should().Be(Outcome.Allow);
        dadCanExit.Outcome.Should().Be(Outcome.Allow);
    }

    [Theory]
    [InlineData("123")]
    [InlineData("12a4")]
    [InlineData("12345678901234567")]
    public async Task BindGuardian_MalformedPin_Throws(string pin)
    {
        using var host = new TeenModeHost(TeenModeHost.Local(2026, 3, 6, 10));
        await host.RegisterAsync("kid", Born2013);

        var bind = () => host.Parental.BindAsync("kid", "mum", pin);

        await bind.Should().ThrowAsync<ArgumentException>();
    }

    [Fact]
    public void PinHash_OfTheSamePinTwice_IsSaltedAndNeverThePin()
    {
        using var host = new TeenModeHost(TeenModeHost.Local(2026, 3, 6, 10));
        var hasher = host.Services.GetRequiredService<PinHasher>();

        var first = hasher.Hash("2468");
        var second = hasher.Hash("2468");

        first.Iterations.Should().Be(100_000);
        first.Salt.Should().NotEqual(second.Salt);
        first.Hash.Should().NotEqual(second.Hash);
        first.Hash.Should().NotEqual(Encoding.UTF8.GetBytes("2468"));
        Encoding.UTF8.GetString(first.Hash).Should().NotContain("2468");
        hasher.Verify(new GuardianBinding("kid", "mum", first, DateTimeOffset.UnixEpoch), "2468").Should().BeTrue();
        hasher.Verify(new GuardianBinding("kid", "mum", second, DateTimeOffset.UnixEpoch), "2468").Should().BeTrue();
        hasher.Verify(new GuardianBinding("kid", "mum", first, DateTimeOffset.UnixEpoch), "2469").Should().BeFalse();
    }

    [Fact]
    public async Task BindGuardian_StoredBinding_HoldsAHashNotThePin()
    {
        using var host = new TeenModeHost(TeenModeHost.Local(2026, 3, 6, 10));
        await host.RegisterAsync("kid", Born2013);
        await host.Parental.BindAsync("kid", "mum", "24682468");

        var stored = (await host.Services.GetRequiredService<IGuardianStore>().GetForSubjectAsync("kid")).Single();

        stored.BoundAt.Should().Be(TeenModeHost.Local(2026, 3, 6, 10));
        stored.Pin.Hash.Should().HaveCount(32);
        Convert.ToHexString(stored.Pin.Hash).Should().NotContain("24682468");
        Encoding.UTF8.GetString(stored.Pin.Hash).Should().NotContain("2468");
    }
}
