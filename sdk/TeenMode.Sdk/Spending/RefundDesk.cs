using System.Globalization;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using TeenMode.Audit;
using TeenMode.ParentalControl;
using TeenMode.Subjects;

namespace TeenMode.Spending;

/// <summary>
/// Refunds of spends a minor made without consent: a bound guardian files a request for a recorded spend and gets a receipt
/// with a due date; the platform approves it (the spend is reversed in the cap totals) or refuses it with a written reason.
/// </summary>
public interface IRefundDesk
{
    /// <summary>
    /// Files a refund request for <paramref name="spendId"/>. Filing again for the same spend returns the first receipt
    /// (<see cref="RefundResult.Created"/> false). Unknown subject or spend, or a guardian not bound to the subject, is a denial.
    /// </summary>
    Task<RefundResult> FileAsync(string subjectId, string spendId, string guardianId, string? reason, CancellationToken cancellationToken = default);

    /// <summary>Approves a pending request: the spend is marked refunded and no longer counts against the caps.</summary>
    Task<RefundResult> ApproveAsync(string refundId, string decidedBy, string? note = null, CancellationToken cancellationToken = default);

    /// <summary>Refuses a pending request; a refusal needs a written reason (<see cref="ReasonCode.RefundReasonRequired"/> without one).</summary>
    Task<RefundResult> RefuseAsync(string refundId, string decidedBy, string? reason, CancellationToken cancellationToken = default);

    /// <summary>One refund request, or null.</summary>
    Task<RefundRequest?> GetAsync(string refundId, CancellationToken cancellationToken = default);
}

internal sealed class RefundDesk(
    ISubjectStore subjects,
    IGuardianStore guardians,
    ISpendingLedgerStore ledger,
    IAuditLog audit,
    TimeProvider time,
    IOptions<SpendingOptions> options,
    ILogger<RefundDesk>? logger = null) : IRefundDesk
{
    // Refunds come from SH-POLICE-01 (a refund process for minors' unauthorised spending).
    private static readonly string[] RequirementIds = ["SH-POLICE-01"];
    private readonly ILogger _logger = logger ?? NullLogger<RefundDesk>.Instance;

    public async Task<RefundResult> FileAsync(string subjectId, string spendId, string guardianId, string? reason, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(subjectId);
        ArgumentException.ThrowIfNullOrWhiteSpace(spendId);
        ArgumentException.ThrowIfNullOrWhiteSpace(guardianId);
        var settings = Settings();
        if (reason is { } r && r.Length > settings.MaxReasonLength)
        {
            throw new ArgumentException($"The reason is longer than {settings.MaxReasonLength} characters.", nameof(reason));
        }

        if (await subjects.GetAsync(subjectId, cancellationToken).ConfigureAwait(false) is null)
        {
            return new RefundResult(Decision.Deny(ReasonCode.UnknownSubject), null);
        }

        var spend = await ledger.GetSpendAsync(spendId, cancellationToken).ConfigureAwait(false);
        if (spend is null || spend.SubjectId != subjectId)
        {
            return new RefundResult(Decision.Deny(ReasonCode.UnknownSpend), null);
        }

        var bound = await guardians.GetForSubjectAsync(subjectId, cancellationToken).ConfigureAwait(false);
        if (!bound.Any(g => g.GuardianId == guardianId))
        {
            return new RefundResult(Decision.Deny(ReasonCode.NoGuardianBound, RequirementIds), null);
        }

        var now = time.GetUtcNow();
        var request = new RefundRequest(SpendingGate.NewId("rfd-"), spend.Id, subjectId, guardianId, string.IsNullOrWhiteSpace(reason) ? null : reason,
            spend.Amount, RefundStatus.Pending, now, now + settings.RefundDecisionWithin);
        var (stored, created) = await ledger.AddRefundRequestAsync(request, cancellationToken).ConfigureAwait(false);
        if (created)
        {
            await AuditAsync("guardian:" + guardianId, "refund-requested", stored, cancellationToken).ConfigureAwait(false);
        }

        return new RefundResult(new Decision(Outcome.Allow, ReasonCode.Allowed, RequirementIds, DecisionDetails.None), stored, created);
    }

    public Task<RefundResult> ApproveAsync(string refundId, string decidedBy, string? note = null, CancellationToken cancellationToken = default) =>
        DecideAsync(refundId, RefundStatus.Approved, decidedBy, note, cancellationToken);

    public Task<RefundResult> RefuseAsync(string refundId, string decidedBy, string? reason, CancellationToken cancellationToken = default) =>
        DecideAsync(refundId, RefundStatus.Refused, decidedBy, reason, cancellationToken);

    public Task<RefundRequest?> GetAsync(string refundId, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(refundId);
        return ledger.GetRefundRequestAsync(refundId, cancellationToken);
    }

    private async Task<RefundResult> DecideAsync(string refundId, RefundStatus status, string decidedBy, string? reason, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(refundId);
        ArgumentException.ThrowIfNullOrWhiteSpace(decidedBy);
        var settings = Settings();
        if (reason is { } r && r.Length > settings.MaxReasonLength)
        {
            throw new ArgumentException($"The reason is longer than {settings.MaxReasonLength} characters.", nameof(reason));
        }

        var current = await ledger.GetRefundRequestAsync(refundId, cancellationToken).ConfigureAwait(false);
        if (current is null)
        {
            return new RefundResult(Decision.Deny(ReasonCode.UnknownRefundRequest), null);
        }

        // The guardian is owed a written reason for a refusal; checked before the state moves.
        if (status == RefundStatus.Refused && string.IsNullOrWhiteSpace(reason))
        {
            return new RefundResult(Decision.Deny(ReasonCode.RefundReasonRequired, RequirementIds), current);
        }

        var decided = await ledger.DecideRefundAsync(refundId, status, decidedBy, string.IsNullOrWhiteSpace(reason) ? null : reason.Trim(), time.GetUtcNow(), cancellationToken)
            .ConfigureAwait(false);
        if (decided is null)
        {
            // Someone else decided first (compare-and-set): report the state as it is now.
            var now = await ledger.GetRefundRequestAsync(refundId, cancellationToken).ConfigureAwait(false);
            return new RefundResult(Decision.Deny(ReasonCode.RefundTransitionNotAllowed, RequirementIds), now);
        }

        await AuditAsync("staff:" + decidedBy, status == RefundStatus.Approved ? "refund-approved" : "refund-refused", decided, cancellationToken).ConfigureAwait(false);
        return new RefundResult(new Decision(Outcome.Allow, ReasonCode.Allowed, RequirementIds, DecisionDetails.None), decided);
    }

    private SpendingOptions Settings()
    {
        var settings = options.Value;
        return settings.RefundDecisionWithin > TimeSpan.Zero && settings.MaxReasonLength > 0
            ? settings
            : throw new TeenModeConfigurationException($"{nameof(SpendingOptions)}: {nameof(SpendingOptions.RefundDecisionWithin)} and {nameof(SpendingOptions.MaxReasonLength)} must be positive.");
    }

    private async Task AuditAsync(string actor, string action, RefundRequest request, CancellationToken cancellationToken)
    {
        // Ids, amounts and times only: the guardian's and reviewer's free text stays out of the audit log.
        var details = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["spendId"] = request.SpendId,
            ["amount"] = request.Amount.ToString("0.00", CultureInfo.InvariantCulture),
            ["status"] = request.Status.ToString(),
            ["dueAt"] = request.DueAt.UtcDateTime.ToString("O", CultureInfo.InvariantCulture),
        };
        try
        {
            await audit.AppendAsync(new AuditEvent(actor, action, request.SubjectId, request.Id, details), cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            // The step is stored already; failing the request now would hide a real state change from the caller.
            _logger.LogError(ex, "Audit log unavailable; refund step {Action} was stored but not audited.", action);
        }
    }
}
