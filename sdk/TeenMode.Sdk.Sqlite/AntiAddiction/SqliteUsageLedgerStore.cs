using Microsoft.Data.Sqlite;
using TeenMode.AntiAddiction;
using TeenMode.Sqlite.Internal;
using static TeenMode.Sqlite.Internal.SqliteValues;

namespace TeenMode.Sqlite;

/// <summary>The usage ledger in the shared SQLite file: each heartbeat is counted once, in a <c>BEGIN IMMEDIATE</c> transaction, so several threads or processes sharing the file never double count or lose one.</summary>
/// <param name="database">The SQLite file the app's stores share.</param>
public sealed class SqliteUsageLedgerStore(SqliteDatabase database) : IUsageLedgerStore
{
    private readonly SqliteDatabase _database = database ?? throw new ArgumentNullException(nameof(database));

    /// <inheritdoc />
    public Task<(bool Counted, UsageDay Day)> AppendAsync(string subjectId, string deviceId, long sequence, DateOnly localDate,
        int seconds, DateTimeOffset at, TimeSpan breakAfter, CancellationToken cancellationToken = default) =>
        AppendAsync(new UsageAppend(subjectId, deviceId, sequence, localDate, seconds, at, breakAfter, UsageCategories.Uncategorized, true), cancellationToken);

    /// <inheritdoc />
    public async Task<(bool Counted, UsageDay Day)> AppendAsync(UsageAppend append, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(append);
        using var writeTurn = await _database.EnterWriteAsync(cancellationToken).ConfigureAwait(false);
        var connection = await _database.OpenAsync(cancellationToken).ConfigureAwait(false);
        await using (connection.ConfigureAwait(false))
        {
            // IMMEDIATE takes the write lock up front: a deferred transaction that reads and then writes
            // can fail with SQLITE_BUSY_SNAPSHOT under WAL instead of waiting for the other writer.
            using var transaction = connection.BeginTransaction(deferred: false);
            bool counted;
            using (var mark = connection.CreateCommand())
            {
                mark.Transaction = transaction;
                mark.CommandText = "INSERT INTO usage_heartbeats (subject_id, device_id, sequence) VALUES ($subject, $device, $sequence) ON CONFLICT DO NOTHING;";
                mark.Parameters.AddWithValue("$subject", append.SubjectId);
                mark.Parameters.AddWithValue("$device", append.DeviceId);
                mark.Parameters.AddWithValue("$sequence", append.Sequence);
                counted = await mark.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false) == 1;
            }

            if (counted)
            {
                using (var byCategory = connection.CreateCommand())
                {
                    byCategory.Transaction = transaction;
                    byCategory.CommandText = """
                        INSERT INTO usage_category_days (subject_id, local_date, category, seconds) VALUES ($subject, $date, $category, $seconds)
                        ON CONFLICT (subject_id, local_date, category) DO UPDATE SET seconds = seconds + excluded.seconds;
                        """;
                    byCategory.Parameters.AddWithValue("$subject", append.SubjectId);
                    byCategory.Parameters.AddWithValue("$date", FormatDate(append.LocalDate));
                    byCategory.Parameters.AddWithValue("$category", append.Category);
                    byCategory.Parameters.AddWithValue("$seconds", append.Seconds);
                    await byCategory.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
                }

                if (append.CountsTowardBudget)
                {
                    await AddToBudgetAsync(connection, transaction, append, cancellationToken).ConfigureAwait(false);
                }
            }

            var day = await ReadDayAsync(connection, transaction, append.SubjectId, append.LocalDate, cancellationToken).ConfigureAwait(false);

            // Once the work is done it is committed whatever the token says, so the result matches the disk.
            await transaction.CommitAsync(CancellationToken.None).ConfigureAwait(false);
            return (counted, day);
        }
    }

    /// <inheritdoc />
    public async Task<IReadOnlyDictionary<string, long>> GetCategorySecondsAsync(string subjectId, DateOnly localDate, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(subjectId);
        var connection = await _database.OpenAsync(cancellationToken).ConfigureAwait(false);
        await using (connection.ConfigureAwait(false))
        {
            using var command = connection.CreateCommand();
            command.CommandText = "SELECT category, seconds FROM usage_category_days WHERE subject_id = $subject AND local_date = $date;";
            command.Parameters.AddWithValue("$subject", subjectId);
            command.Parameters.AddWithValue("$date", FormatDate(localDate));
            var result = new Dictionary<string, long>(StringComparer.Ordinal);
            var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
            await using (reader.ConfigureAwait(false))
            {
                while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
                {
                    result[reader.GetString(0)] = reader.GetInt64(1);
                }
            }

            return result;
        }
    }

    /// <inheritdoc />
    public async Task<UsageDay> GetDayAsync(string subjectId, DateOnly localDate, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(subjectId);
        var connection = await _database.OpenAsync(cancellationToken).ConfigureAwait(false);
        await using (connection.ConfigureAwait(false))
        {
            return await ReadDayAsync(connection, null, subjectId, localDate, cancellationToken).ConfigureAwait(false);
        }
    }

    private static async Task AddToBudgetAsync(SqliteConnection connection, SqliteTransaction transaction, UsageAppend append, CancellationToken cancellationToken)
    {
        using (var add = connection.CreateCommand())
        {
            add.Transaction = transaction;
            add.CommandText = """
                INSERT INTO usage_days (subject_id, local_date, seconds) VALUES ($subject, $date, $seconds)
                ON CONFLICT (subject_id, local_date) DO UPDATE SET seconds = seconds + excluded.seconds;
                """;
            add.Parameters.AddWithValue("$subject", append.SubjectId);
            add.Parameters.AddWithValue("$date", FormatDate(append.LocalDate));
            add.Parameters.AddWithValue("$seconds", append.Seconds);
            await add.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }

        var previous = await ReadDayAsync(connection, transaction, append.SubjectId, append.LocalDate, cancellationToken).ConfigureAwait(false);
        var continuous = ContinuousUse.After(previous.ContinuousSeconds, previous.LastHeartbeatAt, append.At, append.Seconds, append.BreakAfter);
        using var continuity = connection.CreateCommand();
        continuity.Transaction = transaction;
        continuity.CommandText = """
            INSERT INTO usage_continuity (subject_id, continuous_seconds, last_at) VALUES ($subject, $continuous, $at)
            ON CONFLICT (subject_id) DO UPDATE SET continuous_seconds = excluded.continuous_seconds, last_at = excluded.last_at;
            """;
        continuity.Parameters.AddWithValue("$subject", append.SubjectId);
        continuity.Parameters.AddWithValue("$continuous", continuous);
        continuity.Parameters.AddWithValue("$at", FormatInstant(append.At));
        await continuity.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
    }

    private static async Task<UsageDay> ReadDayAsync(SqliteConnection connection, SqliteTransaction? transaction, string subjectId,
        DateOnly localDate, CancellationToken cancellationToken)
    {
        using var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = """
            SELECT COALESCE((SELECT seconds FROM usage_days WHERE subject_id = $subject AND local_date = $date), 0),
                   c.continuous_seconds, c.last_at
            FROM (SELECT 1) LEFT JOIN usage_continuity c ON c.subject_id = $subject;
            """;
        command.Parameters.AddWithValue("$subject", subjectId);
        command.Parameters.AddWithValue("$date", FormatDate(localDate));
        var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        await using (reader.ConfigureAwait(false))
        {
            await reader.ReadAsync(cancellationToken).ConfigureAwait(false);
            var seconds = reader.GetInt64(0);
            return reader.IsDBNull(2)
                ? new UsageDay(seconds, 0, null)
                : new UsageDay(seconds, reader.GetInt64(1), ParseInstant(reader.GetString(2)));
        }
    }
}
