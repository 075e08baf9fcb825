namespace TeenMode.PersonalInfo;

/// <summary>Where a personal-information incident stands: declared → notified → reported.</summary>
public enum BreachStatus
{
    /// <summary>Declared; guardian notices are queued.</summary>
    Declared,

    /// <summary>Every guardian notice was delivered.</summary>
    Notified,

    /// <summary>The authority report was submitted.</summary>
    Reported,
}

/// <summary>One minor affected by an incident and which categories of their data were involved.</summary>
public sealed record BreachAffectedSubject(string SubjectId, IReadOnlyList<string> Categories);

/// <summary>What the app declares about an incident (PIPL-57: type, cause, harm, remedies, contact).</summary>
/// <param name="OccurredAt">When it happened (or was found).</param>
/// <param name="Categories">Kebab-case categories of data involved, e.g. <c>birth-date</c>, <c>contact</c>.</param>
/// <param name="AffectedSubjects">The minors affected; a subject without its own categories takes the incident's.</param>
/// <param name="Cause">The cause (free text; redacted when stored).</param>
/// <param name="Harm">The harm that may follow.</param>
/// <param name="Remedies">What the app did and what individuals can do.</param>
/// <param name="Contact">How to reach the app about it (a service line or mailbox, not a person's data).</param>
public sealed record BreachDeclaration(
    DateTimeOffset OccurredAt,
    IReadOnlyList<string> Categories,
    IReadOnlyList<BreachAffectedSubject> AffectedSubjects,
    string Cause,
    string Harm,
    string Remedies,
    string Contact);

/// <summary>A declared incident.</summary>
public sealed record BreachIncident(
    string Id,
    BreachDeclaration Facts,
    string DeclaredBy,
    DateTimeOffset DeclaredAt,
    BreachStatus Status,
    DateTimeOffset? NotifiedAt = null,
    DateTimeOffset? ReportedAt = null);

/// <summary>A notice to one guardian (or to the minor when no guardian is bound) about an incident; kept until delivered.</summary>
/// <param name="Id">The notice id.</param>
/// <param name="IncidentId">The incident.</param>
/// <param name="SubjectId">The minor concerned.</param>
/// <param name="RecipientKind"><c>guardian</c>, or <c>subject</c> when the minor has no guardian bound.</param>
/// <param name="RecipientId">The guardian id (or the subject id).</param>
/// <param name="Text">What the notice says (zh-CN and English).</param>
/// <param name="CreatedAt">When it was queued (with the incident, in the same transaction).</param>
/// <param name="Attempts">Delivery attempts so far.</param>
/// <param name="SentAt">When a notifier accepted it.</param>
/// <param name="LastError">Why the last attempt failed.</param>
public sealed record BreachNotice(
    string Id,
    string IncidentId,
    string SubjectId,
    string RecipientKind,
    string RecipientId,
    LocalizedText Text,
    DateTimeOffset CreatedAt,
    int Attempts = 0,
    DateTimeOffset? SentAt = null,
    string? LastError = null);

/// <summary>An incident with its notices.</summary>
public sealed record BreachView(BreachIncident Incident, IReadOnlyList<BreachNotice> Notices);

/// <summary>The result of a step of the incident flow.</summary>
public sealed record BreachResult(Decision Decision, BreachView? View);

/// <summary>Delivers a guardian notice (app push, SMS, mail, letter). Return false to try again later: the notice stays queued.</summary>
public interface IBreachNotifier
{
    /// <summary>Delivers <paramref name="notice"/>; true when accepted.</summary>
    Task<bool> SendAsync(BreachNotice notice, CancellationToken cancellationToken = default);
}

/// <summary>
/// The incident flow for minors' personal information (REG-MINOR-35, PIPL-57): declare an incident, notify every bound
/// guardian of each affected minor, and submit an authority report that lists the affected minors by id only.
/// </summary>
public interface IBreachResponse
{
    /// <summary>Declares an incident and queues one notice per guardian of each affected minor, in one transaction.</summary>
    Task<BreachResult> DeclareAsync(BreachDeclaration declaration, string actor, CancellationToken cancellationToken = default);

    /// <summary>Delivers queued notices; when all are delivered the incident becomes notified.</summary>
    Task<BreachResult> NotifyAsync(string incidentId, string actor, CancellationToken cancellationToken = default);

    /// <summary>Marks the authority report as submitted (notified → reported).</summary>
    Task<BreachResult> ReportAsync(string incidentId, string actor, CancellationToken cancellationToken = default);

    /// <summary>The incident with its notices, or null.</summary>
    Task<BreachView?> GetAsync(string incidentId, CancellationToken cancellationToken = default);

    /// <summary>Notices about a minor (what the guardian's inbox shows), newest first.</summary>
    Task<IReadOnlyList<BreachNotice>> ListNoticesForSubjectAsync(string subjectId, CancellationToken cancellationToken = default);
}

/// <summary>Stores incidents and their guardian notices.</summary>
public interface IBreachStore
{
    /// <summary>In ONE transaction: stores the incident and its notices; false when the id exists. Durable on return.</summary>
    Task<bool> AddIncidentAsync(BreachIncident incident, IReadOnlyList<BreachNotice> notices, CancellationToken cancellationToken = default);

    /// <summary>The incident, or null.</summary>
    Task<BreachIncident?> GetIncidentAsync(string incidentId, CancellationToken cancellationToken = default);

    /// <summary>The incident's notices, oldest first.</summary>
    Task<IReadOnlyList<BreachNotice>> ListNoticesAsync(string incidentId, CancellationToken cancellationToken = default);

    /// <summary>Notices about a minor across incidents, newest first.</summary>
    Task<IReadOnlyList<BreachNotice>> ListNoticesForSubjectAsync(string subjectId, CancellationToken cancellationToken = default);

    /// <summary>Records a delivery attempt; a notice once sent stays sent.</summary>
    Task MarkNoticeAsync(string noticeId, int attempts, DateTimeOffset? sentAt, string? lastError, CancellationToken cancellationToken = default);

    /// <summary>Moves the incident from <paramref name="fromStatus"/> to <paramref name="toStatus"/> at <paramref name="at"/>, only if it is still in <paramref name="fromStatus"/>.</summary>
    Task<bool> TransitionIncidentAsync(string incidentId, BreachStatus fromStatus, BreachStatus toStatus, DateTimeOffset at, CancellationToken cancellationToken = default);
}

/// <summary>The default notifier: the notice goes to the guardian's in-app inbox, which is the stored notice itself (read through the API).</summary>
internal sealed class InAppBreachNotifier : IBreachNotifier
{
    /// <inheritdoc />
    public Task<bool> SendAsync(BreachNotice notice, CancellationToken cancellationToken = default) => Task.FromResult(notice is not null);
}
