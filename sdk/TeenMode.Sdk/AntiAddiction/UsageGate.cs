using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using TeenMode.Rules;
using TeenMode.Subjects;

namespace TeenMode.AntiAddiction;

internal sealed class UsageGate(
    ISubjectStore subjects,
    IUsageLedgerStore ledger,
    IUsagePolicy policy,
    RulePack pack,
    TimeProvider time,
    IOptions<TeenModeOptions> options,
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
            var (_, day) = await ledger.AppendAsync(subject.Id, heartbeat.DeviceId, heartbeat.Sequence, DateOnly.FromDateTime(local),
                seconds, now, _options.ContinuousUseBreak, cancellationToken).ConfigureAwait(false);
            return Decide(subject, now, local, day);
        }
        catch (Exception ex) when (ex is not OperationCanceledException and not ArgumentException)
        {
            _logger.LogError(ex, "Usage ledger unavailable; denying (fail closed).");
            return Decision.Deny(ReasonCode.StoreUnavailable);
        }
    }

    public async Task<Decision> CheckAsync(string subjectId, CancellationToken cancellationToken = default)
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
            return Decide(subject, now, local, day);
        }
        catch (Exception ex) when (ex is not OperationCanceledException and not ArgumentException)
        {
            _logger.LogError(ex, "Usage ledger unavailable; denying (fail closed).");
            return Decision.Deny(ReasonCode.StoreUnavailable);
        }
    }

    private Decision Decide(Subject subject, DateTimeOffset now, DateTime local, UsageDay day)
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

        var status = SubjectService.Resolve(subject, pack, now);
        return policy.Evaluate(status.Rules, local, day);
    }
}
