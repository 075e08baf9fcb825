using TeenMode.Reporting;

namespace TeenMode.Storage;

/// <summary>Reports in process memory: for tests and demos only.</summary>
internal sealed class InMemoryReportStore : IReportStore
{
    // The workflow store files into and moves these same reports (one report, one status), so it shares them
    // and this lock through InMemoryReportWorkflowStore's constructor instead of keeping a copy.
    internal Dictionary<string, ReportRecord> ById { get; } = new(StringComparer.Ordinal);

    internal Dictionary<string, ReportRecord> ByKey { get; } = new(StringComparer.Ordinal);

    internal Lock Gate { get; } = new();

    /// <inheritdoc />
    public Task<(ReportRecord Stored, bool Created)> AddOrGetAsync(ReportRecord record, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(record);
        lock (Gate)
        {
            if (ByKey.TryGetValue(record.IdempotencyKey, out var existing))
            {
                return Task.FromResult((existing, false));
            }

            ByKey[record.IdempotencyKey] = record;
            ById[record.Id] = record;
            return Task.FromResult((record, true));
        }
    }

    /// <inheritdoc />
    public Task<ReportRecord?> GetAsync(string reportId, CancellationToken cancellationToken = default)
    {
        lock (Gate)
        {
            return Task.FromResult(ById.GetValueOrDefault(reportId));
        }
    }
}
