namespace TeenMode.Reporting;

/// <summary>The 举报 channel: minors, guardians and others report harmful content or harm to a minor.</summary>
public interface IReportingChannel
{
    /// <summary>
    /// Files a report. The report is stored durably before the receipt is returned; the same
    /// idempotency key returns the same receipt, and reusing it for a different report is refused.
    /// </summary>
    Task<ReportFiling> FileAsync(ReportSubmission submission, string idempotencyKey, CancellationToken cancellationToken = default);

    /// <summary>
    /// Files a report naming the minor concerned and evidence references. Categories the rule pack escalates get an
    /// authority notice stored in the same transaction as the report. A named minor who is unknown is refused
    /// with <see cref="ReasonCode.UnknownSubject"/>.
    /// </summary>
    Task<ReportFiling> FileAsync(ReportSubmission submission, ReportContext context, string idempotencyKey, CancellationToken cancellationToken = default);

    /// <summary>Reads a report, or null.</summary>
    Task<ReportRecord?> GetAsync(string reportId, CancellationToken cancellationToken = default);

    /// <summary>Reads a report with its status history, outcome, deadlines and escalation state, or null.</summary>
    Task<ReportView?> GetViewAsync(string reportId, CancellationToken cancellationToken = default);

    /// <summary>The reports about a minor, newest first (what the minor's guardians may follow).</summary>
    Task<IReadOnlyList<ReportView>> ListForSubjectAsync(string subjectId, CancellationToken cancellationToken = default);
}

/// <summary>
/// The reviewers' side of the channel: received → triaged → actioned or rejected → closed. Every step is timed,
/// attributed to an actor and appended to the audit log. A step the status does not allow is denied, never thrown.
/// </summary>
public interface IReportReview
{
    /// <summary>Received → triaged.</summary>
    Task<Decision> TriageAsync(string reportId, string actor, CancellationToken cancellationToken = default);

    /// <summary>Triaged → actioned, carrying out and recording at least one action.</summary>
    Task<Decision> ActAsync(string reportId, string actor, IReadOnlyList<(ReportActionKind Kind, string TargetId)> actions, CancellationToken cancellationToken = default);

    /// <summary>Triaged → rejected with a short kebab-case reason code (e.g. <c>no-violation</c>).</summary>
    Task<Decision> RejectAsync(string reportId, string actor, string reason, CancellationToken cancellationToken = default);

    /// <summary>Actioned or rejected → closed.</summary>
    Task<Decision> CloseAsync(string reportId, string actor, CancellationToken cancellationToken = default);

    /// <summary>Open reports past a deadline, oldest first (also updates the overdue gauge).</summary>
    Task<IReadOnlyList<ReportView>> ListOverdueAsync(CancellationToken cancellationToken = default);
}
