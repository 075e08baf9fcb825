namespace TeenMode.PersonalInfo;

/// <summary>
/// Personal-information protection (个人信息保护): collection decisions against the data inventory and guardian
/// consent, the encrypted personal-data store, data-subject rights, and retention.
/// </summary>
public interface IPersonalInfo
{
    /// <summary>The app's data inventory.</summary>
    DataInventory Inventory { get; }

    /// <summary>May the app collect <paramref name="field"/> for <paramref name="purpose"/> from the subject now.</summary>
    Task<Decision> CheckCollectionAsync(string subjectId, string field, string purpose, CancellationToken cancellationToken = default);

    /// <summary>Checks, then stores the value (encrypted when sensitive or when the subject is under the consent age).</summary>
    Task<Decision> CollectAsync(string subjectId, string field, string purpose, string value, CancellationToken cancellationToken = default);

    /// <summary>Records a guardian's separate consent or refusal for purposes. A refusal deletes data that depended on an earlier consent.</summary>
    /// <exception cref="ArgumentException">An empty id, no purposes, a withdrawal (use <see cref="WithdrawConsentAsync"/>), or a notice hash that is not 64 hex digits.</exception>
    Task<ConsentOutcome> RecordConsentAsync(ConsentRequest request, CancellationToken cancellationToken = default);

    /// <summary>Withdraws consent for purposes and deletes the data collected for them.</summary>
    Task<ConsentOutcome> WithdrawConsentAsync(string subjectId, string guardianId, IReadOnlyList<string> purposes, CancellationToken cancellationToken = default);

    /// <summary>Files a data-subject request; it is handled at once and the receipt carries its outcome. Null for an unknown subject.</summary>
    Task<DataSubjectRequestOutcome?> SubmitRequestAsync(DataSubjectRequestSubmission submission, CancellationToken cancellationToken = default);

    /// <summary>A request of the subject by id, or null.</summary>
    Task<DataSubjectRequestRecord?> GetRequestAsync(string subjectId, string requestId, CancellationToken cancellationToken = default);

    /// <summary>Everything the SDK holds on the subject, machine-readable; null for an unknown subject.</summary>
    /// <exception cref="PersonalDataIntegrityException">A stored value was tampered with.</exception>
    Task<PersonalDataExport?> ExportAsync(string subjectId, CancellationToken cancellationToken = default);

    /// <summary>Deletes every value whose retention has ended; returns how many were deleted.</summary>
    Task<int> PurgeExpiredAsync(CancellationToken cancellationToken = default);

    /// <summary>The account is closed: deletes the subject's personal data. Null for an unknown subject.</summary>
    Task<DeletionSummary?> CloseAccountAsync(string subjectId, CancellationToken cancellationToken = default);
}

/// <summary>A guardian's consent decision to record.</summary>
/// <param name="SubjectId">The minor.</param>
/// <param name="GuardianId">A guardian bound to the subject.</param>
/// <param name="Decision">Granted or refused.</param>
/// <param name="Purposes">The purposes decided on.</param>
/// <param name="NoticeHash">Hex SHA-256 of the privacy notice shown.</param>
public sealed record ConsentRequest(string SubjectId, string GuardianId, ConsentDecision Decision, IReadOnlyList<string> Purposes, string NoticeHash);

/// <summary>What recording a consent decision did.</summary>
/// <param name="Decision">Allowed when recorded; otherwise why not.</param>
/// <param name="Record">The stored record, when recorded.</param>
/// <param name="Deleted">Data deleted because consent ended, if any.</param>
public sealed record ConsentOutcome(Decision Decision, ConsentRecord? Record, DeletionSummary? Deleted);

/// <summary>What a deletion removed: names, categories and counts, never values.</summary>
/// <param name="Count">How many values were deleted.</param>
/// <param name="Fields">The field names deleted.</param>
/// <param name="Categories">The categories deleted.</param>
public sealed record DeletionSummary(int Count, IReadOnlyList<string> Fields, IReadOnlyList<string> Categories)
{
    /// <summary>Nothing deleted.</summary>
    public static DeletionSummary None { get; } = new(0, [], []);
}

/// <summary>A data-subject request to file.</summary>
/// <param name="SubjectId">The subject.</param>
/// <param name="Kind">Access, correction or deletion.</param>
/// <param name="RequesterId">The subject's own id or a bound guardian's id.</param>
/// <param name="Field">Correction: the field.</param>
/// <param name="Purpose">Correction: the purpose of the value.</param>
/// <param name="NewValue">Correction: the corrected value.</param>
public sealed record DataSubjectRequestSubmission(string SubjectId, DataSubjectRequestKind Kind, string RequesterId, string? Field = null, string? Purpose = null, string? NewValue = null);

/// <summary>The receipt of a request with its outcome; access requests carry the export.</summary>
public sealed record DataSubjectRequestOutcome(DataSubjectRequestRecord Request, PersonalDataExport? Export, DeletionSummary? Deleted);

/// <summary>One exported value.</summary>
public sealed record ExportedValue(string Field, string Purpose, string Category, string Value, DateTimeOffset CollectedAt, DateTimeOffset ExpiresAt);

/// <summary>Everything the SDK holds on a subject.</summary>
/// <param name="SubjectId">The subject.</param>
/// <param name="GeneratedAt">When the export was made.</param>
/// <param name="InventoryId">The inventory the data was collected under.</param>
/// <param name="Values">Every stored value, decrypted.</param>
/// <param name="Consents">Every consent record.</param>
public sealed record PersonalDataExport(string SubjectId, DateTimeOffset GeneratedAt, string InventoryId, IReadOnlyList<ExportedValue> Values, IReadOnlyList<ConsentRecord> Consents);

/// <summary>Requirement ids the personal-information decisions cite.</summary>
internal static class PersonalInfoRequirementIds
{
    /// <summary>Collect only for a declared purpose that needs the field.</summary>
    public static IReadOnlyList<string> Necessity { get; } = ["MPL-72", "REG-MINOR-32", "PIPL-28"];

    /// <summary>Separate guardian consent before collecting from a child.</summary>
    public static IReadOnlyList<string> GuardianConsent { get; } = ["PIPL-29", "PIPL-31", "MPL-72", "CPIP-09", "CPIP-10"];

    /// <summary>A refusal is respected, and never costs the basic features.</summary>
    public static IReadOnlyList<string> Refusal { get; } = ["REG-MINOR-32", "CPIP-10"];

    /// <summary>Off by default for minors: needs a separate opt-in.</summary>
    public static IReadOnlyList<string> OffByDefault { get; } = ["PIPL-29", "REG-MINOR-32"];
}
