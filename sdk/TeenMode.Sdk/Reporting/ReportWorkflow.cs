namespace TeenMode.Reporting;

/// <summary>What a reviewer does about a report. The app carries it out (see <see cref="IReportActionExecutor"/>); the SDK records it.</summary>
public enum ReportActionKind
{
    /// <summary>Take the reported content down.</summary>
    TakeDownContent,

    /// <summary>Block the reported user.</summary>
    BlockUser,

    /// <summary>Restrict the reported user (e.g. no messages to minors).</summary>
    RestrictUser,

    /// <summary>Cut contact between the reported user and the minor.</summary>
    UnlinkContact,

    /// <summary>Keep the evidence (records must be kept for the authorities).</summary>
    PreserveEvidence,
}

/// <summary>Protection a bullied minor may switch on for themself.</summary>
public enum ProtectiveOption
{
    /// <summary>Strangers cannot reach the minor.</summary>
    BlockStrangers,

    /// <summary>Only chosen people see the minor's posts.</summary>
    LimitVisibility,

    /// <summary>Nobody can message the minor.</summary>
    DisableMessages,
}

/// <summary>Intake facts beyond <see cref="ReportSubmission"/>.</summary>
/// <param name="SubjectId">The minor concerned (the reporter or the victim), if known; their guardians can then follow the report.</param>
/// <param name="EvidenceRefs">References to evidence the app holds (message ids, screenshot ids); never the evidence itself.</param>
public sealed record ReportContext(string? SubjectId, IReadOnlyList<string> EvidenceRefs)
{
    /// <summary>No minor named, no evidence.</summary>
    public static ReportContext None { get; } = new(null, []);
}

/// <summary>One step of a report's workflow.</summary>
/// <param name="From">The status before.</param>
/// <param name="To">The status after.</param>
/// <param name="At">When (the SDK's clock).</param>
/// <param name="Actor">Who moved it (a reviewer id or <c>system</c>).</param>
/// <param name="Reason">A short kebab-case code (e.g. <c>no-violation</c>); never free text.</param>
public sealed record ReportTransition(ReportStatus From, ReportStatus To, DateTimeOffset At, string Actor, string? Reason);

/// <summary>An action taken on a report.</summary>
/// <param name="Kind">What was done.</param>
/// <param name="TargetId">The content or user it was done to.</param>
/// <param name="At">When.</param>
/// <param name="Actor">Who did it.</param>
public sealed record ReportAction(ReportActionKind Kind, string TargetId, DateTimeOffset At, string Actor);

/// <summary>The workflow state of a report beside its <see cref="ReportRecord"/>.</summary>
/// <param name="ReportId">The report.</param>
/// <param name="Context">The minor concerned and the evidence references.</param>
/// <param name="TriageDueAt">When triage is due (from the rule pack at filing).</param>
/// <param name="ResolveDueAt">When closing is due.</param>
/// <param name="Escalated">True when an authority notice was queued with the report.</param>
/// <param name="History">Every transition, oldest first.</param>
/// <param name="Actions">Every action, oldest first.</param>
public sealed record ReportTracking(
    string ReportId,
    ReportContext Context,
    DateTimeOffset TriageDueAt,
    DateTimeOffset ResolveDueAt,
    bool Escalated,
    IReadOnlyList<ReportTransition> History,
    IReadOnlyList<ReportAction> Actions);

/// <summary>What a reporter, a guardian or a reviewer sees of a report.</summary>
/// <param name="Report">The stored report.</param>
/// <param name="Tracking">Its workflow state.</param>
/// <param name="Overdue">True when a deadline has passed and the step it guards is not done.</param>
/// <param name="ProtectiveOptions">Options the minor may switch on (bullying reports); empty otherwise.</param>
/// <param name="Escalation">The authority notice's delivery state, or null when not escalated.</param>
public sealed record ReportView(
    ReportRecord Report,
    ReportTracking Tracking,
    bool Overdue,
    IReadOnlyList<ProtectiveOption> ProtectiveOptions,
    AuthorityNotice? Escalation);

/// <summary>A notice to the authorities (police, CAC) about a report, kept in the outbox until a sink accepts it.</summary>
/// <param name="Id">The notice id.</param>
/// <param name="ReportId">The report it is about.</param>
/// <param name="IdempotencyKey">Sent with every delivery attempt so the sink can drop duplicates.</param>
/// <param name="Payload">The JSON body sent to the sink (ids and codes, no free text).</param>
/// <param name="CreatedAt">When it was queued (with the report, in the same transaction).</param>
/// <param name="Attempts">Delivery rounds tried so far.</param>
/// <param name="NextAttemptAt">Not retried before this.</param>
/// <param name="DeliveredAt">When a sink accepted it, or null.</param>
/// <param name="LastError">Why the last round failed (no personal data), or null.</param>
public sealed record AuthorityNotice(
    string Id,
    string ReportId,
    string IdempotencyKey,
    string Payload,
    DateTimeOffset CreatedAt,
    int Attempts,
    DateTimeOffset NextAttemptAt,
    DateTimeOffset? DeliveredAt,
    string? LastError);

/// <summary>Carries out report actions in the app (take down, block, unlink). The default does nothing: the app reads the actions.</summary>
public interface IReportActionExecutor
{
    /// <summary>Performs <paramref name="action"/>; returns false when it could not (the action is then not recorded).</summary>
    Task<bool> ExecuteAsync(ReportRecord report, ReportAction action, CancellationToken cancellationToken = default);
}

internal sealed class RecordOnlyActionExecutor : IReportActionExecutor
{
    public Task<bool> ExecuteAsync(ReportRecord report, ReportAction action, CancellationToken cancellationToken = default) => Task.FromResult(true);
}
