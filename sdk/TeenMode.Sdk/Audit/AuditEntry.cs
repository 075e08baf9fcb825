namespace TeenMode.Audit;

/// <summary>
/// Something an auditor needs to see: who did what to whom. Keep personal data out of <see cref="Details"/>
/// (ids and reason codes, not names, PINs or phone numbers): the log is append-only and cannot be edited later.
/// </summary>
/// <param name="Actor">Who acted: a guardian id, a reviewer id, <c>system</c>, <c>subject:&lt;id&gt;</c>.</param>
/// <param name="Action">A stable kebab-case verb, e.g. <c>teen-mode-exited</c>, <c>report-triaged</c>.</param>
/// <param name="SubjectId">The minor concerned, if any.</param>
/// <param name="Target">What was acted on (a report id, a content id, a setting name), if any.</param>
/// <param name="Details">Extra facts as text; stored in ordinal key order.</param>
public sealed record AuditEvent(
    string Actor,
    string Action,
    string? SubjectId = null,
    string? Target = null,
    IReadOnlyDictionary<string, string>? Details = null);

/// <summary>One link of the hash chain.</summary>
/// <param name="Sequence">1, 2, 3 … without gaps.</param>
/// <param name="At">When it was recorded (the SDK's <see cref="TimeProvider"/>).</param>
/// <param name="Event">What happened.</param>
/// <param name="PreviousHash">The <see cref="Hash"/> of the entry before (64 zeros for the first).</param>
/// <param name="Hash">Lower-case hex SHA-256 over the entry's canonical form, which includes <see cref="PreviousHash"/>.</param>
public sealed record AuditEntry(long Sequence, DateTimeOffset At, AuditEvent Event, string PreviousHash, string Hash);

/// <summary>The result of checking a chain.</summary>
/// <param name="Valid">Every entry's hash matches its content and links to the one before.</param>
/// <param name="Count">How many entries were checked.</param>
/// <param name="FirstBrokenSequence">The first entry that does not verify, or null.</param>
/// <param name="Problem">Why it does not verify, or null.</param>
public sealed record AuditVerification(bool Valid, long Count, long? FirstBrokenSequence, string? Problem);
