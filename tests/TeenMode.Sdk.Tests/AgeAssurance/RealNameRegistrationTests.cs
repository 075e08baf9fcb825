using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Time.Testing;
using TeenMode.AgeAssurance;
using TeenMode.Testing;
using static TeenMode.Tests.AgeAssurance.RealNameTestKit;

namespace TeenMode.Tests.AgeAssurance;

public sealed class RealNameRegistrationTests
{
    private readonly FakeTimeProvider _time = new(Start);

    [Fact]
    public async Task Unconfigured_AnswersUnavailableToEveryCall_AndWarnsOnce()
    {
        var log = new CapturingLogger<UnconfiguredRealNameVerifier>();
        var verifier = new UnconfiguredRealNameVerifier(log);

        (await verifier.CheckAsync(NppaRealNameSimulator.VerifiedAdult.ToCheck())).Should().Be(RealNameResult.Unavailable);
        (await verifier.QueryAsync("a")).Should().Be(RealNameResult.Unavailable);
        (await verifier.ReportBehaviourAsync([NppaRealNameSimulatorTests.Guest(1)])).Should().Be(BehaviourUploadResult.Unavailable);

        log.Lines.Should().ContainSingle().Which.Level.Should().Be(LogLevel.Warning);
    }

    [Fact]
    public async Task AddTeenMode_WithoutAProvider_ResolvesAFailClosedVerifier()
    {
        using var provider = new ServiceCollection().AddSingleton<TimeProvider>(_time).AddTeenMode().Services.BuildServiceProvider();

        var verifier = provider.GetRequiredService<IRealNameVerifier>();

        verifier.Should().BeOfType<ResilientRealNameVerifier>();
        (await verifier.CheckAsync(NppaRealNameSimulator.VerifiedAdult.ToCheck())).Outcome.Should().Be(RealNameOutcome.Unavailable);
        (await verifier.ReportBehaviourAsync([NppaRealNameSimulatorTests.Guest(1)])).Accepted.Should().BeFalse();
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task AddTeenModeRealNameVerifier_BeforeOrAfterAddTeenMode_WrapsTheAppsProvider(bool providerFirst)
    {
        var services = new ServiceCollection().AddSingleton<TimeProvider>(_time);
        if (providerFirst)
        {
            services.AddTeenModeRealNameVerifier<NppaRealNameSimulator>();
            services.AddTeenMode();
        }
        else
        {
            services.AddTeenMode();
            services.AddTeenModeRealNameVerifier<NppaRealNameSimulator>();
        }

        using var provider = services.BuildServiceProvider();
        var verifier = provider.GetRequiredService<IRealNameVerifier>();
        var simulator = provider.GetRequiredService<NppaRealNameSimulator>();
        simulator.Force(RealNameOutcome.Pending);

        verifier.Should().BeOfType<ResilientRealNameVerifier>();
        (await verifier.CheckAsync(NppaRealNameSimulator.VerifiedAdult.ToCheck())).Outcome.Should().Be(RealNameOutcome.Pending);
        simulator.CheckCalls.Should().Be(1);
        services.Count(d => d.ServiceType == typeof(IRealNameVerifier)).Should().Be(1);
    }

    [Fact]
    public async Task AddTeenModeRealNameVerifier_WithAFactory_UsesTheFactorysInstance_AndItsOptions()
    {
        var simulator = new NppaRealNameSimulator(_time);
        simulator.SimulateOutage(true);
        var services = new ServiceCollection().AddSingleton<TimeProvider>(_time);
        services.AddTeenMode();
        services.AddTeenModeRealNameVerifier(_ => simulator, o => o.MaxRetries = 0);
        using var provider = services.BuildServiceProvider();

        var result = await provider.GetRequiredService<IRealNameVerifier>().QueryAsync("a");

        result.Should().Be(RealNameResult.Unavailable);
        simulator.QueryCalls.Should().Be(1, "MaxRetries = 0 came through the registration");
        provider.GetRequiredService<NppaRealNameSimulator>().Should().BeSameAs(simulator);
    }

    [Fact]
    public void AddTeenModeRealNameVerifier_WithAnInterfaceAsProviderType_IsRefused()
    {
        var services = new ServiceCollection();

        var register = () => services.AddTeenModeRealNameVerifier<IRealNameVerifier>(_ => new NppaRealNameSimulator());

        register.Should().Throw<ArgumentException>();
    }
}
