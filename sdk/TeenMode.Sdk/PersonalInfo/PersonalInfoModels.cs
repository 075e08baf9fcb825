namespace TeenMode.PersonalInfo;

/// <summary>What a guardian decided about a list of purposes.</summary>
public enum ConsentDecision
{
    /// <summary>Consent given.</summary>
    Granted,

    /// <summary>Consent refused: nothing may be collected for these purposes.</summary>
    Refused,

    /// <summary>Consent given earlier and now withdrawn: data that depended on it is deleted.</summary>
    Withdrawn,
}

/// <summary>
/// One guardian consent decision, kept separately from any other agreement (PIPL art. 29, 31).
/// Kept as proof of the lawful basis even after the data is deleted; it holds ids, time, notice hash and purposes, never PI values.
/// </summary>
/// <param name="Id">The record id.</param>
/// <param name="SubjectId">The minor.</param>
/// <param name="GuardianId">The guardian who decided (bound to the subject).</param>
/// <param name="Decision">Granted, refused or withdrawn.</param>
/// <param name="Purposes">The purposes decided on.</param>
/// <param name="NoticeHash">Lower-case hex SHA-256 of the privacy notice the guardian was shown.</param>
/// <param name="At">When.</param>
public sealed record ConsentRecord(string Id, string SubjectId, string GuardianId, ConsentDecision Decision, IReadOnlyList<string> Purposes, string NoticeHash, DateTimeOffset At);

/// <summary>One stored value: a field collected for a purpose. Sensitive values hold ciphertext.</summary>
/// <param name="SubjectId">The subject.</param>
/// <param name="Field">The field name.</param>
/// <param name="Purpose">The purpose it was collected for.</param>
/// <param name="Category">The field's category when collected.</param>
/// <param name="KeyId">The encryption key id, or null when the payload is UTF-8 plaintext.</param>
/// <param name="Payload">UTF-8 text, or nonce ‖ tag ‖ ciphertext under <paramref name="KeyId"/>.</param>
/// <param name="CollectedAt">When it was (last) collected.</param>
/// <param name="ExpiresAt">When the purpose's retention ends; the purge job deletes it then.</param>
public sealed record PersonalDataRecord(string SubjectId, string Field, string Purpose, PersonalDataCategory Category, string? KeyId,
    ReadOnlyMemory<byte> Payload, DateTimeOffset CollectedAt, DateTimeOffset ExpiresAt);

/// <summary>The kind of a data-subject request.</summary>
public enum DataSubjectRequestKind
{
    /// <summary>View and copy (export) everything held.</summary>
    Access,

    /// <summary>Correct (or supplement) one value.</summary>
    Correction,

    /// <summary>Delete everything held.</summary>
    Deletion,
}

/// <summary>Where a data-subject request stands.</summary>
public enum DataSubjectRequestStatus
{
    /// <summary>Received, not yet handled.</summary>
    Received,

    /// <summary>Done.</summary>
    Completed,

    /// <summary>Refused, with a written reason.</summary>
    Refused,
}

/// <summary>A data-subject request and its outcome. Never holds a PI value (a correction's new value is not kept here).</summary>
/// <param name="Id">The receipt id.</param>
/// <param name="SubjectId">The subject.</param>
/// <param name="Kind">Access, correction or deletion.</param>
/// <param name="RequesterId">Who asked (the subject or a guardian id).</param>
/// <param name="ReceivedAt">When it was received.</param>
/// <param name="DueAt">When it must be completed.</param>
/// <param name="Status">The status.</param>
/// <param name="CompletedAt">When it was completed or refused.</param>
/// <param name="RefusalReason">The written reason for a refusal.</param>
/// <param name="Field">The field to correct (correction only).</param>
/// <param name="Purpose">The purpose of the value to correct (correction only).</param>
public sealed record DataSubjectRequestRecord(string Id, string SubjectId, DataSubjectRequestKind Kind, string RequesterId, DateTimeOffset ReceivedAt,
    DateTimeOffset DueAt, DataSubjectRequestStatus Status, DateTimeOffset? CompletedAt, LocalizedText? RefusalReason, string? Field, string? Purpose);

/// <summary>Stores consents, collected values and data-subject requests.</summary>
public interface IPersonalInfoStore
{
    /// <summary>Appends a consent record; durable on return.</summary>
    Task AddConsentAsync(ConsentRecord record, CancellationToken cancellationToken = default);

    /// <summary>The subject's consent records, oldest first.</summary>
    Task<IReadOnlyList<ConsentRecord>> GetConsentsAsync(string subjectId, CancellationToken cancellationToken = default);

    /// <summary>Stores a value, replacing any earlier value of the same (subject, field, purpose).</summary>
    Task UpsertValueAsync(PersonalDataRecord record, CancellationToken cancellationToken = default);

    /// <summary>The subject's values ordered by field, then purpose.</summary>
    Task<IReadOnlyList<PersonalDataRecord>> GetValuesAsync(string subjectId, CancellationToken cancellationToken = default);

    /// <summary>Deletes the subject's values (only those of <paramref name="purposes"/> when given) and returns what was deleted.</summary>
    Task<IReadOnlyList<PersonalDataRecord>> DeleteValuesAsync(string subjectId, IReadOnlyCollection<string>? purposes = null, CancellationToken cancellationToken = default);

    /// <summary>Deletes every value whose retention ended at or before <paramref name="now"/> and returns what was deleted.</summary>
    Task<IReadOnlyList<PersonalDataRecord>> DeleteExpiredValuesAsync(DateTimeOffset now, CancellationToken cancellationToken = default);

    /// <summary>Stores a request, replacing the earlier state of the same id.</summary>
    Task SaveRequestAsync(DataSubjectRequestRecord request, CancellationToken cancellationToken = default);

    /// <summary>The request with <paramref name="requestId"/>, or null.</summary>
    Task<DataSubjectRequestRecord?> GetRequestAsync(string requestId, CancellationToken cancellationToken = default);
}
