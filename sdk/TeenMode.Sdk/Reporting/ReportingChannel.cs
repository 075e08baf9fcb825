using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.RegularExpressions;
using Newtonsoft.Json;
using Newtonsoft.Json.Linq;
using TeenMode.Audit;
using TeenMode.Rules;
using TeenMode.Subjects;

namespace TeenMode.Reporting;

internal sealed partial class ReportingChannel(
    IReportStore reports,
    IReportWorkflowStore workflow,
    ISubjectStore subjects,
    IReportDeadlinePolicy policy,
    IReportActionExecutor executor,
    IAuditLog audit,
    ReportingMetrics metrics,
    TimeProvider time) : IReportingChannel, IReportReview
{
    private const int ListLimit = 500;
    private static readonly ProtectiveOption[] BullyingOptions = [ProtectiveOption.BlockStrangers, ProtectiveOption.LimitVisibility, ProtectiveOption.DisableMessages];

    public Task<ReportFiling> FileAsync(ReportSubmission submission, string idempotencyKey, CancellationToken cancellationToken = default) =>
        FileAsync(submission, ReportContext.None, idempotencyKey, cancellationToken);

    public async Task<ReportFiling> FileAsync(ReportSubmission submission, ReportContext context, string idempotencyKey, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(submission);
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(context.EvidenceRefs);
        ArgumentException.ThrowIfNullOrWhiteSpace(idempotencyKey);
        if (context.SubjectId is { } subjectId && await subjects.GetAsync(subjectId, cancellationToken).ConfigureAwait(false) is null)
        {
            return new ReportFiling(null, false, Decision.Deny(ReasonCode.UnknownSubject));
        }

        var rules = policy.RulesFor(submission.Category);
        var now = time.GetUtcNow();
        var hash = Hash(submission, context);
        var record = new ReportRecord(NewId("rpt_"), idempotencyKey, hash, submission, ReportStatus.Received, now);
        var notice = rules.EscalateToAuthority ? NewNotice(record, context, rules) : null;
        var tracking = new ReportTracking(record.Id, context, now + rules.TriageWithin, now + rules.ResolveWithin, notice is not null, [], []);

        var (stored, created) = await workflow.FileAsync(record, tracking, notice, cancellationToken).ConfigureAwait(false);
        if (!created && !string.Equals(stored.RequestHash, hash, StringComparison.Ordinal))
        {
            return new ReportFiling(null, false, Decision.Deny(ReasonCode.IdempotencyKeyReused));
        }

        if (created)
        {
            metrics.Filed(submission.Category);

            // Codes and ids only: the description and the reporter's id may be personal data.
            var details = new Dictionary<string, string>
            {
                ["category"] = ReportingRules.WireName(submission.Category),
                ["reporterKind"] = Kebab.Of(submission.ReporterKind),
                ["targetKind"] = submission.TargetKind,
                ["escalated"] = notice is null ? "false" : "true",
            };
            await audit.AppendAsync(new AuditEvent("system", "report-filed", context.SubjectId, record.Id, details), cancellationToken).ConfigureAwait(false);
        }

        return new ReportFiling(new ReportReceipt(stored.Id, stored.Status, stored.ReceivedAt), !created, null);
    }

    public Task<ReportRecord?> GetAsync(string reportId, CancellationToken cancellationToken = default) =>
        reports.GetAsync(reportId, cancellationToken);

    public async Task<ReportView?> GetViewAsync(string reportId, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(reportId);
        var report = await reports.GetAsync(reportId, cancellationToken).ConfigureAwait(false);
        if (report is null)
        {
            return null;
        }

        var tracking = await workflow.GetTrackingAsync(reportId, cancellationToken).ConfigureAwait(false)
            ?? LegacyTracking(report);
        return await ViewAsync(report, tracking, time.GetUtcNow(), cancellationToken).ConfigureAwait(false);
    }

    public async Task<IReadOnlyList<ReportView>> ListForSubjectAsync(string subjectId, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(subjectId);
        var now = time.GetUtcNow();
        var views = new List<ReportView>();
        foreach (var report in await workflow.ListForSubjectAsync(subjectId, ListLimit, cancellationToken).ConfigureAwait(false))
        {
            var tracking = await workflow.GetTrackingAsync(report.Id, cancellationToken).ConfigureAwait(false) ?? LegacyTracking(report);
            views.Add(await ViewAsync(report, tracking, now, cancellationToken).ConfigureAwait(false));
        }

        return views;
    }

    public Task<Decision> TriageAsync(string reportId, string actor, CancellationToken cancellationToken = default) =>
        MoveAsync(reportId, actor, ReportStatus.Received, ReportStatus.Triaged, null, [], cancellationToken);

    public async Task<Decision> ActAsync(string reportId, string actor, IReadOnlyList<(ReportActionKind Kind, string TargetId)> actions, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(actions);
        if (actions.Count == 0)
        {
            throw new ArgumentException("Give at least one action; a report without action is rejected, not actioned.", nameof(actions));
        }

        ArgumentException.ThrowIfNullOrWhiteSpace(reportId);
        ArgumentException.ThrowIfNullOrWhiteSpace(actor);
        var report = await reports.GetAsync(reportId, cancellationToken).ConfigureAwait(false);
        if (report is null)
        {
            return Decision.Deny(ReasonCode.UnknownReport);
        }

        if (report.Status != ReportStatus.Triaged)
        {
            return Decision.Deny(ReasonCode.ReportTransitionNotAllowed);
        }

        var now = time.GetUtcNow();
        var taken = new List<ReportAction>(actions.Count);
        foreach (var (kind, targetId) in actions)
        {
            ArgumentException.ThrowIfNullOrWhiteSpace(targetId, nameof(actions));
            var action = new ReportAction(kind, targetId, now, actor);
            if (!await executor.ExecuteAsync(report, action, cancellationToken).ConfigureAwait(false))
            {
                return Decision.Deny(ReasonCode.ReportActionFailed);
            }

            taken.Add(action);
        }

        return await MoveAsync(reportId, actor, ReportStatus.Triaged, ReportStatus.Actioned, null, taken, cancellationToken).ConfigureAwait(false);
    }

    public Task<Decision> RejectAsync(string reportId, string actor, string reason, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(reason);
        if (!ReasonPattern().IsMatch(reason))
        {
            throw new ArgumentException("The reason is a short kebab-case code such as 'no-violation', never free text.", nameof(reason));
        }

        return MoveAsync(reportId, actor, ReportStatus.Triaged, ReportStatus.Rejected, reason, [], cancellationToken);
    }

    public async Task<Decision> CloseAsync(string reportId, string actor, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(reportId);
        var report = await reports.GetAsync(reportId, cancellationToken).ConfigureAwait(false);
        if (report is null)
        {
            return Decision.Deny(ReasonCode.UnknownReport);
        }

        return report.Status is ReportStatus.Actioned or ReportStatus.Rejected
            ? await MoveAsync(reportId, actor, report.Status, ReportStatus.Closed, null, [], cancellationToken).ConfigureAwait(false)
            : Decision.Deny(ReasonCode.ReportTransitionNotAllowed);
    }

    public async Task<IReadOnlyList<ReportView>> ListOverdueAsync(CancellationToken cancellationToken = default)
    {
        var now = time.GetUtcNow();
        var overdue = new List<ReportView>();
        foreach (var (report, tracking) in await workflow.ListOpenAsync(int.MaxValue, cancellationToken).ConfigureAwait(false))
        {
            if (IsOverdue(report, tracking, now))
            {
                overdue.Add(await ViewAsync(report, tracking, now, cancellationToken).ConfigureAwait(false));
            }
        }

        metrics.SetOverdue(overdue.Count);
        return overdue;
    }

    /// <summary>Overdue once a deadline has passed (strictly after it) and the step it guards is not done.</summary>
    internal static bool IsOverdue(ReportRecord report, ReportTracking tracking, DateTimeOffset now) =>
        (report.Status == ReportStatus.Received && now > tracking.TriageDueAt)
        || (report.Status != ReportStatus.Closed && now > tracking.ResolveDueAt);

    private async Task<Decision> MoveAsync(string reportId, string actor, ReportStatus from, ReportStatus to, string? reason,
        List<ReportAction> actions, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(reportId);
        ArgumentException.ThrowIfNullOrWhiteSpace(actor);
        var report = await reports.GetAsync(reportId, cancellationToken).ConfigureAwait(false);
        if (report is null)
        {
            return Decision.Deny(ReasonCode.UnknownReport);
        }

        var now = time.GetUtcNow();
        var transition = new ReportTransition(from, to, now, actor, reason);
        if (report.Status != from || !await workflow.TransitionAsync(reportId, transition, actions, cancellationToken).ConfigureAwait(false))
        {
            return Decision.Deny(ReasonCode.ReportTransitionNotAllowed);
        }

        var category = report.Submission.Category;
        metrics.Transitioned(category, to);
        if (to == ReportStatus.Triaged)
        {
            metrics.Triaged(category, now - report.ReceivedAt);
        }
        else if (to == ReportStatus.Closed)
        {
            metrics.Closed(category, now - report.ReceivedAt);
        }

        var tracking = await workflow.GetTrackingAsync(reportId, cancellationToken).ConfigureAwait(false);
        var details = new Dictionary<string, string>
        {
            ["category"] = ReportingRules.WireName(category),
            ["from"] = Wire(from),
            ["to"] = Wire(to),
        };
        if (reason is not null)
        {
            details["reason"] = reason;
        }

        if (actions.Count > 0)
        {
            details["actions"] = string.Join(',', actions.Select(a => Kebab.Of(a.Kind)));
        }

        await audit.AppendAsync(new AuditEvent(actor, "report-" + Wire(to), tracking?.Context.SubjectId, reportId, details), cancellationToken).ConfigureAwait(false);
        return Decision.Allow();
    }

    private async Task<ReportView> ViewAsync(ReportRecord report, ReportTracking tracking, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var notice = tracking.Escalated ? await workflow.GetNoticeForReportAsync(report.Id, cancellationToken).ConfigureAwait(false) : null;
        var options = report.Submission.Category == ReportCategory.Bullying ? BullyingOptions : [];
        return new ReportView(report, tracking, IsOverdue(report, tracking, now), options, notice);
    }

    // Reports filed before tracking existed: deadlines from the pack, counted from receipt.
    private ReportTracking LegacyTracking(ReportRecord report)
    {
        var rules = policy.RulesFor(report.Submission.Category);
        return new ReportTracking(report.Id, ReportContext.None, report.ReceivedAt + rules.TriageWithin, report.ReceivedAt + rules.ResolveWithin, false, [], []);
    }

    private static AuthorityNotice NewNotice(ReportRecord record, ReportContext context, ReportCategoryRules rules)
    {
        var id = NewId("ntc_");
        var s = record.Submission;

        // Ids and codes only, no description: the authority follows up with the platform for the evidence.
        var payload = new JObject
        {
            ["type"] = "teenmode.authority-notice",
            ["version"] = 1,
            ["noticeId"] = id,
            ["reportId"] = record.Id,
            ["category"] = ReportingRules.WireName(s.Category),
            ["targetKind"] = s.TargetKind,
            ["targetId"] = s.TargetId,
            ["subjectId"] = context.SubjectId,
            ["receivedAt"] = record.ReceivedAt.UtcDateTime.ToString("yyyy-MM-ddTHH:mm:ss.fffZ", CultureInfo.InvariantCulture),
            ["evidenceRefs"] = new JArray(context.EvidenceRefs),
            ["requirementIds"] = new JArray(rules.EscalationRequirementIds),
        };
        return new AuthorityNotice(id, record.Id, "teenmode-notice-" + record.Id, payload.ToString(Formatting.None), record.ReceivedAt, 0, record.ReceivedAt, null, null);
    }

    private static string NewId(string prefix) => prefix + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(12));

    private static string Wire(ReportStatus status) => status.ToString().ToLowerInvariant();

    private static string Hash(ReportSubmission s, ReportContext context)
    {
        var canonical = string.Join('\u001f', s.ReporterKind, s.ReporterId, s.Category, s.TargetKind, s.TargetId, s.Description);
        if (context.SubjectId is not null || context.EvidenceRefs.Count > 0)
        {
            // Reports filed without context keep the original hash, so keys stored before tracking existed still replay.
            canonical += '\u001e' + string.Join('\u001f', [context.SubjectId ?? string.Empty, .. context.EvidenceRefs]);
        }

        return Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(canonical)));
    }

    [GeneratedRegex("^[a-z][a-z0-9-]{0,63}$", RegexOptions.CultureInvariant)]
    private static partial Regex ReasonPattern();
}
