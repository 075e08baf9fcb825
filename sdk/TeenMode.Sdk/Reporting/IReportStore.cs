namespace TeenMode.Reporting;

/// <summary>Stores reports durably.</summary>
public interface IReportStore
{
    /// <summary>
    /// Stores <paramref name="record"/> unless a report with the same idempotency key exists; returns the
    /// stored report (the new one or the earlier one) and whether it was created now. Durable on return.
    /// </summary>
    Task<(ReportRecord Stored, bool Created)> AddOrGetAsync(ReportRecord record, CancellationToken cancellationToken = default);

    /// <summary>Reads a report, or null.</summary>
    Task<ReportRecord?> GetAsync(string reportId, CancellationToken cancellationToken = default);
}
