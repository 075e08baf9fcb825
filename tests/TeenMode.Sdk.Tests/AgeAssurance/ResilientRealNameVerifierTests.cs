using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Time.Testing;
using TeenMode.AgeAssurance;
using TeenMode.Testing;
using static TeenMode.Tests.AgeAssurance.RealNameTestKit;

namespace TeenMode.Tests.AgeAssurance;

public sealed class ResilientRealNameVerifierTests
{
    private readonly FakeTimeProvider _time = new(Start);
    private readonly CapturingLogger<ResilientRealNameVerifier> _log = new();

    public static TheoryData<NppaTestCase> AllCases() => [.. Enum.GetValues<NppaTestCase>()];

    [Theory]
    [MemberData(nameof(AllCases))]
    public async Task NppaTestCase_PassesThroughTheResilientWrapper(NppaTestCase testCase)
    {
        var simulator = new NppaRealNameSimulator(_time);
        var verifier = Wrap(simulator, _time);

        var result = await NppaTestCases.RunAsync(testCase, verifier, _time);

        result.Passed.Should().BeTrue(result.Detail);
    }

    [Theory]
    [MemberData(nameof(AllCases))]
    public async Task NppaTestCase_PassesThroughTheRegisteredVerifier(NppaTestCase testCase)
    {
        var services = new ServiceCollection().AddSingleton<TimeProvider>(_time);
        services.AddTeenMode();
        services.AddTeenModeRealNameVerifier<NppaRealNameSimulator>();
        using var provider = services.BuildServiceProvider();
        var verifier = provider.GetRequiredService<IRealNameVerifier>();

        var result = await NppaTestCases.RunAsync(testCase, verifier, _time);

        verifier.Should().BeOfType<ResilientRealNameVerifier>();
        result.Passed.Should().BeTrue(result.Detail);
        (provider.GetRequiredService<NppaRealNameSimulator>().CheckCalls + provider.GetRequiredService<NppaRealNameSimulator>().QueryCalls
            + provider.GetRequiredService<NppaRealNameSimulator>().UploadCalls).Should().BeGreaterThan(0, "the wrapper calls the registered simulator instance");
    }

    [Fact]
    public async Task Outage_IsRetriedWithBackoff_ThenAnswersUnavailable()
    {
        var simulator = new NppaRealNameSimulator(_time);
        simulator.SimulateOutage(true);
        var verifier = Wrap(simulator, _time, logger: _log);

        var started = _time.GetUtcNow();
        var result = await DriveAsync(verifier.CheckAsync(NppaRealNameSimulator.VerifiedAdult.ToCheck()), _time, TimeSpan.FromMilliseconds(50));

        result.Should().Be(RealNameResult.Unavailable);
        simulator.CheckCalls.Should().Be(3, "one attempt and MaxRetries = 2 retries");
        (_time.GetUtcNow() - started).Should().BePositive("the retries waited on the clock");
        _log.Lines.Count(l => l.Id.Name == "RealNameRetry").Should().Be(2);
        _log.Lines.Should().ContainSingle(l => l.Id.Name == "RealNameUnavailable").Which.Level.Should().Be(LogLevel.Warning);
    }

    [Fact]
    public async Task Outage_ThatEndsDuringRetries_AnswersTheProvidersResult()
    {
        var simulator = new NppaRealNameSimulator(_time);
        simulator.SimulateOutage(true);
        var verifier = Wrap(simulator, _time, o => o.BaseDelay = TimeSpan.FromSeconds(1));

        var call = verifier.QueryAsync(NppaRealNameSimulator.VerifiedAdult.AccountId);
        simulator.QueryCalls.Should().Be(1, "the first attempt failed at once");
        simulator.SimulateOutage(false);
        var result = await DriveAsync(call, _time, TimeSpan.FromMilliseconds(100));

        result.Outcome.Should().Be(RealNameOutcome.Verified);
        simulator.QueryCalls.Should().Be(2);
    }

    [Fact]
    public async Task BehaviourUpload_DuringAnOutage_IsNotAccepted_WithAnUnavailableError()
    {
        var simulator = new NppaRealNameSimulator(_time);
        simulator.SimulateOutage(true);
        var verifier = Wrap(simulator, _time, o => o.MaxRetries = 1);

        var result = await DriveAsync(verifier.ReportBehaviourAsync([NppaRealNameSimulatorTests.Guest(1)]), _time, TimeSpan.FromMilliseconds(50));

        result.Accepted.Should().BeFalse();
        result.Errors.Should().Equal(new BehaviourRecordError(0, BehaviourRecordError.Unavailable));
        simulator.UploadCalls.Should().Be(2);
    }

    [Fact]
    public async Task Circuit_OpensAfterRepeatedFailures_ThenHalfOpensAfterTheBreak()
    {
        var simulator = new NppaRealNameSimulator(_time);
        simulator.SimulateOutage(true);
        var verifier = Wrap(simulator, _time, o => { o.MaxRetries = 0; o.MinimumThroughput = 5; o.BreakDuration = TimeSpan.FromSeconds(30); }, _log);
        var account = NppaRealNameSimulator.VerifiedAdult.AccountId;

        for (var i = 0; i < 5; i++)
        {
            (await verifier.QueryAsync(account)).Should().Be(RealNameResult.Unavailable);
        }

        simulator.QueryCalls.Should().Be(5);
        _log.Lines.Should().ContainSingle(l => l.Id.Name == "RealNameCircuitOpened");

        // Open: answered at once, the provider is not called.
        (await verifier.QueryAsync(account)).Should().Be(RealNameResult.Unavailable);
        (await verifier.CheckAsync(NppaRealNameSimulator.VerifiedAdult.ToCheck())).Should().Be(RealNameResult.Unavailable);
        simulator.QueryCalls.Should().Be(5);
        simulator.CheckCalls.Should().Be(0);

        // Half-open with the provider still down: one trial call, and the circuit opens again.
        _time.Advance(TimeSpan.FromSeconds(30));
        (await verifier.QueryAsync(account)).Should().Be(RealNameResult.Unavailable);
        (await verifier.QueryAsync(account)).Should().Be(RealNameResult.Unavailable);
        simulator.QueryCalls.Should().Be(6);

        // Half-open with the provider back: the trial succeeds and the circuit closes.
        simulator.SimulateOutage(false);
        _time.Advance(TimeSpan.FromSeconds(30));
        (await verifier.QueryAsync(account)).Outcome.Should().Be(RealNameOutcome.Verified);
        (await verifier.QueryAsync(account)).Outcome.Should().Be(RealNameOutcome.Verified);
        simulator.QueryCalls.Should().Be(8);
        _log.Lines.Should().Contain(l => l.Id.Name == "RealNameCircuitHalfOpened").And.Contain(l => l.Id.Name == "RealNameCircuitClosed");
    }

    [Fact]
    public async Task SlowProvider_BeyondTheAttemptTimeout_AnswersUnavailable()
    {
        var simulator = new NppaRealNameSimulator(_time) { Latency = TimeSpan.FromSeconds(10) };
        var verifier = Wrap(simulator, _time, o => { o.MaxRetries = 0; o.AttemptTimeout = TimeSpan.FromSeconds(5); }, _log);

        var call = verifier.CheckAsync(NppaRealNameSimulator.VerifiedAdult.ToCheck());
        call.IsCompleted.Should().BeFalse();
        _time.Advance(TimeSpan.FromSeconds(5));

        (await call.WaitAsync(TimeSpan.FromSeconds(30))).Should().Be(RealNameResult.Unavailable);
        _log.Lines.Should().ContainSingle(l => l.Id.Name == "RealNameUnavailable").Which.Text.Should().Contain("TimeoutRejectedException");
    }

    [Fact]
    public async Task SlowProvider_IsRetriedPerAttempt_AndAnswersWhenAnAttemptIsFastEnough()
    {
        var simulator = new NppaRealNameSimulator(_time) { Latency = TimeSpan.FromSeconds(10) };
        var verifier = Wrap(simulator, _time, o => o.AttemptTimeout = TimeSpan.FromSeconds(5));

        var call = verifier.QueryAsync(NppaRealNameSimulator.VerifiedAdult.AccountId);
        _time.Advance(TimeSpan.FromSeconds(5));
        simulator.Latency = TimeSpan.Zero;

        (await DriveAsync(call, _time, TimeSpan.FromMilliseconds(50))).Outcome.Should().Be(RealNameOutcome.Verified);
        simulator.QueryCalls.Should().Be(2);
    }

    [Theory]
    [InlineData(RealNameOutcome.Failed)]
    [InlineData(RealNameOutcome.Pending)]
    [InlineData(RealNameOutcome.Verified)]
    public async Task Answers_AreNeverRetried(RealNameOutcome outcome)
    {
        var simulator = new NppaRealNameSimulator(_time);
        simulator.Force(outcome);
        var verifier = Wrap(simulator, _time);

        var check = await verifier.CheckAsync(NppaRealNameSimulator.VerifiedAdult.ToCheck());
        var query = await verifier.QueryAsync(NppaRealNameSimulator.VerifiedAdult.AccountId);

        (check.Outcome, query.Outcome).Should().Be((outcome, outcome));
        (simulator.CheckCalls, simulator.QueryCalls).Should().Be((1, 1));
    }

    [Fact]
    public async Task RefusedUpload_IsAnAnswer_AndNotRetried()
    {
        var simulator = new NppaRealNameSimulator(_time);
        var verifier = Wrap(simulator, _time);

        var result = await verifier.ReportBehaviourAsync([NppaRealNameSimulatorTests.Guest(1) with { DeviceId = null }]);

        result.Errors.Should().Equal(new BehaviourRecordError(1, BehaviourRecordError.DeviceIdMissing));
        simulator.UploadCalls.Should().Be(1);
    }

    [Fact]
    public async Task ProgrammingErrorInTheProvider_Surfaces_AndIsNotRetried()
    {
        var provider = new ScriptedVerifier(_ => throw new ArgumentException("bad request shape"));
        var verifier = Wrap(provider, _time);

        await verifier.Invoking(v => v.QueryAsync("a")).Should().ThrowAsync<ArgumentException>();
        provider.Calls.Should().Be(1);
    }

    [Fact]
    public async Task CallersCancellation_IsPassedOn_NotTurnedIntoUnavailable()
    {
        var simulator = new NppaRealNameSimulator(_time) { Latency = TimeSpan.FromSeconds(2) };
        var verifier = Wrap(simulator, _time);
        using var cts = new CancellationTokenSource();

        var call = verifier.QueryAsync(NppaRealNameSimulator.VerifiedAdult.AccountId, cts.Token);
        await cts.CancelAsync();

        await call.Invoking(c => c.WaitAsync(TimeSpan.FromSeconds(30))).Should().ThrowAsync<OperationCanceledException>();
        simulator.QueryCalls.Should().Be(1);
    }

    [Fact]
    public async Task Logs_NeverHoldNamesOrIdentityNumbers_EvenWhenTheProviderQuotesThem()
    {
        var adult = NppaRealNameSimulator.VerifiedAdult;
        var leaky = new ScriptedVerifier(_ => throw new HttpRequestException($"502 for name={adult.Name} idNum={adult.IdentityNumber}"));
        var leakyVerifier = Wrap(leaky, _time, o => o.MaxRetries = 1, _log);
        var simulator = new NppaRealNameSimulator(_time);
        var verifier = Wrap(simulator, _time, logger: _log);

        await DriveAsync(leakyVerifier.CheckAsync(adult.ToCheck()), _time, TimeSpan.FromMilliseconds(50));
        foreach (var fixture in NppaRealNameSimulator.Fixtures)
        {
            await verifier.CheckAsync(fixture.ToCheck());
        }

        simulator.SimulateOutage(true);
        await DriveAsync(verifier.CheckAsync(NppaRealNameSimulator.VerifiedMinor.ToCheck()), _time, TimeSpan.FromMilliseconds(50));

        _log.Lines.Should().HaveCountGreaterThan(5);
        foreach (var secret in PersonalData())
        {
            _log.Lines.Should().NotContain(l => l.Text.Contains(secret, StringComparison.Ordinal), "no log line may hold a name or identity number");
        }
    }

    [Fact]
    public void RealNameCheck_ToString_HidesNameAndNumber()
    {
        var check = NppaRealNameSimulator.VerifiedMinor.ToCheck();

        check.ToString().Should().Be($"RealNameCheck {{ AccountId = {check.AccountId} }}");
    }

    [Fact]
    public void BehaviourRecord_ToString_LeavesOutDeviceAndPlayerIds()
    {
        var record = NppaRealNameSimulatorTests.Certified(1, NppaRealNameSimulator.PlayerIdFor("a")) with { DeviceId = "device-42" };

        record.ToString().Should().Contain("session-1").And.NotContain("device-42").And.NotContain(record.PlayerId!);
    }

    public static TheoryData<string, Action<RealNameVerificationOptions>> Nonsense() => new()
    {
        { "AttemptTimeout", o => o.AttemptTimeout = TimeSpan.Zero },
        { "AttemptTimeout", o => o.AttemptTimeout = TimeSpan.FromHours(1) },
        { "MaxRetries", o => o.MaxRetries = -1 },
        { "MaxRetries", o => o.MaxRetries = 11 },
        { "BaseDelay", o => o.BaseDelay = TimeSpan.FromMilliseconds(-1) },
        { "BreakDuration", o => o.BreakDuration = TimeSpan.FromMilliseconds(100) },
        { "FailureRatio", o => o.FailureRatio = 0 },
        { "FailureRatio", o => o.FailureRatio = double.NaN },
        { "FailureRatio", o => o.FailureRatio = 1.5 },
        { "MinimumThroughput", o => o.MinimumThroughput = 1 },
        { "SamplingDuration", o => o.SamplingDuration = TimeSpan.Zero },
    };

    [Theory]
    [MemberData(nameof(Nonsense))]
    public void Options_OutOfRange_AreAConfigurationError(string setting, Action<RealNameVerificationOptions> configure)
    {
        var create = () => Wrap(new NppaRealNameSimulator(_time), _time, configure);

        create.Should().Throw<TeenModeConfigurationException>().WithMessage($"*RealNameVerificationOptions.{setting}*");
    }

    [Fact]
    public void Options_Defaults_AreTheDocumentedOnes()
    {
        var options = new RealNameVerificationOptions();

        (options.AttemptTimeout, options.MaxRetries, options.BaseDelay, options.BreakDuration).Should()
            .Be((TimeSpan.FromSeconds(5), 2, TimeSpan.FromMilliseconds(200), TimeSpan.FromSeconds(30)));
        (options.FailureRatio, options.MinimumThroughput, options.SamplingDuration).Should().Be((0.5, 5, TimeSpan.FromSeconds(30)));
    }

    [Fact]
    public void Options_FromRegistration_AreValidatedWhenTheVerifierIsResolved()
    {
        var services = new ServiceCollection().AddTeenModeRealNameVerifier<NppaRealNameSimulator>(o => o.MaxRetries = 99);
        using var provider = services.BuildServiceProvider();

        var resolve = () => provider.GetRequiredService<IRealNameVerifier>();

        resolve.Should().Throw<TeenModeConfigurationException>().WithMessage("*MaxRetries*");
    }
}
