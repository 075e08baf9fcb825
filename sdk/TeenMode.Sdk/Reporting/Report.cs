namespace TeenMode.Reporting;

/// <summary>Who files a report.</summary>
public enum ReporterKind
{
    /// <summary>The minor.</summary>
    Minor,

    /// <summary>A guardian of the minor.</summary>
    Guardian,

    /// <summary>Another user.</summary>
    OtherUser,

    /// <summary>Nobody who gives a name.</summary>
    Anonymous,
}

/// <summary>What a report is about.</summary>
public enum ReportCategory
{
    /// <summary>Content harmful to minors.</summary>
    HarmfulContent,

    /// <summary>Cyberbullying.</summary>
    Bullying,

    /// <summary>Sexual exploitation or grooming of a minor.</summary>
    SexualExploitation,

    /// <summary>Fraud.</summary>
    Fraud,

    /// <summary>A leak of personal information.</summary>
    PrivacyLeak,

    /// <summary>Design that induces addiction.</summary>
    AddictiveDesign,

    /// <summary>Anything else.</summary>
    Other,
}

/// <summary>Where a report stands.</summary>
public enum ReportStatus
{
    /// <summary>Stored and acknowledged.</summary>
    Received,

    /// <summary>Looked at and assigned.</summary>
    Triaged,

    /// <summary>Acted upon.</summary>
    Actioned,

    /// <summary>Found to need no action.</summary>
    Rejected,

    /// <summary>Finished.</summary>
    Closed,
}

/// <summary>A report as filed.</summary>
/// <param name="ReporterKind">Who files it.</param>
/// <param name="ReporterId">The reporter's id; null when anonymous.</param>
/// <param name="Category">What it is about.</param>
/// <param name="TargetKind"><c>content</c> or <c>user</c>.</param>
/// <param name="TargetId">The reported item or user.</param>
/// <param name="Description">Free text from the reporter.</param>
public sealed record ReportSubmission(ReporterKind ReporterKind, string? ReporterId, ReportCategory Category, string TargetKind, string TargetId, string? Description);

/// <summary>A stored report.</summary>
public sealed record ReportRecord(string Id, string IdempotencyKey, string RequestHash, ReportSubmission Submission, ReportStatus Status, DateTimeOffset ReceivedAt);

/// <summary>The durable acknowledgement a reporter gets.</summary>
/// <param name="ReportId">The report's id.</param>
/// <param name="Status">The status when the receipt was issued.</param>
/// <param name="ReceivedAt">When the report was stored.</param>
public sealed record ReportReceipt(string ReportId, ReportStatus Status, DateTimeOffset ReceivedAt);

/// <summary>The result of filing a report.</summary>
/// <param name="Receipt">The receipt; null when refused.</param>
/// <param name="Replayed">True when the idempotency key was seen before and the original receipt is returned.</param>
/// <param name="Refusal">Why it was refused, when it was.</param>
public sealed record ReportFiling(ReportReceipt? Receipt, bool Replayed, Decision? Refusal);
