namespace TeenMode.Reporting;

/// <summary>The 举报 channel: minors, guardians and others report harmful content or harm to a minor.</summary>
public interface IReportingChannel
{
    /// <summary>
    /// Files a report. The report is stored durably before the receipt is returned; the same
    /// idempotency key returns the same receipt, and reusing it for a different report is refused.
    /// </summary>
    Task<ReportFiling> FileAsync(ReportSubmission submission, string idempotencyKey, CancellationToken cancellationToken = default);

    /// <summary>Reads a report, or null.</summary>
    Task<ReportRecord?> GetAsync(string reportId, CancellationToken cancellationToken = default);
}
