using System.Globalization;
using System.Security.Cryptography;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using TeenMode.Audit;
using TeenMode.ParentalControl;
using TeenMode.Rules;
using TeenMode.Storage;
using TeenMode.Subjects;

namespace TeenMode.Spending;

/// <summary>Payments by minors outside online games, against the rule pack's caps per band and app category.</summary>
public interface ISpendingGate
{
    /// <summary>
    /// Decides a payment and, when a minor's caps apply and it is allowed, records it in the same atomic store step as the
    /// check, so concurrent payments from several devices never pass a cap. Denials are decisions, not exceptions.
    /// </summary>
    /// <exception cref="ArgumentException">The amount is not positive or has more than two decimals, an id is empty, or the category is not in the rule pack.</exception>
    Task<SpendResult> SpendAsync(SpendRequest request, CancellationToken cancellationToken = default);

    /// <summary>The subject's spends and refund requests in [<paramref name="since"/>, <paramref name="until"/>), or null for an unknown subject.</summary>
    Task<SpendingStatement?> GetStatementAsync(string subjectId, DateTimeOffset since, DateTimeOffset until, CancellationToken cancellationToken = default);
}

internal sealed class SpendingGate(
    ISubjectStore subjects,
    ISpendingLedgerStore ledger,
    ISpendingPolicy policy,
    ISpendingCapsSource capsSource,
    RulePack pack,
    IAuditLog audit,
    TimeProvider time,
    BlockedAttemptRecorder blocked,
    FailClosed failClosed,
    ILogger<SpendingGate>? logger = null) : ISpendingGate
{
    private readonly ILogger _logger = logger ?? NullLogger<SpendingGate>.Instance;

    public Task<SpendResult> SpendAsync(SpendRequest request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentException.ThrowIfNullOrWhiteSpace(request.SubjectId, nameof(request));
        ArgumentException.ThrowIfNullOrWhiteSpace(request.Category, nameof(request));
        if (request.Amount <= 0 || decimal.Round(request.Amount, 2) != request.Amount)
        {
            throw new ArgumentException("The amount must be positive with at most two decimals.", nameof(request));
        }

        var rules = pack.Spending ?? throw new TeenModeConfigurationException($"Rule pack '{pack.Id}' has no spending section.");
        if (!rules.IsCategory(request.Category))
        {
            throw new ArgumentException($"'{request.Category}' is not a spending category of rule pack '{pack.Id}' ({string.Join(", ", rules.Categories)}).", nameof(request));
        }

        var now = time.GetUtcNow();
        var local = pack.ToLocal(now);
        var date = DateOnly.FromDateTime(local);
        var month = local.ToString("yyyy-MM", CultureInfo.InvariantCulture);
        return TeenModeTelemetry.GateAsync("spending.spend", pack.Id, static r => r.Decision,
            () => failClosed.RunAsync(ct => SpendCoreAsync(request, rules, now, date, month, ct), () => new SpendResult(Decision.Deny(ReasonCode.StoreUnavailable), null, date, month, null, null),
                _logger, "Spend", cancellationToken));
    }

    private async Task<SpendResult> SpendCoreAsync(SpendRequest request, SpendingRules rules, DateTimeOffset now, DateOnly date, string month, CancellationToken cancellationToken)
    {
        var subject = await subjects.GetAsync(request.SubjectId, cancellationToken).ConfigureAwait(false);
        if (subject is null)
        {
            return new SpendResult(Decision.Deny(ReasonCode.UnknownSubject), null, date, month, null, null);
        }

        var (teenModeOff, band) = BandOf(subject, date);
        if (band is null)
        {
            // An adult, or teen mode off with no known age: no cap, and nothing is kept about their spending.
            var free = teenModeOff ? new Decision(Outcome.Allow, ReasonCode.TeenModeOff, [], DecisionDetails.None) : Decision.Allow();
            return new SpendResult(free, null, date, month, null, null);
        }

        var caps = await capsSource.GetCapsAsync(subject.Id, band.Value, request.Category, cancellationToken).ConfigureAwait(false);
        var record = new SpendRecord(NewId("spd-"), subject.Id, request.Category, request.Amount, rules.Currency, request.ItemId, now, date, month, request.IdempotencyKey);

        // What needs no totals (no spending at all, the per-payment cap) is decided before the store is asked.
        var upfront = policy.Evaluate(caps, SpendTotals.Zero, request.Amount);
        if (!upfront.IsAllowed)
        {
            blocked.RecordIfDenied(subject.Id, now, BlockedAttemptRecorder.Spend, upfront);
            var totals = await ledger.GetTotalsAsync(subject.Id, request.Category, date, month, cancellationToken).ConfigureAwait(false);
            return new SpendResult(upfront, null, date, month, totals, caps);
        }

        // The store records the spend only if the day and month totals stay within the caps, in one atomic step.
        SpendAttempt attempt;
        using (TeenModeTelemetry.StartStore("spending_ledger.record", ledger))
        {
            attempt = await ledger.TryRecordSpendAsync(record, SpendLimit.Of(caps), cancellationToken).ConfigureAwait(false);
        }

        if (attempt.KeyConflict)
        {
            return new SpendResult(Decision.Deny(ReasonCode.IdempotencyKeyReused), null, date, month, attempt.Totals, caps);
        }

        if (attempt.Replayed)
        {
            // A retry of a payment already counted (and audited): the first answer, nothing counted again.
            var first = attempt.Spend!;
            return new SpendResult(new Decision(Outcome.Allow, ReasonCode.Allowed, caps.RequirementIds, DecisionDetails.None), first, first.LocalDate, first.Month, attempt.Totals, caps)
            {
                Replayed = true,
            };
        }

        if (attempt.Spend is null)
        {
            var refused = policy.Evaluate(caps, attempt.Totals, request.Amount);
            if (refused.IsAllowed)
            {
                // The store's limit and the policy disagree (a custom policy looser than the caps): the store's refusal stands.
                refused = Decision.Deny(ReasonCode.SpendOverMonthlyCap, caps.RequirementIds);
            }

            blocked.RecordIfDenied(subject.Id, now, BlockedAttemptRecorder.Spend, refused);
            return new SpendResult(refused, null, date, month, attempt.Totals, caps);
        }

        await AuditAsync(attempt.Spend, attempt.Totals, cancellationToken).ConfigureAwait(false);
        return new SpendResult(new Decision(Outcome.Allow, ReasonCode.Allowed, caps.RequirementIds, DecisionDetails.None), attempt.Spend, date, month, attempt.Totals, caps);
    }

    public async Task<SpendingStatement?> GetStatementAsync(string subjectId, DateTimeOffset since, DateTimeOffset until, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(subjectId);
        if (until < since)
        {
            throw new ArgumentException("The end of the range is before its start.", nameof(until));
        }

        if (await subjects.GetAsync(subjectId, cancellationToken).ConfigureAwait(false) is null)
        {
            return null;
        }

        var spends = await ledger.ListSpendsAsync(subjectId, since, until, cancellationToken).ConfigureAwait(false);
        var refunds = await ledger.ListRefundRequestsAsync(subjectId, since, until, cancellationToken).ConfigureAwait(false);
        return new SpendingStatement(subjectId, since, until, pack.Spending?.Currency ?? string.Empty, spends, refunds);
    }

    internal static string NewId(string prefix) => prefix + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(10));

    private async Task AuditAsync(SpendRecord spend, SpendTotals totals, CancellationToken cancellationToken)
    {
        // Amounts and ids only: no names, no payment details.
        var details = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["amount"] = spend.Amount.ToString("0.00", CultureInfo.InvariantCulture),
            ["currency"] = spend.Currency,
            ["category"] = spend.Category,
            ["localDate"] = spend.LocalDate.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
            ["dayTotal"] = totals.Day.ToString("0.00", CultureInfo.InvariantCulture),
            ["monthTotal"] = totals.Month.ToString("0.00", CultureInfo.InvariantCulture),
        };
        try
        {
            await audit.AppendAsync(new AuditEvent("subject:" + spend.SubjectId, "spend-recorded", spend.SubjectId, spend.Id, details), cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            // The spend is already counted against the caps; refusing now would take it off the caps for nothing.
            _logger.LogError(ex, "Audit log unavailable; the spend was counted but not audited.");
        }
    }

    // Like the game rules, the caps follow the real age when it is known. Without a birth date, teen mode off means
    // "treated as an adult"; teen mode on takes the declared band, or the most protective one.
    private (bool TeenModeOff, AgeBand? Band) BandOf(Subject subject, DateOnly today)
    {
        if (subject.BirthDate is { } birth)
        {
            return (false, pack.ForAge(Math.Max(0, RulePack.AgeOn(birth, today)))?.Band);
        }

        if (!subject.TeenMode)
        {
            return (true, null);
        }

        return (false, (subject.DeclaredBand is { } declared ? pack.ForBand(declared) : null)?.Band ?? pack.MostProtective.Band);
    }
}
