using Microsoft.Data.Sqlite;
using TeenMode.PersonalInfo;
using TeenMode.Spending;
using TeenMode.Sqlite.Internal;
using static TeenMode.Sqlite.Internal.SqliteValues;

namespace TeenMode.Sqlite;

/// <summary>Spending outside games and refunds in the shared SQLite file. Amounts are whole minor units (fen); totals are sums of the spends not refunded, read and written under one <c>BEGIN IMMEDIATE</c> transaction so concurrent payments never pass a cap. Refund reasons are sealed free text.</summary>
/// <param name="database">The SQLite file the app's stores share.</param>
/// <param name="freeTextProtector">Seals free text at rest; <c>UseSqlite</c> passes the app's <see cref="PersonalDataProtector"/>. Without one, free text is stored as plain text.</param>
public sealed class SqliteSpendingLedgerStore(SqliteDatabase database, PersonalDataProtector? freeTextProtector = null) : ISpendingLedgerStore
{
    private readonly SqliteDatabase _database = database ?? throw new ArgumentNullException(nameof(database));
    private readonly SqliteFreeText _freeText = new(freeTextProtector);

    private const string SpendColumns = "id, subject_id, category, minor_units, currency, item_id, spent_at, local_date, month, idempotency_key, refunded_at";

    private const string RefundColumns = "id, spend_id, subject_id, guardian_id, reason, minor_units, status, filed_at, due_at, decided_at, decided_by, decision_reason";

    /// <inheritdoc />
    public async Task<SpendAttempt> TryRecordSpendAsync(SpendRecord spend, SpendLimit limit, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(spend);
        var units = ToMinorUnits(spend.Amount);
        using var writeTurn = await _database.EnterWriteAsync(cancellationToken).ConfigureAwait(false);
        var connection = await _database.OpenAsync(cancellationToken).ConfigureAwait(false);
        await using (connection.ConfigureAwait(false))
        {
            // IMMEDIATE: the key lookup, the totals and the insert happen under one write lock, even across processes.
            using var transaction = connection.BeginTransaction(deferred: false);
            if (spend.IdempotencyKey is { } key)
            {
                using var seen = connection.CreateCommand();
                seen.Transaction = transaction;
                seen.CommandText = $"SELECT {SpendColumns} FROM spends WHERE subject_id = $subject AND idempotency_key = $key;";
                seen.Parameters.AddWithValue("$subject", spend.SubjectId);
                seen.Parameters.AddWithValue("$key", key);
                SpendRecord? first = null;
                var reader = await seen.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
                await using (reader.ConfigureAwait(false))
                {
                    if (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
                    {
                        first = ReadSpend(reader);
                    }
                }

                if (first is not null)
                {
                    var totals = await ReadSpendTotalsAsync(connection, transaction, first.SubjectId, first.Category, first.LocalDate, first.Month, cancellationToken).ConfigureAwait(false);
                    var same = first.Category == spend.Category && first.Amount == spend.Amount && first.ItemId == spend.ItemId;
                    return same
                        ? new SpendAttempt(first, totals, Replayed: true)
                        : new SpendAttempt(null, totals, KeyConflict: true);
                }
            }

            var before = await ReadSpendTotalsAsync(connection, transaction, spend.SubjectId, spend.Category, spend.LocalDate, spend.Month, cancellationToken).ConfigureAwait(false);
            if (!limit.Admits(before, spend.Amount))
            {
                return new SpendAttempt(null, before);
            }

            using (var insert = connection.CreateCommand())
            {
                insert.Transaction = transaction;
                insert.CommandText = $"""
                    INSERT INTO spends ({SpendColumns})
                    VALUES ($id, $subject, $category, $units, $currency, $item, $at, $date, $month, $key, NULL);
                    """;
                insert.Parameters.AddWithValue("$id", spend.Id);
                insert.Parameters.AddWithValue("$subject", spend.SubjectId);
                insert.Parameters.AddWithValue("$category", spend.Category);
                insert.Parameters.AddWithValue("$units", units);
                insert.Parameters.AddWithValue("$currency", spend.Currency);
                insert.Parameters.AddWithValue("$item", (object?)spend.ItemId ?? DBNull.Value);
                insert.Parameters.AddWithValue("$at", FormatInstant(spend.SpentAt));
                insert.Parameters.AddWithValue("$date", FormatDate(spend.LocalDate));
                insert.Parameters.AddWithValue("$month", spend.Month);
                insert.Parameters.AddWithValue("$key", (object?)spend.IdempotencyKey ?? DBNull.Value);
                await insert.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
            }

            // Once written it is committed whatever the token says, so the answer matches the disk.
            await transaction.CommitAsync(CancellationToken.None).ConfigureAwait(false);
            return new SpendAttempt(spend with { RefundedAt = null }, new SpendTotals(before.Day + spend.Amount, before.Month + spend.Amount));
        }
    }

    /// <inheritdoc />
    public async Task<SpendTotals> GetTotalsAsync(string subjectId, string category, DateOnly localDate, string month, CancellationToken cancellationToken = default)
    {
        var connection = await _database.OpenAsync(cancellationToken).ConfigureAwait(false);
        await using (connection.ConfigureAwait(false))
        {
            return await ReadSpendTotalsAsync(connection, null, subjectId, category, localDate, month, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <inheritdoc />
    public async Task<SpendRecord?> GetSpendAsync(string spendId, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(spendId);
        var list = await QuerySpendsAsync($"SELECT {SpendColumns} FROM spends WHERE id = $id;", [("$id", spendId)], cancellationToken).ConfigureAwait(false);
        return list.Count == 0 ? null : list[0];
    }

    /// <inheritdoc />
    public Task<IReadOnlyList<SpendRecord>> ListSpendsAsync(string subjectId, DateTimeOffset since, DateTimeOffset until, CancellationToken cancellationToken = default) =>
        QuerySpendsAsync($"SELECT {SpendColumns} FROM spends WHERE subject_id = $subject AND spent_at >= $from AND spent_at < $to ORDER BY spent_at, id;",
            [("$subject", subjectId), ("$from", FormatInstant(since)), ("$to", FormatInstant(until))], cancellationToken);

    /// <inheritdoc />
    public async Task<(RefundRequest Stored, bool Created)> AddRefundRequestAsync(RefundRequest request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        using var writeTurn = await _database.EnterWriteAsync(cancellationToken).ConfigureAwait(false);
        var connection = await _database.OpenAsync(cancellationToken).ConfigureAwait(false);
        await using (connection.ConfigureAwait(false))
        {
            using var transaction = connection.BeginTransaction(deferred: false);
            using (var insert = connection.CreateCommand())
            {
                insert.Transaction = transaction;
                insert.CommandText = $"""
                    INSERT INTO refund_requests ({RefundColumns})
                    VALUES ($id, $spend, $subject, $guardian, $reason, $units, $status, $filed, $due, NULL, NULL, NULL)
                    ON CONFLICT (spend_id) DO NOTHING;
                    """;
                insert.Parameters.AddWithValue("$id", request.Id);
                insert.Parameters.AddWithValue("$spend", request.SpendId);
                insert.Parameters.AddWithValue("$subject", request.SubjectId);
                insert.Parameters.AddWithValue("$guardian", request.GuardianId);
                insert.Parameters.AddWithValue("$reason", _freeText.Seal(request.Id, "refund.reason", request.Reason));
                insert.Parameters.AddWithValue("$units", ToMinorUnits(request.Amount));
                insert.Parameters.AddWithValue("$status", request.Status.ToString());
                insert.Parameters.AddWithValue("$filed", FormatInstant(request.FiledAt));
                insert.Parameters.AddWithValue("$due", FormatInstant(request.DueAt));
                if (await insert.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false) == 1)
                {
                    // The receipt promises the request is stored: commit before answering.
                    await transaction.CommitAsync(CancellationToken.None).ConfigureAwait(false);
                    return (request, true);
                }
            }

            var stored = await ReadRefundAsync(connection, transaction, "spend_id", request.SpendId, cancellationToken).ConfigureAwait(false)
                ?? throw new InvalidOperationException("A refund request for this spend conflicted but cannot be read.");
            await transaction.CommitAsync(CancellationToken.None).ConfigureAwait(false);
            return (stored, false);
        }
    }

    /// <inheritdoc />
    public async Task<RefundRequest?> GetRefundRequestAsync(string refundId, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(refundId);
        var connection = await _database.OpenAsync(cancellationToken).ConfigureAwait(false);
        await using (connection.ConfigureAwait(false))
        {
            return await ReadRefundAsync(connection, null, "id", refundId, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <inheritdoc />
    public async Task<RefundRequest?> DecideRefundAsync(string refundId, RefundStatus status, string decidedBy, string? reason, DateTimeOffset at,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(refundId);
        if (status == RefundStatus.Pending)
        {
            throw new ArgumentException("A decision approves or refuses.", nameof(status));
        }

        using var writeTurn = await _database.EnterWriteAsync(cancellationToken).ConfigureAwait(false);
        var connection = await _database.OpenAsync(cancellationToken).ConfigureAwait(false);
        await using (connection.ConfigureAwait(false))
        {
            using var transaction = connection.BeginTransaction(deferred: false);
            using (var update = connection.CreateCommand())
            {
                update.Transaction = transaction;
                update.CommandText = """
                    UPDATE refund_requests SET status = $status, decided_at = $at, decided_by = $by, decision_reason = $reason
                    WHERE id = $id AND status = 'Pending';
                    """;
                update.Parameters.AddWithValue("$status", status.ToString());
                update.Parameters.AddWithValue("$at", FormatInstant(at));
                update.Parameters.AddWithValue("$by", decidedBy);
                update.Parameters.AddWithValue("$reason", _freeText.Seal(refundId, "refund.decisionReason", reason));
                update.Parameters.AddWithValue("$id", refundId);
                if (await update.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false) == 0)
                {
                    return null;
                }
            }

            if (status == RefundStatus.Approved)
            {
                // Same transaction: an approved refund and the reversed total are never seen apart.
                using var refund = connection.CreateCommand();
                refund.Transaction = transaction;
                refund.CommandText = """
                    UPDATE spends SET refunded_at = $at
                    WHERE id = (SELECT spend_id FROM refund_requests WHERE id = $id) AND refunded_at IS NULL;
                    """;
                refund.Parameters.AddWithValue("$at", FormatInstant(at));
                refund.Parameters.AddWithValue("$id", refundId);
                await refund.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
            }

            var decided = await ReadRefundAsync(connection, transaction, "id", refundId, cancellationToken).ConfigureAwait(false);
            await transaction.CommitAsync(CancellationToken.None).ConfigureAwait(false);
            return decided;
        }
    }

    /// <inheritdoc />
    public async Task<IReadOnlyList<RefundRequest>> ListRefundRequestsAsync(string subjectId, DateTimeOffset since, DateTimeOffset until, CancellationToken cancellationToken = default)
    {
        var connection = await _database.OpenAsync(cancellationToken).ConfigureAwait(false);
        await using (connection.ConfigureAwait(false))
        {
            using var command = connection.CreateCommand();
            command.CommandText = $"SELECT {RefundColumns} FROM refund_requests WHERE subject_id = $subject AND filed_at >= $from AND filed_at < $to ORDER BY filed_at, id;";
            command.Parameters.AddWithValue("$subject", subjectId);
            command.Parameters.AddWithValue("$from", FormatInstant(since));
            command.Parameters.AddWithValue("$to", FormatInstant(until));
            var list = new List<RefundRequest>();
            var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
            await using (reader.ConfigureAwait(false))
            {
                while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
                {
                    list.Add(ReadRefund(reader));
                }
            }

            return list;
        }
    }

    private async Task<IReadOnlyList<SpendRecord>> QuerySpendsAsync(string sql, (string Name, object Value)[] parameters, CancellationToken cancellationToken)
    {
        var connection = await _database.OpenAsync(cancellationToken).ConfigureAwait(false);
        await using (connection.ConfigureAwait(false))
        {
            using var command = connection.CreateCommand();
            command.CommandText = sql;
            foreach (var (name, value) in parameters)
            {
                command.Parameters.AddWithValue(name, value);
            }

            var list = new List<SpendRecord>();
            var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
            await using (reader.ConfigureAwait(false))
            {
                while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
                {
                    list.Add(ReadSpend(reader));
                }
            }

            return list;
        }
    }

    private static async Task<SpendTotals> ReadSpendTotalsAsync(SqliteConnection connection, SqliteTransaction? transaction, string subjectId, string category,
        DateOnly localDate, string month, CancellationToken cancellationToken)
    {
        using var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = """
            SELECT COALESCE(SUM(CASE WHEN local_date = $date THEN minor_units ELSE 0 END), 0), COALESCE(SUM(minor_units), 0)
            FROM spends WHERE subject_id = $subject AND category = $category AND month = $month AND refunded_at IS NULL;
            """;
        command.Parameters.AddWithValue("$date", FormatDate(localDate));
        command.Parameters.AddWithValue("$subject", subjectId);
        command.Parameters.AddWithValue("$category", category);
        command.Parameters.AddWithValue("$month", month);
        var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        await using (reader.ConfigureAwait(false))
        {
            await reader.ReadAsync(cancellationToken).ConfigureAwait(false);
            return new SpendTotals(reader.GetInt64(0) / MinorUnitsPerUnit, reader.GetInt64(1) / MinorUnitsPerUnit);
        }
    }

    private async Task<RefundRequest?> ReadRefundAsync(SqliteConnection connection, SqliteTransaction? transaction, string column, string value,
        CancellationToken cancellationToken)
    {
        using var command = connection.CreateCommand();
        command.Transaction = transaction;

        // column is one of two literals chosen in this file, never user input.
        command.CommandText = $"SELECT {RefundColumns} FROM refund_requests WHERE {column} = $value;";
        command.Parameters.AddWithValue("$value", value);
        var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        await using (reader.ConfigureAwait(false))
        {
            return await reader.ReadAsync(cancellationToken).ConfigureAwait(false) ? ReadRefund(reader) : null;
        }
    }

    private static SpendRecord ReadSpend(SqliteDataReader reader) => new(
        reader.GetString(0),
        reader.GetString(1),
        reader.GetString(2),
        reader.GetInt64(3) / MinorUnitsPerUnit,
        reader.GetString(4),
        reader.IsDBNull(5) ? null : reader.GetString(5),
        ParseInstant(reader.GetString(6)),
        ParseDate(reader.GetString(7)),
        reader.GetString(8),
        reader.IsDBNull(9) ? null : reader.GetString(9),
        reader.IsDBNull(10) ? null : ParseInstant(reader.GetString(10)));

    private RefundRequest ReadRefund(SqliteDataReader reader) => new(
        reader.GetString(0),
        reader.GetString(1),
        reader.GetString(2),
        reader.GetString(3),
        _freeText.Open(reader.GetString(0), "refund.reason", reader.IsDBNull(4) ? null : reader.GetString(4)),
        reader.GetInt64(5) / MinorUnitsPerUnit,
        Enum.Parse<RefundStatus>(reader.GetString(6)),
        ParseInstant(reader.GetString(7)),
        ParseInstant(reader.GetString(8)),
        reader.IsDBNull(9) ? null : ParseInstant(reader.GetString(9)),
        reader.IsDBNull(10) ? null : reader.GetString(10),
        _freeText.Open(reader.GetString(0), "refund.decisionReason", reader.IsDBNull(11) ? null : reader.GetString(11)));
}
