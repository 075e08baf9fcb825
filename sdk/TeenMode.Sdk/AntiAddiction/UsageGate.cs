using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using TeenMode.ParentalControl;
using TeenMode.Rules;
using TeenMode.Storage;
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
    FailClosed failClosed,
    ILogger<UsageGate>? logger = null) : IUsageGate
{
    private readonly TeenModeOptions _options = options.Value;

    // Optional so AddTeenMode works in hosts without AddLogging (a console app, a test).
    private readonly ILogger _logger = logger ?? NullLogger<UsageGate>.Instance;

    public Task<Decision> RecordHeartbeatAsync(Heartbeat heartbeat, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(heartbeat);
        return TeenModeTelemetry.GateAsync("usage.heartbeat", pack.Id,
            () => failClosed.DecideAsync(ct => RecordAsync(heartbeat, ct), _logger, "Usage heartbeat", cancellationToken));
    }

    public Task<Decision> CheckAsync(string subjectId, CancellationToken cancellationToken = default) =>
        CheckAsync(subjectId, null, cancellationToken);

    public Task<Decision> CheckAsync(string subjectId, string? category, CancellationToken cancellationToken = default) =>
        TeenModeTelemetry.GateAsync("usage.check", pack.Id,
            () => failClosed.DecideAsync(ct => CheckCoreAsync(subjectId, category, ct), _logger, "Usage check", cancellationToken));

    private async Task<Decision> RecordAsync(Heartbeat heartbeat, CancellationToken cancellationToken)
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
        UsageDay day;
        using (TeenModeTelemetry.StartStore("usage_ledger.append", ledger))
        {
            (_, day) = await ledger.AppendAsync(
                new UsageAppend(subject.Id, heartbeat.DeviceId, heartbeat.Sequence, DateOnly.FromDateTime(local), seconds, now,
                    _options.ContinuousUseBreak, heartbeat.Category ?? UsageCategories.Uncategorized, CountsTowardBudget: !exempt),
                cancellationToken).ConfigureAwait(false);
        }

        var decision = Decide(effective, heartbeat.Category, now, local, day);
        blocked.RecordIfDenied(subject.Id, now, BlockedAttemptRecorder.Usage, decision);
        return decision;
    }

    private async Task<Decision> CheckCoreAsync(string subjectId, string? category, CancellationToken cancellationToken)
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
        var decision = Decide(effective, category, now, local, day);
        blocked.RecordIfDenied(subject.Id, now, BlockedAttemptRecorder.Usage, decision);
        return decision;
    }

    public async Task<UsageSnapshot?> GetSnapshotAsync(string subjectId, CancellationToken cancellationToken = default)
    {
        var subject = await subjects.GetAsync(subjectId, cancellationToken).ConfigureAwait(false);
        if (subject is null)
        {
            return null;
        }

        var date = DateOnly.FromDateTime(pack.ToLocal(time.GetUtcNow()));
        var day = await ledger.GetDayAsync(subject.Id, date, cancellationToken).ConfigureAwait(false);
        var effective = await settings.GetEffectiveAsync(subject, cancellationToken).ConfigureAwait(false);
        return new UsageSnapshot(effective, date, day, pack.Zone, _options.ContinuousUseBreak);
    }

    // The snapshot holds the decision steps; the injected policy supplies the time rules.
    private Decision Decide(EffectiveSettings effective, string? category, DateTimeOffset now, DateTime local, UsageDay day) =>
        new UsageSnapshot(effective, DateOnly.FromDateTime(local), day, pack.Zone, _options.ContinuousUseBreak)
            .DecideWith(now, category, policy)
            .ToDecision();
}
