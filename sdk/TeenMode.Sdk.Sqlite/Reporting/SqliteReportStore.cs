using TeenMode.PersonalInfo;
using TeenMode.Reporting;
using TeenMode.Sqlite.Internal;

namespace TeenMode.Sqlite;

/// <summary>Reports in the shared SQLite file; the receipt is only given once the report is committed. Descriptions are sealed free text.</summary>
/// <param name="database">The SQLite file the app's stores share.</param>
/// <param name="freeTextProtector">Seals free text at rest; <c>UseSqlite</c> passes the app's <see cref="PersonalDataProtector"/>. Without one, free text is stored as plain text.</param>
public sealed class SqliteReportStore(SqliteDatabase database, PersonalDataProtector? freeTextProtector = null) : IReportStore
{
    private readonly SqliteDatabase _database = database ?? throw new ArgumentNullException(nameof(database));
    private readonly SqliteFreeText _freeText = new(freeTextProtector);

    /// <inheritdoc />
    public async Task<(ReportRecord Stored, bool Created)> AddOrGetAsync(ReportRecord record, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(record);
        ArgumentNullException.ThrowIfNull(record.Submission);
        using var writeTurn = await _database.EnterWriteAsync(cancellationToken).ConfigureAwait(false);
        var connection = await _database.OpenAsync(cancellationToken).ConfigureAwait(false);
        await using (connection.ConfigureAwait(false))
        {
            using var transaction = connection.BeginTransaction(deferred: false);
            if (await connection.ExecuteAsync(transaction, SqliteReportRows.InsertSql, p => SqliteReportRows.Bind(p, record, _freeText), cancellationToken).ConfigureAwait(false) == 1)
            {
                // The receipt promises the report is stored: commit before answering.
                await transaction.CommitAsync(CancellationToken.None).ConfigureAwait(false);
                return (record, true);
            }

            var stored = await connection.QueryAsync(transaction, $"SELECT {SqliteReportRows.Columns} FROM reports WHERE idempotency_key = $key;",
                p => p.AddWithValue("$key", record.IdempotencyKey), r => SqliteReportRows.Read(r, _freeText), cancellationToken).ConfigureAwait(false);
            await transaction.CommitAsync(CancellationToken.None).ConfigureAwait(false);
            return stored.Count == 1
                ? (stored[0], false)
                : throw new InvalidOperationException("A report with this idempotency key conflicted but cannot be read.");
        }
    }

    /// <inheritdoc />
    public async Task<ReportRecord?> GetAsync(string reportId, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(reportId);
        var rows = await _database.QueryAsync($"SELECT {SqliteReportRows.Columns} FROM reports WHERE id = $id;",
            p => p.AddWithValue("$id", reportId), r => SqliteReportRows.Read(r, _freeText), cancellationToken).ConfigureAwait(false);
        return rows.Count == 0 ? null : rows[0];
    }
}
