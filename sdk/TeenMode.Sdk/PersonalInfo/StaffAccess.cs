namespace TeenMode.PersonalInfo;

/// <summary>Where a staff access request stands.</summary>
public enum StaffAccessStatus
{
    /// <summary>Waiting for a responsible approver.</summary>
    Pending,

    /// <summary>Approved: reads are allowed until the grant expires.</summary>
    Approved,

    /// <summary>Refused by the approver.</summary>
    Refused,
}

/// <summary>A staff member's request to read one minor's personal data, and its decision.</summary>
/// <param name="Id">The grant id.</param>
/// <param name="StaffId">Who asks to read.</param>
/// <param name="SubjectId">Whose data.</param>
/// <param name="Purpose">A short kebab-case purpose code, e.g. <c>complaint-handling</c>.</param>
/// <param name="Justification">Why (free text, redacted before it is stored).</param>
/// <param name="Status">Pending, approved or refused.</param>
/// <param name="RequestedAt">When it was asked.</param>
/// <param name="ApproverId">Who decided, once decided.</param>
/// <param name="DecidedAt">When it was decided.</param>
/// <param name="ExpiresAt">When an approved grant stops allowing reads.</param>
public sealed record StaffAccessGrant(
    string Id,
    string StaffId,
    string SubjectId,
    string Purpose,
    string Justification,
    StaffAccessStatus Status,
    DateTimeOffset RequestedAt,
    string? ApproverId = null,
    DateTimeOffset? DecidedAt = null,
    DateTimeOffset? ExpiresAt = null)
{
    /// <summary>True when approved and not expired at <paramref name="now"/>.</summary>
    public bool IsActive(DateTimeOffset now) => Status == StaffAccessStatus.Approved && ExpiresAt is { } end && now < end;
}

/// <summary>What a staff member asks for.</summary>
public sealed record StaffAccessRequest(string StaffId, string SubjectId, string Purpose, string Justification);

/// <summary>The result of a request or a decision: the decision, and the grant when there is one.</summary>
public sealed record StaffAccessResult(Decision Decision, StaffAccessGrant? Grant);

/// <summary>The result of a read: the decision, and the data when allowed (source name → field → value).</summary>
public sealed record StaffAccessRead(Decision Decision, IReadOnlyDictionary<string, IReadOnlyDictionary<string, string?>>? Data, StaffAccessGrant? Grant);

/// <summary>Settings of staff access. The regulation asks for approval and logging but gives no grant lifetime: the app chooses it.</summary>
public sealed class StaffAccessOptions
{
    /// <summary>How long an approved grant allows reads. Default 8 hours (one working shift; no regulatory number exists).</summary>
    public TimeSpan GrantLifetime { get; set; } = TimeSpan.FromHours(8);

    /// <summary>
    /// The staff ids allowed to approve ("responsible persons"). Empty: any staff member other than the requester may approve;
    /// set it in production.
    /// </summary>
    public ISet<string> Approvers { get; } = new HashSet<string>(StringComparer.Ordinal);
}

/// <summary>
/// Least-privilege staff access to minors' personal information (REG-MINOR-36): a request names the subject, purpose
/// and justification; a different, responsible person approves or refuses; grants expire; every read needs an active
/// grant; requests, decisions and reads (allowed or denied) are written to the audit log.
/// </summary>
public interface IStaffAccess
{
    /// <summary>Files a request (pending). Denied with <c>unknown-subject</c> when the minor is unknown.</summary>
    Task<StaffAccessResult> RequestAsync(StaffAccessRequest request, CancellationToken cancellationToken = default);

    /// <summary>Approves a pending request; <c>staff-approver-not-allowed</c> when the approver is the requester or not responsible.</summary>
    Task<StaffAccessResult> ApproveAsync(string grantId, string approverId, CancellationToken cancellationToken = default);

    /// <summary>Refuses a pending request, with a short kebab-case reason code.</summary>
    Task<StaffAccessResult> RefuseAsync(string grantId, string approverId, string reason, CancellationToken cancellationToken = default);

    /// <summary>The grant, or null.</summary>
    Task<StaffAccessGrant?> GetAsync(string grantId, CancellationToken cancellationToken = default);

    /// <summary>Reads the minor's personal data from every <see cref="IPersonalDataSource"/>; <c>staff-access-not-granted</c> without an active grant.</summary>
    Task<StaffAccessRead> ReadAsync(string staffId, string subjectId, CancellationToken cancellationToken = default);
}

/// <summary>One kind of personal data the SDK can show to a staff member with a grant (the subject record today; more can be registered).</summary>
public interface IPersonalDataSource
{
    /// <summary>A short name, e.g. <c>subject</c>.</summary>
    string Name { get; }

    /// <summary>The subject's fields from this source, or null when it holds nothing about them.</summary>
    Task<IReadOnlyDictionary<string, string?>?> ReadAsync(string subjectId, CancellationToken cancellationToken = default);
}

/// <summary>Stores staff access grants.</summary>
public interface IStaffAccessStore
{
    /// <summary>Adds a new (pending) grant; false when the id exists.</summary>
    Task<bool> AddGrantAsync(StaffAccessGrant grant, CancellationToken cancellationToken = default);

    /// <summary>The grant, or null.</summary>
    Task<StaffAccessGrant?> GetGrantAsync(string grantId, CancellationToken cancellationToken = default);

    /// <summary>Stores <paramref name="decided"/> only if the stored grant is still pending; false otherwise (decided already, or unknown).</summary>
    Task<bool> DecideGrantAsync(StaffAccessGrant decided, CancellationToken cancellationToken = default);

    /// <summary>The grants of one staff member for one subject, newest first.</summary>
    Task<IReadOnlyList<StaffAccessGrant>> ListGrantsAsync(string staffId, string subjectId, CancellationToken cancellationToken = default);
}
