using Microsoft.Extensions.DependencyInjection.Extensions;
using TeenMode;
using TeenMode.AntiAddiction;
using TeenMode.ParentalControl;
using TeenMode.Rules;
using TeenMode.Sqlite;

namespace ShortVideoApp;

// Guardian and guardian-settings mutants (issue 3): each breaks one rule by swapping one SDK service.
public static partial class Mutants
{
    // A property, not a field: Mutants.All (another partial file) reads it during static initialisation.
    private static MutantInfo[] GuardianMutants =>
    [
        new("binding-code-not-checked", "Any binding code (or none) is accepted, so the guardian's side alone can bind.", ["PC-BIND-TWO-SIDED"]),
        new("settings-unbounded", "Guardian settings are not checked against the rule pack's bounds.", ["PC-SETTINGS-BOUNDS"]),
        new("exempt-time-counted", "Use of exempt app categories is counted toward the daily budget.", ["AA-EXEMPT-CATEGORY"]),
        new("features-all-on", "Every feature is on in teen mode, stranger DMs and live tipping included.", ["PC-FEATURE-DEFAULTS"]),
    ];

    private static bool TryApplyGuardians(IServiceCollection services, string name)
    {
        switch (name)
        {
            case "binding-code-not-checked":
                services.Replace(ServiceDescriptor.Singleton<IGuardianBindingCodeStore>(sp => new AnyCodeStore(sp.GetRequiredService<SqliteGuardianBindingCodeStore>())));
                return true;
            case "settings-unbounded":
                services.Replace(ServiceDescriptor.Singleton<IGuardianSettingsPolicy>(new UnboundedSettingsPolicy()));
                return true;
            case "exempt-time-counted":
                services.Replace(ServiceDescriptor.Singleton<IUsageLedgerStore>(sp => new CountEverythingLedger(sp.GetRequiredService<SqliteUsageLedgerStore>())));
                return true;
            case "features-all-on":
                services.Replace(ServiceDescriptor.Singleton<IFeatureGate>(new AllFeaturesOn()));
                return true;
            default:
                return false;
        }
    }

    private sealed class AnyCodeStore(IGuardianBindingCodeStore inner) : IGuardianBindingCodeStore
    {
        public Task SaveBindingCodeAsync(string subjectId, byte[] codeHash, DateTimeOffset expiresAt, CancellationToken cancellationToken = default) =>
            inner.SaveBindingCodeAsync(subjectId, codeHash, expiresAt, cancellationToken);

        public Task<bool> TryConsumeBindingCodeAsync(string subjectId, byte[] codeHash, DateTimeOffset now, CancellationToken cancellationToken = default) =>
            Task.FromResult(true);
    }

    private sealed class UnboundedSettingsPolicy : IGuardianSettingsPolicy
    {
        public SettingViolation? Check(RulePack pack, BandRules ageBand, GuardianSettings proposed) => null;
    }

    private sealed class CountEverythingLedger(IUsageLedgerStore inner) : IUsageLedgerStore
    {
        public Task<(bool Counted, UsageDay Day)> AppendAsync(string subjectId, string deviceId, long sequence, DateOnly localDate, int seconds,
            DateTimeOffset at, TimeSpan breakAfter, CancellationToken cancellationToken = default) =>
            inner.AppendAsync(subjectId, deviceId, sequence, localDate, seconds, at, breakAfter, cancellationToken);

        public Task<(bool Counted, UsageDay Day)> AppendAsync(UsageAppend append, CancellationToken cancellationToken = default) =>
            inner.AppendAsync(append with { CountsTowardBudget = true }, cancellationToken);

        public Task<IReadOnlyDictionary<string, long>> GetCategorySecondsAsync(string subjectId, DateOnly localDate, CancellationToken cancellationToken = default) =>
            inner.GetCategorySecondsAsync(subjectId, localDate, cancellationToken);

        public Task<UsageDay> GetDayAsync(string subjectId, DateOnly localDate, CancellationToken cancellationToken = default) =>
            inner.GetDayAsync(subjectId, localDate, cancellationToken);
    }

    private sealed class AllFeaturesOn : IFeatureGate
    {
        public Task<Decision> CheckAsync(string subjectId, string feature, CancellationToken cancellationToken = default) =>
            Task.FromResult(Decision.Allow());
    }
}
