using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using TeenMode.AntiAddiction;
using TeenMode.ContentPool;
using TeenMode.ParentalControl;
using TeenMode.Reporting;
using TeenMode.Rules;
using TeenMode.Storage;
using TeenMode.Subjects;
using TeenMode.Testing;

namespace TeenMode.Tests.Core;

public sealed class DependencyInjectionTests
{
    [Fact]
    public void Options_PinIterationsBelow100000_FailValidationOnFirstUse()
    {
        using var provider = new ServiceCollection().AddTeenMode(o => o.PinIterations = 99_999).Services.BuildServiceProvider();

        var read = () => provider.GetRequiredService<IOptions<TeenModeOptions>>().Value;

        read.Should().Throw<OptionsValidationException>().WithMessage("*PinIterations*");
    }

    [Fact]
    public void Options_ContinuousUseBreakNotPositive_FailValidation()
    {
        using var provider = new ServiceCollection()
            .AddTeenMode(o => { o.PinIterations = 100_000; o.ContinuousUseBreak = TimeSpan.Zero; }).Services.BuildServiceProvider();

        var read = () => provider.GetRequiredService<IOptions<TeenModeOptions>>().Value;

        read.Should().Throw<OptionsValidationException>().WithMessage("*ContinuousUseBreak*");
    }

    [Fact]
    public void Options_PinIterationsAtTheMinimum_AreAccepted()
    {
        using var provider = new ServiceCollection().AddTeenMode(o => o.PinIterations = 100_000).Services.BuildServiceProvider();

        provider.GetRequiredService<IOptions<TeenModeOptions>>().Value.PinIterations.Should().Be(100_000);
    }

    [Fact]
    public void AddTeenMode_CalledTwice_RegistersEachServiceOnce()
    {
        var services = new ServiceCollection();

        services.AddTeenMode(o => o.PinIterations = 100_000);
        services.AddTeenMode();

        Type[] types =
        [
            typeof(TimeProvider), typeof(RulePack), typeof(InMemorySubjectStore), typeof(ISubjectStore), typeof(IUsageLedgerStore),
            typeof(IGuardianStore), typeof(IContentCatalog), typeof(IReportStore), typeof(PinHasher), typeof(IGuardianVerifier),
            typeof(IUsagePolicy), typeof(ISubjectService), typeof(IUsageGate), typeof(IParentalControl), typeof(IContentPool),
            typeof(IReportingChannel), typeof(IValidateOptions<TeenModeOptions>),
        ];
        foreach (var type in types)
        {
            services.Count(d => d.ServiceType == type).Should().Be(1, $"{type.Name} must be registered once");
        }

        using var provider = services.BuildServiceProvider(new ServiceProviderOptions { ValidateOnBuild = true });
        provider.GetRequiredService<IUsageGate>().Should().NotBeNull();
    }

    [Fact]
    public async Task AddTeenMode_UserRegisteredTimeProvider_IsUsedForEveryTimestamp()
    {
        var clock = new FakeTimeProvider(new DateTimeOffset(2030, 1, 2, 3, 4, 5, TimeSpan.Zero));
        var services = new ServiceCollection();
        services.AddSingleton<TimeProvider>(clock);
        services.AddTeenMode(o => o.PinIterations = 100_000);
        using var provider = services.BuildServiceProvider();

        var subject = await provider.GetRequiredService<ISubjectService>().RegisterAsync(new SubjectRegistration("kid", new DateOnly(2020, 1, 1)));
        clock.Advance(TimeSpan.FromHours(1));
        var filing = await provider.GetRequiredService<IReportingChannel>()
            .FileAsync(new ReportSubmission(ReporterKind.Anonymous, null, ReportCategory.Other, "user", "u", null), "k");

        provider.GetRequiredService<TimeProvider>().Should().BeSameAs(clock);
        subject!.CreatedAt.Should().Be(new DateTimeOffset(2030, 1, 2, 3, 4, 5, TimeSpan.Zero));
        filing.Receipt!.ReceivedAt.Should().Be(new DateTimeOffset(2030, 1, 2, 4, 4, 5, TimeSpan.Zero));
    }

    [Fact]
    public async Task AddTeenMode_HostWithoutLogging_ResolvesAndRunsTheUsageGate()
    {
        using var provider = new ServiceCollection().AddTeenMode(o => o.PinIterations = 100_000).Services
            .BuildServiceProvider(new ServiceProviderOptions { ValidateOnBuild = true });

        var decision = await provider.GetRequiredService<IUsageGate>().CheckAsync("nobody");

        decision.Reason.Should().Be(ReasonCode.UnknownSubject);
    }

    [Fact]
    public void AddTeenMode_NoTimeProviderRegistered_UsesTheSystemClock()
    {
        using var provider = new ServiceCollection().AddTeenMode(o => o.PinIterations = 100_000).Services.BuildServiceProvider();

        provider.GetRequiredService<TimeProvider>().Should().BeSameAs(TimeProvider.System);
    }

    [Fact]
    public void AddTeenMode_RulePackPathToAnInvalidFile_FailsWithTheFileNamed()
    {
        var path = Path.Combine(Path.GetTempPath(), $"teenmode-pack-{Guid.NewGuid():N}.json");
        File.WriteAllText(path, "{ \"id\": ");
        try
        {
            using var provider = new ServiceCollection()
                .AddTeenMode(o => { o.PinIterations = 100_000; o.RulePackPath = path; }).Services.BuildServiceProvider();

            var resolve = () => provider.GetRequiredService<RulePack>();

            resolve.Should().Throw<TeenModeConfigurationException>().Which.Errors.Should().ContainSingle().Which.File.Should().Be(path);
        }
        finally
        {
            File.Delete(path);
        }
    }
}
