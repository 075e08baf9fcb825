using System.ComponentModel;

#pragma warning disable CA1812 // Never constructed: the records only describe request bodies for API descriptions.

namespace TeenMode.AspNetCore.Internal;

// Request bodies of the TeenMode HTTP API, as API descriptions show them (camelCase JSON). The endpoints read them by
// hand with FieldReader; a field added there is added here too, and OpenApiDocumentTests shows the change.

[Description("A new subject (minor). ageSource: self-declared (default), guardian-declared or unknown.")]
internal sealed record CreateSubjectBody(string Id, DateOnly? BirthDate = null, string? DeclaredBand = null, string? AgeSource = null, bool? TeenMode = null);

[Description("A guardian credential of a kind the app registered (a PIN is sent as guardianPin instead).")]
internal sealed record CredentialBody(string Kind, string Proof);

[Description("A bound guardian's PIN or credential.")]
internal sealed record GuardianProofBody(string? GuardianPin = null, CredentialBody? Credential = null);

internal sealed record HeartbeatBody(string DeviceId, long Sequence, int Seconds, string? Category = null);

[Description("Send an Idempotency-Key header to make a retry safe.")]
internal sealed record GameTopUpBody(string GameCompanyId, [property: Description("Yuan, at most two decimals, e.g. \"10.00\".")] string Amount);

internal sealed record BindGuardianBody(string GuardianId, string Pin, string? BindingCode = null, string? ExistingGuardianPin = null, CredentialBody? ExistingGuardianCredential = null);

internal sealed record CurfewBody([property: Description("HH:mm")] string Start, [property: Description("HH:mm")] string End);

internal sealed record SpendingCapsBody(string? PerTransaction = null, string? PerDay = null, string? PerMonth = null);

[Description("Only the fields given change; null clears a guardian choice back to the rule pack's default.")]
internal sealed record UpdateSettingsBody(
    string? GuardianPin = null,
    CredentialBody? Credential = null,
    int? DailyMinutes = null,
    CurfewBody? Curfew = null,
    string? Band = null,
    string[]? ExemptCategories = null,
    IReadOnlyDictionary<string, bool>? Features = null,
    IReadOnlyDictionary<string, SpendingCapsBody>? SpendingCaps = null);

[Description("Send an Idempotency-Key header to make a retry safe.")]
internal sealed record SpendBody(string Category, [property: Description("Yuan, at most two decimals.")] string Amount, string? ItemId = null);

internal sealed record RefundRequestBody(string GuardianId, string? Reason = null);

internal sealed record RefundDecisionBody(string Actor, string? Reason = null);

internal sealed record FileReportBody(
    [property: Description("A reporter kind such as minor, guardian or other-user.")] string ReporterKind,
    string Category,
    [property: Description("content or user.")] string TargetKind,
    string TargetId,
    string? ReporterId = null,
    string? Description = null,
    string? SubjectId = null,
    string[]? Evidence = null);

internal sealed record ReportActionBody([property: Description("take-down-content, block-user, restrict-user or unlink-contact.")] string Kind, string TargetId);

[Description("actor always; reason (a kebab-case code) to reject; actions to act.")]
internal sealed record ReportStepBody(string Actor, string? Reason = null, ReportActionBody[]? Actions = null);

internal sealed record CollectValueBody(string Field, string Purpose, string Value);

internal sealed record ConsentBody(string GuardianId, string[] Purposes, string NoticeHash, [property: Description("granted (default) or refused.")] string? Decision = null);

internal sealed record WithdrawConsentBody(string GuardianId, string[] Purposes);

internal sealed record DataSubjectRequestBody(
    [property: Description("access, correction, deletion …")] string Kind,
    string RequesterId,
    string? Field = null,
    string? Purpose = null,
    string? Value = null);

internal sealed record StaffAccessRequestBody(string StaffId, string SubjectId, string Purpose, string Justification);

internal sealed record StaffAccessDecisionBody(string ApproverId, [property: Description("A code, when refusing.")] string? Reason = null);

internal sealed record AffectedSubjectBody(string SubjectId, string[]? Categories = null);

internal sealed record DeclareBreachBody(
    string Actor,
    DateTimeOffset OccurredAt,
    string[] Categories,
    string Cause,
    string Harm,
    string Remedies,
    string Contact,
    AffectedSubjectBody[] AffectedSubjects);

internal sealed record BreachStepBody(string Actor);

internal sealed record ChangeRatingBody(string ReviewerId, string[] Bands, bool MayAffectMinors, [property: Description("Flag names such as fan-fundraising; may be empty.")] string[] Flags, string? Reason = null);

internal sealed record VerifyRealNameBody(string Name, [property: Description("The 18-character resident identity number; checked, never stored or echoed.")] string IdentityNumber);

internal sealed record RealNameCallbackBody(string AccountId, [property: Description("verified, failed or pending.")] string Status, string? PlayerId = null);

internal sealed record AgeSignalBody(string Source, string Status, int? LowerAge = null, int? UpperAge = null);

internal sealed record DeviceMinorModeBody(string DeviceId, bool MinorMode, string? Source = null, int? LowerAge = null, int? UpperAge = null);

internal sealed record GameSessionBody(string SessionId, string DeviceId, [property: Description("start or end.")] string Event);
