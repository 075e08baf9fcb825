namespace TeenMode.Spending;

/// <summary>
/// A subject's spends outside online games and the guardians' refund requests. Every check-and-record is one atomic step
/// per subject, so payments from several devices at once never pass a cap together.
/// </summary>
public interface ISpendingLedgerStore
{
    /// <summary>
    /// In one atomic step: when <paramref name="spend"/> has an idempotency key already used by the subject, returns the first
    /// spend (same category, amount and item: <see cref="SpendAttempt.Replayed"/>) or a conflict; otherwise reads the
    /// subject's day and month totals in the category (refunded spends excluded) and records the spend only when
    /// <paramref name="limit"/> admits it (<see cref="SpendLimit.Admits"/>).
    /// </summary>
    Task<SpendAttempt> TryRecordSpendAsync(SpendRecord spend, SpendLimit limit, CancellationToken cancellationToken = default);

    /// <summary>The totals of (subject, category) on a local day and month, refunded spends excluded.</summary>
    Task<SpendTotals> GetTotalsAsync(string subjectId, string category, DateOnly localDate, string month, CancellationToken cancellationToken = default);

    /// <summary>One spend, or null.</summary>
    Task<SpendRecord?> GetSpendAsync(string spendId, CancellationToken cancellationToken = default);

    /// <summary>The subject's spends recorded in [<paramref name="since"/>, <paramref name="until"/>), oldest first.</summary>
    Task<IReadOnlyList<SpendRecord>> ListSpendsAsync(string subjectId, DateTimeOffset since, DateTimeOffset until, CancellationToken cancellationToken = default);

    /// <summary>Stores a refund request unless the spend has one already; returns the stored one and whether it was created now.</summary>
    Task<(RefundRequest Stored, bool Created)> AddRefundRequestAsync(RefundRequest request, CancellationToken cancellationToken = default);

    /// <summary>One refund request, or null.</summary>
    Task<RefundRequest?> GetRefundRequestAsync(string refundId, CancellationToken cancellationToken = default);

    /// <summary>
    /// Compare-and-set: moves a <see cref="RefundStatus.Pending"/> request to <paramref name="status"/> and, for
    /// <see cref="RefundStatus.Approved"/>, marks its spend refunded at <paramref name="at"/> in the same atomic step.
    /// Returns the updated request, or null when it is unknown or no longer pending (nothing changed).
    /// </summary>
    Task<RefundRequest?> DecideRefundAsync(string refundId, RefundStatus status, string decidedBy, string? reason, DateTimeOffset at,
        CancellationToken cancellationToken = default);

    /// <summary>The subject's refund requests filed in [<paramref name="since"/>, <paramref name="until"/>), oldest first.</summary>
    Task<IReadOnlyList<RefundRequest>> ListRefundRequestsAsync(string subjectId, DateTimeOffset since, DateTimeOffset until, CancellationToken cancellationToken = default);
}
