using TeenMode.Reporting;

namespace TeenMode.AspNetCore.Internal;

/// <summary>Wire shapes of the reporting workflow (docs/http-api.md).</summary>
internal static class ReportingDto
{
    /// <summary>What the reporter and the minor's guardians see: no reviewer ids, no description.</summary>
    public static object Public(ReportView v) => new
    {
        reportId = v.Report.Id,
        status = WireNames.Of(v.Report.Status),
        category = WireNames.Of(v.Report.Submission.Category),
        targetKind = v.Report.Submission.TargetKind,
        receivedAt = v.Report.ReceivedAt,
        triageDueAt = v.Tracking.TriageDueAt,
        resolveDueAt = v.Tracking.ResolveDueAt,
        overdue = v.Overdue,
        history = v.Tracking.History.Select(t => new { status = WireNames.Of(t.To), at = t.At, reason = t.Reason }),
        actions = v.Tracking.Actions.Select(a => new { kind = WireNames.Of(a.Kind), at = a.At }),
        outcome = Outcome(v),
        protectiveOptions = v.ProtectiveOptions.Select(WireNames.Of),
        escalation = Escalation(v),
    };

    /// <summary>What a reviewer sees: also who did what, the target and the evidence references.</summary>
    public static object Review(ReportView v) => new
    {
        reportId = v.Report.Id,
        status = WireNames.Of(v.Report.Status),
        category = WireNames.Of(v.Report.Submission.Category),
        reporterKind = WireNames.Of(v.Report.Submission.ReporterKind),
        targetKind = v.Report.Submission.TargetKind,
        targetId = v.Report.Submission.TargetId,
        subjectId = v.Tracking.Context.SubjectId,
        evidence = v.Tracking.Context.EvidenceRefs,
        description = v.Report.Submission.Description,
        receivedAt = v.Report.ReceivedAt,
        triageDueAt = v.Tracking.TriageDueAt,
        resolveDueAt = v.Tracking.ResolveDueAt,
        overdue = v.Overdue,
        history = v.Tracking.History.Select(t => new { from = WireNames.Of(t.From), status = WireNames.Of(t.To), at = t.At, actor = t.Actor, reason = t.Reason }),
        actions = v.Tracking.Actions.Select(a => new { kind = WireNames.Of(a.Kind), targetId = a.TargetId, at = a.At, actor = a.Actor }),
        outcome = Outcome(v),
        protectiveOptions = v.ProtectiveOptions.Select(WireNames.Of),
        escalation = Escalation(v),
    };

    public static object Notice(AuthorityNotice n) => new
    {
        noticeId = n.Id,
        reportId = n.ReportId,
        idempotencyKey = n.IdempotencyKey,
        attempts = n.Attempts,
        delivered = n.DeliveredAt is not null,
        deliveredAt = n.DeliveredAt,
        nextAttemptAt = n.DeliveredAt is null ? n.NextAttemptAt : (DateTimeOffset?)null,
        lastError = n.LastError,
    };

    // actioned / rejected / pending: the short answer a reporter wants.
    private static string Outcome(ReportView v)
    {
        foreach (var t in v.Tracking.History.Reverse())
        {
            if (t.To is ReportStatus.Actioned or ReportStatus.Rejected)
            {
                return WireNames.Of(t.To);
            }
        }

        return "pending";
    }

    private static object? Escalation(ReportView v) => v.Escalation is not { } n
        ? null
        : new { state = n.DeliveredAt is null ? "queued" : "delivered", deliveredAt = n.DeliveredAt };
}
