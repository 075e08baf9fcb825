using TeenMode.Reporting;

namespace ShortVideoApp;

/// <summary>Broken pieces of the reporting channel used by <see cref="Mutants"/> (issue 6).</summary>
internal static class ReportingMutants
{
    /// <summary>A workflow store that treats every filing as new, so the same idempotency key gets a new receipt.</summary>
    public static IReportWorkflowStore Forgetful(IReportWorkflowStore inner) => new ForgetfulWorkflowStore(inner);

    /// <summary>Base for mutants that change one behaviour of the workflow store.</summary>
    internal class DelegatingWorkflowStore(IReportWorkflowStore inner) : IReportWorkflowStore
    {
        public virtual Task<(ReportRecord Stored, bool Created)> FileAsync(ReportRecord record, ReportTracking tracking, AuthorityNotice? notice, CancellationToken cancellationToken = default) =>
            inner.FileAsync(record, tracking, notice, cancellationToken);

        public Task<ReportTracking?> GetTrackingAsync(string reportId, CancellationToken cancellationToken = default) => inner.GetTrackingAsync(reportId, cancellationToken);

        public virtual Task<bool> TransitionAsync(string reportId, ReportTransition transition, IReadOnlyList<ReportAction> actions, CancellationToken cancellationToken = default) =>
            inner.TransitionAsync(reportId, transition, actions, cancellationToken);

        public Task<IReadOnlyList<(ReportRecord Report, ReportTracking Tracking)>> ListOpenAsync(int limit, CancellationToken cancellationToken = default) =>
            inner.ListOpenAsync(limit, cancellationToken);

        public Task<IReadOnlyList<ReportRecord>> ListForSubjectAsync(string subjectId, int limit, CancellationToken cancellationToken = default) =>
            inner.ListForSubjectAsync(subjectId, limit, cancellationToken);

        public Task<IReadOnlyList<AuthorityNotice>> GetDueNoticesAsync(DateTimeOffset now, int limit, CancellationToken cancellationToken = default) =>
            inner.GetDueNoticesAsync(now, limit, cancellationToken);

        public Task<AuthorityNotice?> GetNoticeForReportAsync(string reportId, CancellationToken cancellationToken = default) =>
            inner.GetNoticeForReportAsync(reportId, cancellationToken);

        public Task<IReadOnlyList<AuthorityNotice>> ListNoticesAsync(int limit, CancellationToken cancellationToken = default) => inner.ListNoticesAsync(limit, cancellationToken);

        public Task MarkNoticeDeliveredAsync(string noticeId, int attempts, DateTimeOffset at, CancellationToken cancellationToken = default) =>
            inner.MarkNoticeDeliveredAsync(noticeId, attempts, at, cancellationToken);

        public Task MarkNoticeFailedAsync(string noticeId, int attempts, DateTimeOffset nextAttemptAt, string failure, CancellationToken cancellationToken = default) =>
            inner.MarkNoticeFailedAsync(noticeId, attempts, nextAttemptAt, failure, cancellationToken);
    }

    private sealed class ForgetfulWorkflowStore(IReportWorkflowStore inner) : DelegatingWorkflowStore(inner)
    {
        public override Task<(ReportRecord Stored, bool Created)> FileAsync(ReportRecord record, ReportTracking tracking, AuthorityNotice? notice, CancellationToken cancellationToken = default) =>
            base.FileAsync(record with { IdempotencyKey = record.IdempotencyKey + "#" + record.Id }, tracking, notice, cancellationToken);
    }
}
