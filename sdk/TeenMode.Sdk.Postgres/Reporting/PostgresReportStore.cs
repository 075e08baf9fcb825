using TeenMode.PersonalInfo;
using TeenMode.Postgres.Internal;
using TeenMode.Reporting;

namespace TeenMode.Postgres.Reporting;

/// <summary>Reports (举报) in PostgreSQL: durable before acknowledged, one receipt per idempotency key across instances.</summary>
public sealed class PostgresReportStore : IReportStore
{
    private readonly PostgresDatabase _database;
    private readonly ReportRows _reports;

    /// <summary>Uses <paramref name="database"/>; <paramref name="freeTextProtector"/> seals report descriptions at rest.</summary>
    public PostgresReportStore(PostgresDatabase database, PersonalDataProtector? freeTextProtector = null)
    {
        ArgumentNullException.ThrowIfNull(database);
        _database = database;
        _reports = new ReportRows(new FreeTextSealer(freeTextProtector));
    }

    /// <inheritdoc />
    public Task<(ReportRecord Stored, bool Created)> AddOrGetAsync(ReportRecord record, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(record);
        ArgumentNullException.ThrowIfNull(record.Submission);

        // Committed before the receipt is returned: the receipt promises the report is stored.
        return _database.InTransactionAsync((session, ct) => _reports.InsertOrGetAsync(session, record, ct), cancellationToken);
    }

    /// <inheritdoc />
    public async Task<ReportRecord?> GetAsync(string reportId, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(reportId);
        var rows = await _database.QueryAsync($"SELECT {ReportRows.Columns} FROM reports WHERE id = @id;", c => c.Text("id", reportId), _reports.Read, cancellationToken)
            .ConfigureAwait(false);
        return rows.Count == 0 ? null : rows[0];
    }
}
