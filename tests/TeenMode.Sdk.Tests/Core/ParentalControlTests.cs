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
    public async Task OneHundredParallelExits_CheckAtMostTheLimitOfPins_ThenTheLockHolds()
    {
        var pins = new CountingPins();
        using var host = new TeenModeHost(TeenModeHost.Local(2026, 3, 6, 10), addServices: s =>
            s.AddSingleton<IGuardianVerifier>(sp => pins.Wrap(sp.GetRequiredService<PinHasher>())));
        await host.RegisterAsync("kid", Born2013);
        await host.Parental.BindAsync("kid", "mum", "2468");
        pins.Reset();

        // 99 guesses with the right PIN in the middle: the old read-check-record order verified dozens of them.
        var attempts = Enumerable.Range(0, 100).Select(i => i == 50 ? "2468" : (1000 + i).ToString(System.Globalization.CultureInfo.InvariantCulture));
        var decisions = await Task.WhenAll(attempts.Select(pin => Task.Run(() => host.Parental.ExitTeenModeAsync("kid", pin))));

        pins.Count.Should().BeLessThanOrEqualTo(5, "an attempt is reserved before its PIN is checked");
        decisions.Count(d => d.Reason == ReasonCode.GuardianVerificationFailed || d.IsAllowed).Should().Be(pins.Count);
        decisions.Count(d => d.Reason == ReasonCode.GuardianLockedOut).Should().BeGreaterThanOrEqualTo(95);
        (await host.Parental.ExitTeenModeAsync("kid", "2468")).Reason.Should().Be(ReasonCode.GuardianLockedOut);
    }

    [Fact]
    public async Task Unbind_AnUnknownGuardianId_GetsTheSameAnswersAsAGuardianBeforeVerification()
    {
        using var host = new TeenModeHost(TeenModeHost.Local(2026, 3, 6, 10));
        await host.RegisterAsync("kid", Born2013);
        await host.Parental.BindAsync("kid", "mum", "2468");

        var strangerWrong = await host.Parental.UnbindGuardianAsync("kid", "stranger", GuardianCredential.Pin("1111"));
        var mumWrong = await host.Parental.UnbindGuardianAsync("kid", "mum", GuardianCredential.Pin("1111"));
        var strangerRight = await host.Parental.UnbindGuardianAsync("kid", "stranger", GuardianCredential.Pin("2468"));

        strangerWrong.Reason.Should().Be(ReasonCode.GuardianVerificationFailed, "an id that is not bound must not be told apart before the PIN is checked");
        mumWrong.Reason.Should().Be(strangerWrong.Reason);
        strangerRight.Reason.Should().Be(ReasonCode.GuardianNotBound, "a verified guardian may learn who is bound");
        // The verified attempt cleared the count; wrong PINs against an unknown id count like any other.
        for (var i = 0; i < 5; i++)
        {
            await host.Parental.UnbindGuardianAsync("kid", "stranger", GuardianCredential.Pin("1111"));
        }

        (await host.Parental.UnbindGuardianAsync("kid", "stranger", GuardianCredential.Pin("1111"))).Reason.Should().Be(ReasonCode.GuardianLockedOut);
    }

    [Fact]
    public async Task WrongBindingCodes_LockEvenWhenTheExistingGuardiansPinIsRight()
    {
        using var host = new TeenModeHost(TeenModeHost.Local(2026, 3, 6, 10));
        await host.RegisterAsync("kid", Born2013);
        await host.Parental.BindAsync("kid", "mum", "2468");
        var start = await host.Parental.StartGuardianBindingAsync("kid");

        var guesses = new List<Decision>();
        for (var i = 0; i < 5; i++)
        {
            guesses.Add(await host.Parental.BindGuardianAsync("kid", "dad", "8642", "0000000" + i, GuardianCredential.Pin("2468")));
        }

        var rightCodeWhileLocked = await host.Parental.BindGuardianAsync("kid", "dad", "8642", start.Code, GuardianCredential.Pin("2468"));

        guesses.Should().OnlyContain(d => d.Reason == ReasonCode.BindingCodeInvalid, "the right PIN no longer wipes the count of wrong codes");
        guesses[4].Details.RetryAt.Should().NotBeNull();
        rightCodeWhileLocked.Reason.Should().Be(ReasonCode.GuardianLockedOut);
    }

    private sealed class CountingPins
    {
        private int _count;

        public int Count => Volatile.Read(ref _count);

        public void Reset() => Interlocked.Exchange(ref _count, 0);

        public IGuardianVerifier Wrap(IGuardianVerifier inner) => new Counting(inner, this);

        private sealed class Counting(IGuardianVerifier inner, CountingPins owner) : IGuardianVerifier
        {
            public bool Verify(GuardianBinding binding, string pin)
            {
                Interlocked.Increment(ref owner._count);
                return inner.Verify(binding, pin);
            }
        }
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
