using Microsoft.Data.Sqlite;
using TeenMode.AntiAddiction;
using TeenMode.Sqlite.Internal;
using static TeenMode.Sqlite.Internal.SqliteValues;

namespace TeenMode.Sqlite;

/// <summary>Game spending in the shared SQLite file, in whole minor units (fen): the month total is read and added to under one write lock, so concurrent top-ups never pass the cap.</summary>
/// <param name="database">The SQLite file the app's stores share.</param>
public sealed class SqliteGameSpendLedgerStore(SqliteDatabase database) : IGameSpendLedgerStore
{
    private readonly SqliteDatabase _database = database ?? throw new ArgumentNullException(nameof(database));

    /// <inheritdoc />
    public async Task<(bool Added, decimal Total)> TryAddSpendAsync(string subjectId, string gameCompanyId, string month, decimal amount,
        decimal? monthlyCap, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(subjectId);
        ArgumentNullException.ThrowIfNull(gameCompanyId);
        ArgumentNullException.ThrowIfNull(month);
        var add = ToMinorUnits(amount);
        long? cap = monthlyCap is { } c ? ToMinorUnits(c) : null;
        using var writeTurn = await _database.EnterWriteAsync(cancellationToken).ConfigureAwait(false);
        var connection = await _database.OpenAsync(cancellationToken).ConfigureAwait(false);
        await using (connection.ConfigureAwait(false))
        {
            // IMMEDIATE: the read of the total and the write happen under one write lock, so two devices
            // paying at the same moment (even from two processes) cannot both pass the cap.
            using var transaction = connection.BeginTransaction(deferred: false);
            var (added, total) = await AddWithinCapAsync(connection, transaction, subjectId, gameCompanyId, month, add, cap, cancellationToken).ConfigureAwait(false);

            // Once written it is committed whatever the token says, so the answer matches the disk.
            await transaction.CommitAsync(CancellationToken.None).ConfigureAwait(false);
            return (added, total / MinorUnitsPerUnit);
        }
    }

    /// <inheritdoc />
    public async Task<GameSpendOutcome> TryAddSpendOnceAsync(string subjectId, string gameCompanyId, string month, decimal amount,
        decimal? monthlyCap, string idempotencyKey, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(subjectId);
        ArgumentNullException.ThrowIfNull(gameCompanyId);
        ArgumentNullException.ThrowIfNull(month);
        ArgumentNullException.ThrowIfNull(idempotencyKey);
        var add = ToMinorUnits(amount);
        long? cap = monthlyCap is { } c ? ToMinorUnits(c) : null;
        using var writeTurn = await _database.EnterWriteAsync(cancellationToken).ConfigureAwait(false);
        var connection = await _database.OpenAsync(cancellationToken).ConfigureAwait(false);
        await using (connection.ConfigureAwait(false))
        {
            // The key lookup, the add and the key record share one write lock: a retry racing the original counts once.
            using var transaction = connection.BeginTransaction(deferred: false);
            using (var seen = connection.CreateCommand())
            {
                seen.Transaction = transaction;
                seen.CommandText = "SELECT game_company_id, month, minor_units, added, total_after FROM game_top_up_keys WHERE subject_id = $subject AND idempotency_key = $key;";
                seen.Parameters.AddWithValue("$subject", subjectId);
                seen.Parameters.AddWithValue("$key", idempotencyKey);
                var reader = await seen.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
                await using (reader.ConfigureAwait(false))
                {
                    if (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
                    {
                        var same = reader.GetString(0) == gameCompanyId && reader.GetString(1) == month && reader.GetInt64(2) == add;
                        return new GameSpendOutcome(same && reader.GetBoolean(3), reader.GetInt64(4) / MinorUnitsPerUnit, Replayed: same, KeyConflict: !same);
                    }
                }
            }

            var (added, total) = await AddWithinCapAsync(connection, transaction, subjectId, gameCompanyId, month, add, cap, cancellationToken).ConfigureAwait(false);
            using (var record = connection.CreateCommand())
            {
                record.Transaction = transaction;
                record.CommandText = """
                    INSERT INTO game_top_up_keys (subject_id, idempotency_key, game_company_id, month, minor_units, added, total_after)
                    VALUES ($subject, $key, $company, $month, $amount, $added, $total);
                    """;
                record.Parameters.AddWithValue("$subject", subjectId);
                record.Parameters.AddWithValue("$key", idempotencyKey);
                record.Parameters.AddWithValue("$company", gameCompanyId);
                record.Parameters.AddWithValue("$month", month);
                record.Parameters.AddWithValue("$amount", add);
                record.Parameters.AddWithValue("$added", added);
                record.Parameters.AddWithValue("$total", total);
                await record.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
            }

            await transaction.CommitAsync(CancellationToken.None).ConfigureAwait(false);
            return new GameSpendOutcome(added, total / MinorUnitsPerUnit, Replayed: false, KeyConflict: false);
        }
    }

    // Inside an IMMEDIATE transaction: reads the month total and adds unless the cap would be passed. Minor units.
    private static async Task<(bool Added, long Total)> AddWithinCapAsync(Microsoft.Data.Sqlite.SqliteConnection connection,
        Microsoft.Data.Sqlite.SqliteTransaction transaction, string subjectId, string gameCompanyId, string month, long add, long? cap,
        CancellationToken cancellationToken)
    {
        var total = await ReadSpendAsync(connection, transaction, subjectId, gameCompanyId, month, cancellationToken).ConfigureAwait(false);
        if (cap is { } limit && total + add > limit)
        {
            return (false, total);
        }

        using var upsert = connection.CreateCommand();
        upsert.Transaction = transaction;
        upsert.CommandText = """
            INSERT INTO game_spend_months (subject_id, game_company_id, month, minor_units) VALUES ($subject, $company, $month, $add)
            ON CONFLICT (subject_id, game_company_id, month) DO UPDATE SET minor_units = minor_units + excluded.minor_units;
            """;
        upsert.Parameters.AddWithValue("$subject", subjectId);
        upsert.Parameters.AddWithValue("$company", gameCompanyId);
        upsert.Parameters.AddWithValue("$month", month);
        upsert.Parameters.AddWithValue("$add", add);
        await upsert.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        return (true, total + add);
    }

    /// <inheritdoc />
    public async Task<decimal> GetSpendAsync(string subjectId, string gameCompanyId, string month, CancellationToken cancellationToken = default)
    {
        var connection = await _database.OpenAsync(cancellationToken).ConfigureAwait(false);
        await using (connection.ConfigureAwait(false))
        {
            return await ReadSpendAsync(connection, null, subjectId, gameCompanyId, month, cancellationToken).ConfigureAwait(false) / MinorUnitsPerUnit;
        }
    }

    private static async Task<long> ReadSpendAsync(Microsoft.Data.Sqlite.SqliteConnection connection, Microsoft.Data.Sqlite.SqliteTransaction? transaction,
        string subjectId, string gameCompanyId, string month, CancellationToken cancellationToken)
    {
        using var read = connection.CreateCommand();
        read.Transaction = transaction;
        read.CommandText = "SELECT minor_units FROM game_spend_months WHERE subject_id = $subject AND game_company_id = $company AND month = $month;";
        read.Parameters.AddWithValue("$subject", subjectId);
        read.Parameters.AddWithValue("$company", gameCompanyId);
        read.Parameters.AddWithValue("$month", month);
        return await read.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false) is long units ? units : 0;
    }
}
