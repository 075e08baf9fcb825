using System.Globalization;
using Microsoft.Extensions.DependencyInjection.Extensions;
using TeenMode;
using TeenMode.AgeAssurance;
using TeenMode.AntiAddiction;
using TeenMode.ParentalControl;
using TeenMode.Subjects;

namespace ShortVideoApp;

// Age-assurance mutants (issue 16): each breaks one rule by wrapping an SDK service, and only where that rule is applied,
// so everything else the app does stays as the compliant app does it.
public static partial class Mutants
{
    // A property, not a field: Mutants.All (another partial file) reads it during static initialisation.
    private static MutantInfo[] AgeAssuranceMutants =>
    [
        new("game-real-name-ignored", "The game gate serves players who are not real-name verified as if they were (play and top-ups); every other game rule still applies.", ["AG-GAME-REAL-NAME"]),
        new("real-name-pending-trusted", "A real-name check the provider still has in progress is recorded as verified.", ["AG-REAL-NAME-PENDING"]),
        new("identity-check-character-only", "Identity numbers are checked only for length and check character: an impossible region or birth date goes to the real-name provider anyway.", ["AG-IDENTITY-IMPOSSIBLE"]),
        new("signal-upper-bound", "An OS age range that straddles a band boundary maps to the band of its upper age, the less protective one.", ["AG-SIGNAL-STRADDLE"]),
        new("device-minor-mode-exit-allowed", "Leaving teen mode ignores the device's system-wide minor mode: a guardian's PIN turns it off even while a device reports minor mode.", ["AG-DEVICE-MINOR-MODE"]),
    ];

    private static bool TryApplyAgeAssurance(IServiceCollection services, string name)
    {
        switch (name)
        {
            case "game-real-name-ignored":
                // Only the game gate sees every subject as verified; the SDK's GameGate itself is otherwise unchanged.
                Rebuild<IGameGate>(services, (sp, type) => ActivatorUtilities.CreateInstance(sp, type, new EveryoneVerifiedStore(sp.GetRequiredService<ISubjectStore>())));
                return true;
            case "real-name-pending-trusted":
                var verifier = services.Last(d => d.ServiceType == typeof(IRealNameVerifier));
                services.Replace(ServiceDescriptor.Singleton<IRealNameVerifier>(sp => new PendingTrustedVerifier((IRealNameVerifier)verifier.ImplementationFactory!(sp))));
                return true;
            case "identity-check-character-only":
                Rebuild<IAgeAssurance>(services, (sp, type) => new CheckCharacterOnlyAgeAssurance(
                    (IAgeAssurance)ActivatorUtilities.CreateInstance(sp, type), sp.GetRequiredService<ISubjectStore>(), sp.GetRequiredService<IRealNameVerifier>()));
                return true;
            case "signal-upper-bound":
                Rebuild<IAgeAssurance>(services, (sp, type) => new UpperBoundAgeAssurance(
                    (IAgeAssurance)ActivatorUtilities.CreateInstance(sp, type), sp.GetRequiredService<AgeSignalTable>()));
                return true;
            case "device-minor-mode-exit-allowed":
                // Only parental control (teen-mode exit) loses sight of the devices; reads elsewhere still show them.
                Rebuild<IParentalControl>(services, (sp, type) => ActivatorUtilities.CreateInstance(sp, type, new DevicesIgnoredStore(sp.GetRequiredService<ISubjectStore>())));
                return true;
            default:
                return false;
        }
    }

    // The SDK registers these services by their internal implementation types; the mutant builds the same type with one dependency swapped.
    private static void Rebuild<TService>(IServiceCollection services, Func<IServiceProvider, Type, object> build)
        where TService : class
    {
        var type = services.Last(d => d.ServiceType == typeof(TService)).ImplementationType
            ?? throw new InvalidOperationException($"{typeof(TService).Name} is not registered by type; the mutant cannot rebuild it.");
        services.Replace(ServiceDescriptor.Singleton<TService>(sp => (TService)build(sp, type)));
    }

    private sealed class EveryoneVerifiedStore(ISubjectStore inner) : ForwardingSubjectStore(inner)
    {
        public override async Task<Subject?> GetAsync(string subjectId, CancellationToken cancellationToken = default) =>
            await base.GetAsync(subjectId, cancellationToken) is { } s ? s with { RealName = RealNameStatus.Verified } : null;
    }

    private sealed class DevicesIgnoredStore(ISubjectStore inner) : ForwardingSubjectStore(inner)
    {
        public override async Task<Subject?> GetAsync(string subjectId, CancellationToken cancellationToken = default) =>
            await base.GetAsync(subjectId, cancellationToken) is { } s ? s with { MinorModeDevices = [] } : null;

        public override async Task<bool> SetTeenModeAsync(string subjectId, bool teenMode, CancellationToken cancellationToken = default)
        {
            // The store would refuse the exit while a device reports minor mode, so the mutant reports every device off first.
            if (!teenMode && await base.GetAsync(subjectId, cancellationToken) is { } subject)
            {
                foreach (var device in subject.MinorModeDevices)
                {
                    await base.SetDeviceMinorModeAsync(subjectId, device, false, cancellationToken);
                }
            }

            return await base.SetTeenModeAsync(subjectId, teenMode, cancellationToken);
        }
    }

    private abstract class ForwardingSubjectStore(ISubjectStore inner) : ISubjectStore
    {
        public Task<bool> TryAddAsync(Subject subject, CancellationToken cancellationToken = default) => inner.TryAddAsync(subject, cancellationToken);

        public virtual Task<Subject?> GetAsync(string subjectId, CancellationToken cancellationToken = default) => inner.GetAsync(subjectId, cancellationToken);

        public virtual Task<bool> SetTeenModeAsync(string subjectId, bool teenMode, CancellationToken cancellationToken = default) =>
            inner.SetTeenModeAsync(subjectId, teenMode, cancellationToken);

        public Task<bool> SetAgeAsync(string subjectId, DateOnly? birthDate, AgeBand? declaredBand, AgeSource source, CancellationToken cancellationToken = default) =>
            inner.SetAgeAsync(subjectId, birthDate, declaredBand, source, cancellationToken);

        public Task<bool> SetRealNameAsync(string subjectId, RealNameStatus status, string? playerId, DateOnly? birthDate, CancellationToken cancellationToken = default) =>
            inner.SetRealNameAsync(subjectId, status, playerId, birthDate, cancellationToken);

        public Task<bool> SetDeviceMinorModeAsync(string subjectId, string deviceId, bool minorModeOn, CancellationToken cancellationToken = default) =>
            inner.SetDeviceMinorModeAsync(subjectId, deviceId, minorModeOn, cancellationToken);
    }

    private sealed class PendingTrustedVerifier(IRealNameVerifier inner) : IRealNameVerifier
    {
        public async Task<RealNameResult> CheckAsync(RealNameCheck check, CancellationToken cancellationToken = default) =>
            Trust(await inner.CheckAsync(check, cancellationToken), check.AccountId);

        public async Task<RealNameResult> QueryAsync(string accountId, CancellationToken cancellationToken = default) =>
            Trust(await inner.QueryAsync(accountId, cancellationToken), accountId);

        public Task<BehaviourUploadResult> ReportBehaviourAsync(IReadOnlyList<GameBehaviourRecord> records, CancellationToken cancellationToken = default) =>
            inner.ReportBehaviourAsync(records, cancellationToken);

        // A made-up player id: the provider never issued one, which is the point.
        private static RealNameResult Trust(RealNameResult result, string accountId) =>
            result.Outcome == RealNameOutcome.Pending ? new RealNameResult(RealNameOutcome.Verified, "mutant-" + accountId) : result;
    }

    /// <summary>Sends numbers with an impossible region or birth date to the provider, as a check of length and check character alone would.</summary>
    private sealed class CheckCharacterOnlyAgeAssurance(IAgeAssurance inner, ISubjectStore subjects, IRealNameVerifier verifier) : ForwardingAgeAssurance(inner)
    {
        public override async Task<RealNameVerification> VerifyRealNameAsync(string subjectId, string name, string identityNumber, CancellationToken cancellationToken = default)
        {
            var result = await base.VerifyRealNameAsync(subjectId, name, identityNumber, cancellationToken);
            var reason = result.Decision.Reason;
            if (reason != ReasonCode.IdentityNumberRegion && reason != ReasonCode.IdentityNumberBirthDate && reason != ReasonCode.IdentityNumberBirthDateFuture)
            {
                return result;
            }

            var answer = await verifier.CheckAsync(new RealNameCheck(subjectId, name, identityNumber.ToUpperInvariant()), cancellationToken);
            var status = answer.Outcome switch
            {
                RealNameOutcome.Verified => RealNameStatus.Verified,
                RealNameOutcome.Pending => RealNameStatus.Pending,
                RealNameOutcome.Failed => RealNameStatus.Failed,
                _ => (RealNameStatus?)null,
            };
            if (status is null)
            {
                return new(Decision.Deny(ReasonCode.RealNameUnavailable), result.Status);
            }

            // Whatever date the digits hold, when they hold one at all.
            DateOnly? birth = DateOnly.TryParseExact(identityNumber.AsSpan(6, 8), "yyyyMMdd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var d) ? d : null;
            await subjects.SetRealNameAsync(subjectId, status.Value, status == RealNameStatus.Verified ? answer.PlayerId : null, birth, cancellationToken);
            return new(status == RealNameStatus.Verified ? Decision.Allow()
                : Decision.Deny(status == RealNameStatus.Pending ? ReasonCode.RealNamePending : ReasonCode.RealNameFailed), status.Value);
        }
    }

    /// <summary>Takes the top of a signal's age range as the user's age, so a straddling range lands in the older band.</summary>
    private sealed class UpperBoundAgeAssurance(IAgeAssurance inner, AgeSignalTable table) : ForwardingAgeAssurance(inner)
    {
        public override Task<AgeSignalResult> ApplyAgeSignalAsync(string subjectId, AgeSignal signal, CancellationToken cancellationToken = default)
        {
            // The oldest age the range allows: the upper bound itself, or one below it where the source excludes it.
            if (signal.UpperAge is { } upper && table.Source(signal.Source) is { } source)
            {
                var oldest = source.UpperInclusive ? upper : upper - 1;
                if (oldest >= (signal.LowerAge ?? 0))
                {
                    signal = signal with { LowerAge = oldest };
                }
            }

            return base.ApplyAgeSignalAsync(subjectId, signal, cancellationToken);
        }
    }

    private abstract class ForwardingAgeAssurance(IAgeAssurance inner) : IAgeAssurance
    {
        public virtual Task<RealNameVerification> VerifyRealNameAsync(string subjectId, string name, string identityNumber, CancellationToken cancellationToken = default) =>
            inner.VerifyRealNameAsync(subjectId, name, identityNumber, cancellationToken);

        public Task<RealNameVerification> RefreshRealNameAsync(string subjectId, CancellationToken cancellationToken = default) =>
            inner.RefreshRealNameAsync(subjectId, cancellationToken);

        public Task<RealNameVerification> CompleteRealNameAsync(string subjectId, RealNameResult result, CancellationToken cancellationToken = default) =>
            inner.CompleteRealNameAsync(subjectId, result, cancellationToken);

        public virtual Task<AgeSignalResult> ApplyAgeSignalAsync(string subjectId, AgeSignal signal, CancellationToken cancellationToken = default) =>
            inner.ApplyAgeSignalAsync(subjectId, signal, cancellationToken);

        public Task<DeviceMinorModeResult> SetDeviceMinorModeAsync(DeviceMinorModeSignal signal, CancellationToken cancellationToken = default) =>
            inner.SetDeviceMinorModeAsync(signal, cancellationToken);

        public Task<GameSessionResult> ReportGameSessionAsync(GameSessionEvent session, CancellationToken cancellationToken = default) =>
            inner.ReportGameSessionAsync(session, cancellationToken);
    }
}
