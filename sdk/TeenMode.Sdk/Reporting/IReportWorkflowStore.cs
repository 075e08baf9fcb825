namespace TeenMode.Reporting;

/// <summary>Stores the reporting workflow: tracking, transitions, actions and the authority-notice outbox.</summary>
public interface IReportWorkflowStore
{
    /// <summary>
    /// In ONE transaction: stores <paramref name="record"/> with its tracking and, when given, its authority notice, unless a
    /// report with the same idempotency key exists; returns the stored report and whether it was created now. Durable on return.
    /// </summary>
    Task<(ReportRecord Stored, bool Created)> FileAsync(ReportRecord record, ReportTracking tracking, AuthorityNotice? notice, CancellationToken cancellationToken = default);

    /// <summary>The tracking of a report (with history and actions), or null.</summary>
    Task<ReportTracking?> GetTrackingAsync(string reportId, CancellationToken cancellationToken = default);

    /// <summary>
    /// Moves the report from <paramref name="transition"/>.From to .To and records <paramref name="actions"/>, all in one
    /// transaction, only if its status is still .From; false when it is not (another reviewer moved it first) or it is unknown.
    /// </summary>
    Task<bool> TransitionAsync(string reportId, ReportTransition transition, IReadOnlyList<ReportAction> actions, CancellationToken cancellationToken = default);

    /// <summary>Reports not yet closed, oldest first, at most <paramref name="limit"/>.</summary>
    Task<IReadOnlyList<(ReportRecord Report, ReportTracking Tracking)>> ListOpenAsync(int limit, CancellationToken cancellationToken = default);

    /// <summary>Reports whose minor is <paramref name="subjectId"/>, newest first, at most <paramref name="limit"/>.</summary>
    Task<IReadOnlyList<ReportRecord>> ListForSubjectAsync(string subjectId, int limit, CancellationToken cancellationToken = default);

    /// <summary>Undelivered notices due at <paramref name="now"/>, oldest first.</summary>
    Task<IReadOnlyList<AuthorityNotice>> GetDueNoticesAsync(DateTimeOffset now, int limit, CancellationToken cancellationToken = default);

    /// <summary>The notice of a report, or null.</summary>
    Task<AuthorityNotice?> GetNoticeForReportAsync(string reportId, CancellationToken cancellationToken = default);

    /// <summary>Every notice, oldest first, at most <paramref name="limit"/>.</summary>
    Task<IReadOnlyList<AuthorityNotice>> ListNoticesAsync(int limit, CancellationToken cancellationToken = default);

    /// <summary>Records that a sink accepted the notice (a later failure report never undoes this).</summary>
    Task MarkNoticeDeliveredAsync(string noticeId, int attempts, DateTimeOffset at, CancellationToken cancellationToken = default);

    /// <summary>Records a failed delivery round and when to try again (ignored once delivered).</summary>
    Task MarkNoticeFailedAsync(string noticeId, int attempts, DateTimeOffset nextAttemptAt, string failure, CancellationToken cancellationToken = default);

    /// <summary>
    /// How many notices are not yet delivered and when the oldest of them was queued: a read only (nothing is claimed),
    /// for health checks and dashboards.
    /// </summary>
    Task<OutboxBacklog> GetOutboxBacklogAsync(CancellationToken cancellationToken = default);
}

/// <summary>The undelivered part of the authority-notice outbox.</summary>
/// <param name="Count">Notices not yet delivered (due now or waiting for a retry).</param>
/// <param name="OldestCreatedAt">When the oldest undelivered notice was queued; null when there is none.</param>
public sealed record OutboxBacklog(int Count, DateTimeOffset? OldestCreatedAt)
{
    /// <summary>Nothing waiting.</summary>
    public static OutboxBacklog Empty { get; } = new(0, null);
}
