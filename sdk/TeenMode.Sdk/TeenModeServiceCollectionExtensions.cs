using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using TeenMode.AgeAssurance;
using TeenMode.AntiAddiction;
using TeenMode.Audit;
using TeenMode.ContentPool;
using TeenMode.ParentalControl;
using TeenMode.Reporting;
using TeenMode.Rules;
using TeenMode.Storage;
using TeenMode.Subjects;

namespace TeenMode;

/// <summary>Registers the SDK.</summary>
public static partial class TeenModeServiceCollectionExtensions
{
    /// <summary>
    /// Registers the teen-mode services with in-memory stores (replace them with a durable store such as
    /// <c>UseSqlite</c>). A <see cref="TimeProvider"/> registered before this call is honoured.
    /// Calling it twice registers nothing twice.
    /// </summary>
    /// <exception cref="ArgumentNullException"><paramref name="services"/> is null.</exception>
    public static ITeenModeBuilder AddTeenMode(this IServiceCollection services, Action<TeenModeOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(services);
        var optionsBuilder = services.AddOptions<TeenModeOptions>();
        if (configure is not null)
        {
            optionsBuilder.Configure(configure);
        }

        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<TeenModeOptions>, TeenModeOptionsValidator>());
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton(sp =>
        {
            var options = sp.GetRequiredService<IOptions<TeenModeOptions>>().Value;
            return options.RulePackPath is { Length: > 0 } path ? RulePackLoader.LoadFile(path) : RulePackLoader.LoadEmbedded(options.RulePackId);
        });

        AddInMemoryStores(services);
        // The flush runs on the real clock: a frozen or virtual app clock (the conformance driver's, a test's) must not
        // stop counts reaching the store. The day a denial counts on still follows the app's clock.
        services.TryAddSingleton(sp => new BlockedAttemptRecorder(sp.GetRequiredService<IBlockedAttemptStore>(), sp.GetRequiredService<RulePack>(),
            sp.GetRequiredService<IOptions<TeenModeOptions>>(), TimeProvider.System, sp.GetService<ILogger<BlockedAttemptRecorder>>()));
        services.TryAddSingleton<Storage.FailClosed>();
        services.TryAddSingleton<IAuditLog, AuditLog>();

        services.TryAddSingleton<PinHasher>();
        services.TryAddSingleton<IGuardianVerifier>(sp => sp.GetRequiredService<PinHasher>());

        // Guardians and settings (issue 3). Apps add their own credential kinds with TryAddEnumerable.
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IGuardianCredentialVerifier, PinCredentialVerifier>());
        services.TryAddSingleton<GuardianVerification>();
        services.TryAddSingleton<IGuardianSettingsPolicy, GuardianSettingsPolicy>();
        services.TryAddSingleton<IGuardianSettings, GuardianSettingsService>();
        services.TryAddSingleton<IFeatureGate, FeatureGate>();
        services.TryAddSingleton<IGuardianUsageReports, GuardianUsageReports>();
        services.TryAddSingleton<IUsagePolicy, UsagePolicy>();
        services.TryAddSingleton<ISubjectService, SubjectService>();
        services.TryAddSingleton<IUsageGate, UsageGate>();
        services.TryAddSingleton<IParentalControl, ParentalControlService>();
        services.TryAddSingleton<IContentPolicy, ContentPolicy>();
        services.TryAddSingleton<IContentPool, ContentPoolService>();
        services.TryAddSingleton<IContentCuration, ContentCuration>();
        AddReporting(services);
        AddPersonalInfoProtection(services);
        AddPersonalInfo(services);

        // Online games: a host may register its own GameRulePack first (TryAdd keeps it).
        services.TryAddSingleton(_ => RulePackLoader.LoadGamesEmbedded(RulePackLoader.DefaultGamesPackId));
        services.TryAddSingleton<IGamePolicy, GamePolicy>();
        services.TryAddSingleton<IGameGate, GameGate>();
        AddSpending(services);

        // Real-name verification: fails closed (Unavailable) until the app calls AddTeenModeRealNameVerifier.
        RealNameServiceCollectionExtensions.AddRealNameDefaults(services);
        services.TryAddSingleton(_ => AgeSignalTable.LoadDefault());
        services.TryAddSingleton<IAgeAssurance, AgeAssuranceService>();
        return new TeenModeBuilder(services);
    }

    private sealed record TeenModeBuilder(IServiceCollection Services) : ITeenModeBuilder;

    private sealed class TeenModeOptionsValidator : IValidateOptions<TeenModeOptions>
    {
        public ValidateOptionsResult Validate(string? name, TeenModeOptions options)
        {
            var failures = options.Validate().ToList();
            return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
        }
    }
}
