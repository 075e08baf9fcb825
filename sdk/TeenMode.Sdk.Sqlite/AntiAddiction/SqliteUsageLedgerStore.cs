using Microsoft.Data.Sqlite;
using TeenMode.AntiAddiction;
using TeenMode.Sqlite.Internal;
using TeenMode.Storage;
using static TeenMode.Sqlite.Internal.SqliteValues;

namespace TeenMode.Sqlite;

/// <summary>
/// The usage ledger in the shared SQLite file. Each heartbeat is counted once per (subject, device, sequence). Concurrent
/// heartbeats are group-committed: one writer counts a batch of them in one <c>BEGIN IMMEDIATE</c> transaction, and each
/// caller is answered only after its batch committed. Several threads or processes sharing the file never double count
/// or lose one.
/// </summary>
/// <remarks>
/// Heartbeat batches commit with <c>synchronous=NORMAL</c> (the SDK's other writes keep <c>FULL</c>): an acknowledged
/// heartbeat survives the app process being killed, since the commit is in the WAL file; a power cut or kernel crash
/// can lose the heartbeats committed since the WAL was last synced, which the next write of anything else (a spend,
/// a report) or checkpoint does. On a power cut only, that risks the use counted since the last sync, to save a disk
/// sync per batch (about 4 ms on the machine measured in docs/performance.md).
/// </remarks>
public sealed class SqliteUsageLedgerStore : IUsageLedgerStore, IAsyncDisposable, IDisposable
{
    private readonly SqliteDatabase _database;
    private readonly GroupCommitter<UsageAppend, (bool Counted, UsageDay Day)> _appends;

    /// <summary>Creates the store over <paramref name="database"/>, batching heartbeats as its options say.</summary>
    /// <param name="database">The SQLite file the app's stores share.</param>
    public SqliteUsageLedgerStore(SqliteDatabase database)
    {
        _database = database ?? throw new ArgumentNullException(nameof(database));
        _appends = new(CommitAsync, database.HeartbeatCommit);
    }

    /// <inheritdoc />
    public Task<(bool Counted, UsageDay Day)> AppendAsync(string subjectId, string deviceId, long sequence, DateOnly localDate,
        int seconds, DateTimeOffset at, TimeSpan breakAfter, CancellationToken cancellationToken = default) =>
        AppendAsync(new UsageAppend(subjectId, deviceId, sequence, localDate, seconds, at, breakAfter, UsageCategories.Uncategorized, true), cancellationToken);

    /// <inheritdoc />
    public Task<(bool Counted, UsageDay Day)> AppendAsync(UsageAppend append, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(append);
        return _appends.EnqueueAsync(append, cancellationToken);
    }

    /// <summary>Commits the heartbeats still queued, then stops the writer.</summary>
    public ValueTask DisposeAsync() => _appends.DisposeAsync();

    /// <summary>Commits the heartbeats still queued, then stops the writer.</summary>
    public void Dispose() => _appends.Dispose();

    // One transaction for the batch; the items are counted in arrival order, so each sees the ones before it.
    private async Task<IReadOnlyList<(bool Counted, UsageDay Day)>> CommitAsync(IReadOnlyList<UsageAppend> batch, CancellationToken cancellationToken)
    {
        using var writeTurn = await _database.EnterWriteAsync(cancellationToken).ConfigureAwait(false);
        var connection = await _database.OpenUnsyncedAsync(cancellationToken).ConfigureAwait(false);
        await using (connection.ConfigureAwait(false))
        {
            // IMMEDIATE takes the write lock up front: a deferred transaction that reads and then writes
            // can fail with SQLITE_BUSY_SNAPSHOT under WAL instead of waiting for the other writer.
            using var transaction = connection.BeginTransaction(deferred: false);
            using var statements = new AppendStatements(connection, transaction);
            var results = new (bool Counted, UsageDay Day)[batch.Count];
            for (var i = 0; i < batch.Count; i++)
            {
                results[i] = statements.Append(batch[i]);
            }

            transaction.Commit();
            return results;
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

    private const string ReadDaySql = """
        SELECT COALESCE((SELECT seconds FROM usage_days WHERE subject_id = $subject AND local_date = $date), 0),
               c.continuous_seconds, c.last_at
        FROM (SELECT 1) LEFT JOIN usage_continuity c ON c.subject_id = $subject;
        """;

    private static async Task<UsageDay> ReadDayAsync(SqliteConnection connection, SqliteTransaction? transaction, string subjectId,
        DateOnly localDate, CancellationToken cancellationToken)
    {
        using var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = ReadDaySql;
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

    /// <summary>The statements of one batch, prepared once and run for each heartbeat in it.</summary>
    private sealed class AppendStatements : IDisposable
    {
        private readonly SqliteCommand _mark, _byCategory, _addToDay, _readContinuity, _writeContinuity, _readDay;

        public AppendStatements(SqliteConnection connection, SqliteTransaction transaction)
        {
            _mark = Create(connection, transaction, "INSERT INTO usage_heartbeats (subject_id, device_id, sequence) VALUES ($subject, $device, $sequence) ON CONFLICT DO NOTHING;",
                "$subject", "$device", "$sequence");
            _byCategory = Create(connection, transaction, """
                INSERT INTO usage_category_days (subject_id, local_date, category, seconds) VALUES ($subject, $date, $category, $seconds)
                ON CONFLICT (subject_id, local_date, category) DO UPDATE SET seconds = seconds + excluded.seconds;
                """, "$subject", "$date", "$category", "$seconds");
            _addToDay = Create(connection, transaction, """
                INSERT INTO usage_days (subject_id, local_date, seconds) VALUES ($subject, $date, $seconds)
                ON CONFLICT (subject_id, local_date) DO UPDATE SET seconds = seconds + excluded.seconds
                RETURNING seconds;
                """, "$subject", "$date", "$seconds");
            _readContinuity = Create(connection, transaction, "SELECT continuous_seconds, last_at FROM usage_continuity WHERE subject_id = $subject;", "$subject");
            _writeContinuity = Create(connection, transaction, """
                INSERT INTO usage_continuity (subject_id, continuous_seconds, last_at) VALUES ($subject, $continuous, $at)
                ON CONFLICT (subject_id) DO UPDATE SET continuous_seconds = excluded.continuous_seconds, last_at = excluded.last_at;
                """, "$subject", "$continuous", "$at");
            _readDay = Create(connection, transaction, ReadDaySql, "$subject", "$date");
        }

        public (bool Counted, UsageDay Day) Append(UsageAppend append)
        {
            var date = FormatDate(append.LocalDate);
            var counted = Run(_mark, append.SubjectId, append.DeviceId, append.Sequence) == 1;
            if (!counted)
            {
                return (false, ReadDay(append.SubjectId, date));
            }

            Run(_byCategory, append.SubjectId, date, append.Category, append.Seconds);
            if (!append.CountsTowardBudget)
            {
                return (true, ReadDay(append.SubjectId, date));
            }

            var daySeconds = (long)Bind(_addToDay, append.SubjectId, date, append.Seconds).ExecuteScalar()!;
            long previousSeconds = 0;
            DateTimeOffset? previousAt = null;
            using (var reader = Bind(_readContinuity, append.SubjectId).ExecuteReader())
            {
                if (reader.Read() && !reader.IsDBNull(1))
                {
                    previousSeconds = reader.GetInt64(0);
                    previousAt = ParseInstant(reader.GetString(1));
                }
            }

            var continuous = ContinuousUse.After(previousSeconds, previousAt, append.At, append.Seconds, append.BreakAfter);
            Run(_writeContinuity, append.SubjectId, continuous, FormatInstant(append.At));
            return (true, new UsageDay(daySeconds, continuous, append.At));
        }

        public void Dispose()
        {
            _mark.Dispose();
            _byCategory.Dispose();
            _addToDay.Dispose();
            _readContinuity.Dispose();
            _writeContinuity.Dispose();
            _readDay.Dispose();
        }

        private UsageDay ReadDay(string subjectId, string date)
        {
            using var reader = Bind(_readDay, subjectId, date).ExecuteReader();
            reader.Read();
            var seconds = reader.GetInt64(0);
            return reader.IsDBNull(2) ? new UsageDay(seconds, 0, null) : new UsageDay(seconds, reader.GetInt64(1), ParseInstant(reader.GetString(2)));
        }

        private static SqliteCommand Create(SqliteConnection connection, SqliteTransaction transaction, string sql, params string[] names)
        {
            var command = connection.CreateCommand();
            command.Transaction = transaction;
            command.CommandText = sql;
            foreach (var name in names)
            {
                command.Parameters.Add(new SqliteParameter { ParameterName = name });
            }

            return command;
        }

        private static SqliteCommand Bind(SqliteCommand command, params object[] values)
        {
            for (var i = 0; i < values.Length; i++)
            {
                command.Parameters[i].Value = values[i];
            }

            return command;
        }

        private static int Run(SqliteCommand command, params object[] values) => Bind(command, values).ExecuteNonQuery();
    }
}
