using Microsoft.Extensions.DependencyInjection.Extensions;
using TeenMode.Reporting;
using TeenMode.Rules;
using TeenMode.Sqlite;
using TeenMode.Subjects;

namespace ShortVideoApp;

/// <summary>Broken pieces of the reporting channel used by <see cref="Mutants"/> (issue 6).</summary>
internal static class ReportingMutants
{
    /// <summary>The reporting mutants.</summary>
    public static IReadOnlyList<MutantInfo> All { get; } =
    [
        new("report-refused-in-teen-mode", "A minor in teen mode cannot file a report (the entry is hidden in teen mode, or blocked with the app during the curfew).", ["RP-INTAKE-TEEN-MODE"]),
        new("report-status-frozen", "Workflow steps answer OK but are never stored, so the reporter never sees progress.", ["RP-STATUS-READABLE"]),
        new("escalation-dropped", "Reports of harm to a minor are stored without their authority notice.", ["RP-ESCALATION-SINK"]),
        new("report-deadline-doubled", "Report deadlines are twice the rule pack's, so late reports are not flagged.", ["RP-DEADLINE-OVERDUE"]),
    ];

    /// <summary>Applies the reporting mutant called <paramref name="name"/>; false when it is not one of them.</summary>
    public static bool TryApply(IServiceCollection services, string name)
    {
        switch (name)
        {
            case "report-refused-in-teen-mode":
                var original = services.Last(d => d.ServiceType == typeof(IReportingChannel));
                services.Replace(ServiceDescriptor.Singleton<IReportingChannel>(sp =>
                    new TeenModeRefusingChannel((IReportingChannel)original.ImplementationFactory!(sp), sp.GetRequiredService<ISubjectStore>())));
                return true;
            case "report-status-frozen":
                services.Replace(ServiceDescriptor.Singleton<IReportWorkflowStore>(sp => new FrozenStatusStore(sp.GetRequiredService<SqliteReportWorkflowStore>())));
                return true;
            case "escalation-dropped":
                services.Replace(ServiceDescriptor.Singleton<IReportWorkflowStore>(sp => new NoticeDroppingStore(sp.GetRequiredService<SqliteReportWorkflowStore>())));
                return true;
            case "report-deadline-doubled":
                services.Replace(ServiceDescriptor.Singleton<IReportDeadlinePolicy>(sp => new DoubledDeadlines(sp.GetRequiredService<RulePack>())));
                return true;
            default:
                return false;
        }
    }

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

        public Task<OutboxBacklog> GetOutboxBacklogAsync(CancellationToken cancellationToken = default) => inner.GetOutboxBacklogAsync(cancellationToken);
    }

    private sealed class ForgetfulWorkflowStore(IReportWorkflowStore inner) : DelegatingWorkflowStore(inner)
    {
        public override Task<(ReportRecord Stored, bool Created)> FileAsync(ReportRecord record, ReportTracking tracking, AuthorityNotice? notice, CancellationToken cancellationToken = default) =>
            base.FileAsync(record with { IdempotencyKey = record.IdempotencyKey + "#" + record.Id }, tracking, notice, cancellationToken);
    }

    private sealed class FrozenStatusStore(IReportWorkflowStore inner) : DelegatingWorkflowStore(inner)
    {
        public override Task<bool> TransitionAsync(string reportId, ReportTransition transition, IReadOnlyList<ReportAction> actions, CancellationToken cancellationToken = default) =>
            Task.FromResult(true);
    }

    private sealed class NoticeDroppingStore(IReportWorkflowStore inner) : DelegatingWorkflowStore(inner)
    {
        public override Task<(ReportRecord Stored, bool Created)> FileAsync(ReportRecord record, ReportTracking tracking, AuthorityNotice? notice, CancellationToken cancellationToken = default) =>
            base.FileAsync(record, tracking with { Escalated = false }, null, cancellationToken);
    }

    private sealed class DoubledDeadlines(RulePack pack) : IReportDeadlinePolicy
    {
        public ReportCategoryRules RulesFor(ReportCategory category)
        {
            var rules = pack.Reporting!.For(category);
            return rules with { TriageWithin = rules.TriageWithin * 2, ResolveWithin = rules.ResolveWithin * 2 };
        }
    }

    private sealed class TeenModeRefusingChannel(IReportingChannel inner, ISubjectStore subjects) : IReportingChannel
    {
        public Task<ReportFiling> FileAsync(ReportSubmission submission, string idempotencyKey, CancellationToken cancellationToken = default) =>
            inner.FileAsync(submission, idempotencyKey, cancellationToken);

        public async Task<ReportFiling> FileAsync(ReportSubmission submission, ReportContext context, string idempotencyKey, CancellationToken cancellationToken = default) =>
            context.SubjectId is { } id && await subjects.GetAsync(id, cancellationToken) is { TeenMode: true }
                ? new ReportFiling(null, false, TeenMode.Decision.Deny(new TeenMode.ReasonCode("feature-unavailable-in-teen-mode")))
                : await inner.FileAsync(submission, context, idempotencyKey, cancellationToken);

        public Task<ReportRecord?> GetAsync(string reportId, CancellationToken cancellationToken = default) => inner.GetAsync(reportId, cancellationToken);

        public Task<ReportView?> GetViewAsync(string reportId, CancellationToken cancellationToken = default) => inner.GetViewAsync(reportId, cancellationToken);

        public Task<IReadOnlyList<ReportView>> ListForSubjectAsync(string subjectId, CancellationToken cancellationToken = default) =>
            inner.ListForSubjectAsync(subjectId, cancellationToken);
    }
}
