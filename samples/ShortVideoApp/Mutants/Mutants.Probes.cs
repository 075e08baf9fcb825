using System.Collections.Concurrent;
using Microsoft.Extensions.DependencyInjection.Extensions;
using TeenMode;
using TeenMode.AntiAddiction;
using TeenMode.ParentalControl;
using TeenMode.Reporting;
using TeenMode.Rules;
using TeenMode.Sqlite;
using TeenMode.Subjects;

namespace ShortVideoApp;

// Mutants for the deeper boundary probes (issue 12, item 4): each gets one rule wrong from the side implementations
// commonly get it wrong — a UTC day, a midnight instant, a ledger per device, a missing PIN, an age in UTC, a report anyone may read.
public static partial class Mutants
{
    // A property, not a field: Mutants.All (another partial file) reads it during static initialisation.
    private static MutantInfo[] ProbeMutants =>
    [
        new("usage-day-in-utc", "The daily budget is kept per UTC date, so it resets at 08:00 Beijing time instead of local midnight.", ["AA-DAY-ROLLOVER-LOCAL"]),
        new("curfew-midnight-gap", "At exactly 00:00:00 local the curfew does not apply: a midnight wall clock is taken for a date without a time.", ["AA-CURFEW-EXACT"]),
        new("usage-ledger-per-device", "Use is counted per device, so three devices together get three daily budgets.", ["AA-BUDGET-DEVICES"]),
        new("exit-missing-pin-accepted", "Leaving teen mode checks a PIN only when one is sent: a wrong PIN is refused, a missing one lets the minor out.", ["PC-EXIT-MISSING-PIN"]),
        new("age-in-utc", "A subject's age is computed on the UTC date, so a birthday starts at 08:00 Beijing time instead of local midnight.", ["AA-BIRTHDAY-MIDNIGHT"]),
        new("report-readable-by-anyone", "A report's status is shown to whoever asks, not only to its reporter and the minor's guardians.", ["RP-STATUS-REPORTER-ONLY"]),
    ];

    private static bool TryApplyProbes(IServiceCollection services, string name)
    {
        switch (name)
        {
            case "usage-day-in-utc":
                services.Replace(ServiceDescriptor.Singleton<IUsageLedgerStore>(sp =>
                    new UtcDayUsageLedger(sp.GetRequiredService<SqliteUsageLedgerStore>(), sp.GetRequiredService<TimeProvider>())));
                return true;
            case "curfew-midnight-gap":
                services.Replace(ServiceDescriptor.Singleton<IUsagePolicy>(new MidnightGapPolicy(new UsagePolicy())));
                return true;
            case "usage-ledger-per-device":
                services.Replace(ServiceDescriptor.Singleton<IUsageLedgerStore>(sp => new PerDeviceUsageLedger(sp.GetRequiredService<SqliteUsageLedgerStore>())));
                return true;
            case "exit-missing-pin-accepted":
                // The SDK's service is internal: build it as the container would, then wrap it.
                var control = services.Last(d => d.ServiceType == typeof(IParentalControl)).ImplementationType!;
                services.Replace(ServiceDescriptor.Singleton<IParentalControl>(sp =>
                    new MissingPinExit((IParentalControl)ActivatorUtilities.CreateInstance(sp, control), sp.GetRequiredService<ISubjectStore>())));
                return true;
            case "age-in-utc":
                var subjects = services.Last(d => d.ServiceType == typeof(ISubjectService)).ImplementationType!;
                services.Replace(ServiceDescriptor.Singleton<ISubjectService>(sp => new UtcAgeSubjects(
                    (ISubjectService)ActivatorUtilities.CreateInstance(sp, subjects), sp.GetRequiredService<RulePack>(), sp.GetRequiredService<TimeProvider>())));
                return true;
            case "report-readable-by-anyone":
                services.Replace(ServiceDescriptor.Singleton<IReportVisibility>(new AnyoneReads()));
                return true;
            default:
                return false;
        }
    }

    private static DateOnly UtcDate(DateTimeOffset instant) => DateOnly.FromDateTime(instant.UtcDateTime);

    private sealed class UtcDayUsageLedger(IUsageLedgerStore inner, TimeProvider time) : IUsageLedgerStore
    {
        public Task<(bool Counted, UsageDay Day)> AppendAsync(string subjectId, string deviceId, long sequence, DateOnly localDate, int seconds,
            DateTimeOffset at, TimeSpan breakAfter, CancellationToken cancellationToken = default) =>
            inner.AppendAsync(subjectId, deviceId, sequence, UtcDate(at), seconds, at, breakAfter, cancellationToken);

        public Task<(bool Counted, UsageDay Day)> AppendAsync(UsageAppend append, CancellationToken cancellationToken = default) =>
            inner.AppendAsync(append with { LocalDate = UtcDate(append.At) }, cancellationToken);

        public Task<IReadOnlyDictionary<string, long>> GetCategorySecondsAsync(string subjectId, DateOnly localDate, CancellationToken cancellationToken = default) =>
            inner.GetCategorySecondsAsync(subjectId, UtcDate(time.GetUtcNow()), cancellationToken);

        public Task<UsageDay> GetDayAsync(string subjectId, DateOnly localDate, CancellationToken cancellationToken = default) =>
            inner.GetDayAsync(subjectId, UtcDate(time.GetUtcNow()), cancellationToken);
    }

    private sealed class MidnightGapPolicy(IUsagePolicy inner) : IUsagePolicy
    {
        public Decision Evaluate(BandRules rules, DateTime localNow, UsageDay day) =>
            localNow.TimeOfDay == TimeSpan.Zero
                ? inner.Evaluate(rules with { Curfew = rules.Curfew with { End = rules.Curfew.Start } }, localNow, day)
                : inner.Evaluate(rules, localNow, day);
    }

    /// <summary>Stores every heartbeat in the real ledger, but answers with the sending device's own total (and, for a plain check, the last device's).</summary>
    private sealed class PerDeviceUsageLedger(IUsageLedgerStore inner) : IUsageLedgerStore
    {
        private readonly ConcurrentDictionary<(string Subject, DateOnly Date), DeviceDays> _days = new();

        public Task<(bool Counted, UsageDay Day)> AppendAsync(string subjectId, string deviceId, long sequence, DateOnly localDate, int seconds,
            DateTimeOffset at, TimeSpan breakAfter, CancellationToken cancellationToken = default) =>
            AppendAsync(new UsageAppend(subjectId, deviceId, sequence, localDate, seconds, at, breakAfter, UsageCategories.Uncategorized, true), cancellationToken);

        public async Task<(bool Counted, UsageDay Day)> AppendAsync(UsageAppend append, CancellationToken cancellationToken = default)
        {
            var (counted, _) = await inner.AppendAsync(append, cancellationToken).ConfigureAwait(false);
            var days = _days.GetOrAdd((append.SubjectId, append.LocalDate), _ => new DeviceDays());
            lock (days)
            {
                var day = days.ByDevice.GetValueOrDefault(append.DeviceId, UsageDay.Empty);
                if (counted && append.CountsTowardBudget)
                {
                    var continuous = day.LastHeartbeatAt is { } last && append.At - last <= append.BreakAfter ? day.ContinuousSeconds + append.Seconds : append.Seconds;
                    day = new UsageDay(day.Seconds + append.Seconds, continuous, append.At);
                    days.ByDevice[append.DeviceId] = day;
                }

                days.Last = append.DeviceId;
                return (counted, day);
            }
        }

        public Task<IReadOnlyDictionary<string, long>> GetCategorySecondsAsync(string subjectId, DateOnly localDate, CancellationToken cancellationToken = default) =>
            inner.GetCategorySecondsAsync(subjectId, localDate, cancellationToken);

        public Task<UsageDay> GetDayAsync(string subjectId, DateOnly localDate, CancellationToken cancellationToken = default)
        {
            if (!_days.TryGetValue((subjectId, localDate), out var days))
            {
                return Task.FromResult(UsageDay.Empty);
            }

            lock (days)
            {
                return Task.FromResult(days.Last is { } device ? days.ByDevice.GetValueOrDefault(device, UsageDay.Empty) : UsageDay.Empty);
            }
        }

        private sealed class DeviceDays
        {
            public Dictionary<string, UsageDay> ByDevice { get; } = new(StringComparer.Ordinal);

            public string? Last { get; set; }
        }
    }

    private sealed class MissingPinExit(IParentalControl inner, ISubjectStore subjects) : IParentalControl
    {
        public Task<Decision> EnterTeenModeAsync(string subjectId, CancellationToken cancellationToken = default) => inner.EnterTeenModeAsync(subjectId, cancellationToken);

        public Task<Decision> ExitTeenModeAsync(string subjectId, string guardianPin, CancellationToken cancellationToken = default) =>
            ExitTeenModeAsync(subjectId, GuardianCredential.Pin(guardianPin ?? string.Empty), cancellationToken);

        public async Task<Decision> ExitTeenModeAsync(string subjectId, GuardianCredential credential, CancellationToken cancellationToken = default)
        {
            if (credential is not null && !string.IsNullOrEmpty(credential.Proof))
            {
                return await inner.ExitTeenModeAsync(subjectId, credential, cancellationToken).ConfigureAwait(false);
            }

            return await subjects.SetTeenModeAsync(subjectId, false, cancellationToken).ConfigureAwait(false) ? Decision.Allow() : Decision.Deny(ReasonCode.UnknownSubject);
        }

        public Task<GuardianBindingStart> StartGuardianBindingAsync(string subjectId, CancellationToken cancellationToken = default) =>
            inner.StartGuardianBindingAsync(subjectId, cancellationToken);

        public Task<Decision> BindGuardianAsync(string subjectId, string guardianId, string pin, string? bindingCode, GuardianCredential? existingGuardian = null,
            CancellationToken cancellationToken = default) =>
            inner.BindGuardianAsync(subjectId, guardianId, pin, bindingCode, existingGuardian, cancellationToken);

        public Task<Decision> UnbindGuardianAsync(string subjectId, string guardianId, GuardianCredential? credential, CancellationToken cancellationToken = default) =>
            inner.UnbindGuardianAsync(subjectId, guardianId, credential, cancellationToken);
    }

    private sealed class UtcAgeSubjects(ISubjectService inner, RulePack pack, TimeProvider time) : ISubjectService
    {
        public Task<Subject?> RegisterAsync(SubjectRegistration registration, CancellationToken cancellationToken = default) => inner.RegisterAsync(registration, cancellationToken);

        public async Task<SubjectStatus?> GetStatusAsync(string subjectId, CancellationToken cancellationToken = default)
        {
            var status = await inner.GetStatusAsync(subjectId, cancellationToken).ConfigureAwait(false);

            // No age from the SDK (e.g. a real-name check pending): the birth date is not trusted, so the mutant leaves it alone too.
            if (status is not { Age: not null } || status.Subject.BirthDate is not { } birth)
            {
                return status;
            }

            var age = RulePack.AgeOn(birth, UtcDate(time.GetUtcNow()));
            return status with { Age = age, Rules = pack.ForAge(Math.Max(age, 0)) ?? pack.Bands[^1] };
        }
    }

    private sealed class AnyoneReads : IReportVisibility
    {
        public Task<Decision> CheckAsync(ReportView view, string? readerId, CancellationToken cancellationToken = default) => Task.FromResult(Decision.Allow());
    }
}
