using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using TeenMode.ParentalControl;
using TeenMode.Rules;
using TeenMode.Subjects;

namespace TeenMode.AntiAddiction;

internal sealed class UsageGate(
    ISubjectStore subjects,
    IUsageLedgerStore ledger,
    IUsagePolicy policy,
    IGuardianSettings settings,
    RulePack pack,
    TimeProvider time,
    IOptions<TeenModeOptions> options,
    BlockedAttemptRecorder blocked,
    ILogger<UsageGate>? logger = null) : IUsageGate
{
    private readonly TeenModeOptions _options = options.Value;

    // Optional so AddTeenMode works in hosts without AddLogging (a console app, a test).
    private readonly ILogger _logger = logger ?? NullLogger<UsageGate>.Instance;

    public async Task<Decision> RecordHeartbeatAsync(Heartbeat heartbeat, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(heartbeat);
        try
        {
            var subject = await subjects.GetAsync(heartbeat.SubjectId, cancellationToken).ConfigureAwait(false);
            if (subject is null)
            {
                return Decision.Deny(ReasonCode.UnknownSubject);
            }

            var now = time.GetUtcNow();
            var local = pack.ToLocal(now);
            var seconds = Math.Clamp(heartbeat.Seconds, 0, _options.MaxHeartbeatSeconds);
            var effective = await settings.GetEffectiveAsync(subject, cancellationToken).ConfigureAwait(false);
            var exempt = subject.TeenMode && effective.IsExempt(heartbeat.Category);
            var (_, day) = await ledger.AppendAsync(
                new UsageAppend(subject.Id, heartbeat.DeviceId, heartbeat.Sequence, DateOnly.FromDateTime(local), seconds, now,
                    _options.ContinuousUseBreak, heartbeat.Category ?? UsageCategories.Uncategorized, CountsTowardBudget: !exempt),
                cancellationToken).ConfigureAwait(false);
            var decision = Decide(subject, effective, heartbeat.Category, now, local, day);
            await blocked.RecordIfDeniedAsync(subject.Id, now, BlockedAttemptRecorder.Usage, decision, cancellationToken).ConfigureAwait(false);
            return decision;
        }
        catch (Exception ex) when (ex is not OperationCanceledException and not ArgumentException)
        {
            _logger.LogError(ex, "Usage ledger unavailable; denying (fail closed).");
            return Decision.Deny(ReasonCode.StoreUnavailable);
        }
    }

    public Task<Decision> CheckAsync(string subjectId, CancellationToken cancellationToken = default) =>
        CheckAsync(subjectId, null, cancellationToken);

    public async Task<Decision> CheckAsync(string subjectId, string? category, CancellationToken cancellationToken = default)
    {
        try
        {
            var subject = await subjects.GetAsync(subjectId, cancellationToken).ConfigureAwait(false);
            if (subject is null)
            {
                return Decision.Deny(ReasonCode.UnknownSubject);
            }

            var now = time.GetUtcNow();
            var local = pack.ToLocal(now);
            var day = await ledger.GetDayAsync(subject.Id, DateOnly.FromDateTime(local), cancellationToken).ConfigureAwait(false);
            var effective = await settings.GetEffectiveAsync(subject, cancellationToken).ConfigureAwait(false);
            var decision = Decide(subject, effective, category, now, local, day);
            await blocked.RecordIfDeniedAsync(subject.Id, now, BlockedAttemptRecorder.Usage, decision, cancellationToken).ConfigureAwait(false);
            return decision;
        }
        catch (Exception ex) when (ex is not OperationCanceledException and not ArgumentException)
        {
            _logger.LogError(ex, "Usage ledger unavailable; denying (fail closed).");
            return Decision.Deny(ReasonCode.StoreUnavailable);
        }
    }

    private Decision Decide(Subject subject, EffectiveSettings effective, string? category, DateTimeOffset now, DateTime local, UsageDay day)
    {
        if (!subject.TeenMode)
        {
            return new Decision(Outcome.Allow, ReasonCode.TeenModeOff, [], DecisionDetails.None);
        }

        // A long enough gap since the last heartbeat is a break: continuous use starts again.
        if (day.LastHeartbeatAt is not { } last || now - last > _options.ContinuousUseBreak)
        {
            day = day with { ContinuousSeconds = 0 };
        }

        // The guardian's daily limit and curfew are already in the effective rules.
        var decision = policy.Evaluate(effective.Rules, local, day);
        return effective.IsExempt(category)
            ? new Decision(Outcome.Allow, ReasonCode.ExemptCategory, effective.ExemptRequirementIds, decision.Details)
            : decision;
    }
}
