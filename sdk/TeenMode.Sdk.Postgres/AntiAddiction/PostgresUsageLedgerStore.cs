using Npgsql;
using NpgsqlTypes;
using TeenMode.AntiAddiction;
using TeenMode.Postgres.Internal;
using TeenMode.Storage;

namespace TeenMode.Postgres.AntiAddiction;

/// <summary>
/// The usage ledger in PostgreSQL: one ledger per subject across all devices and app instances. A heartbeat is counted
/// once per (subject, device, sequence) however often it is retried. Concurrent heartbeats are group-committed: one
/// writer per instance counts a batch in one transaction of three round trips (lock and read, write, commit), and each
/// caller is answered only after its batch committed.
/// </summary>
public sealed class PostgresUsageLedgerStore : IUsageLedgerStore, IAsyncDisposable, IDisposable
{
    private readonly PostgresDatabase _database;
    private readonly GroupCommitter<UsageAppend, (bool Counted, UsageDay Day)> _appends;

    /// <summary>Creates the store over <paramref name="database"/>, batching heartbeats as its options say.</summary>
    /// <param name="database">The database the app's stores share.</param>
    public PostgresUsageLedgerStore(PostgresDatabase database)
    {
        _database = database ?? throw new ArgumentNullException(nameof(database));
        _appends = new(CommitAsync, database.Options.HeartbeatCommit);
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

    /// <inheritdoc />
    public async Task<UsageDay> GetDayAsync(string subjectId, DateOnly localDate, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(subjectId);
        var rows = await _database.QueryAsync(ReadDaySql, c => c.Text("subject", subjectId).Date("date", localDate), ReadDay, cancellationToken).ConfigureAwait(false);
        return rows[0];
    }

    /// <inheritdoc />
    public async Task<IReadOnlyDictionary<string, long>> GetCategorySecondsAsync(string subjectId, DateOnly localDate, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(subjectId);
        var rows = await _database.QueryAsync("SELECT category, seconds FROM usage_category_days WHERE subject_id = @subject AND local_date = @date;",
            c => c.Text("subject", subjectId).Date("date", localDate), r => (r.GetString(0), r.GetInt64(1)), cancellationToken).ConfigureAwait(false);
        return rows.ToDictionary(x => x.Item1, x => x.Item2, StringComparer.Ordinal);
    }

    /// <summary>Commits the heartbeats still queued, then stops the writer.</summary>
    public ValueTask DisposeAsync() => _appends.DisposeAsync();

    /// <summary>Commits the heartbeats still queued, then stops the writer.</summary>
    public void Dispose() => _appends.Dispose();

    private const string ReadDaySql = """
        SELECT COALESCE((SELECT seconds FROM usage_days WHERE subject_id = @subject AND local_date = @date), 0),
               c.continuous_seconds, c.last_at, c.last_at_tick
        FROM (SELECT 1) AS one LEFT JOIN usage_continuity c ON c.subject_id = @subject;
        """;

    private static UsageDay ReadDay(NpgsqlDataReader r) =>
        r.IsDBNull(2) ? new UsageDay(r.GetInt64(0), 0, null) : new UsageDay(r.GetInt64(0), r.GetInt64(1), r.GetInstant(2));

    private Task<IReadOnlyList<(bool Counted, UsageDay Day)>> CommitAsync(IReadOnlyList<UsageAppend> batch, CancellationToken cancellationToken) =>
        _database.InTransactionAsync(async (session, ct) =>
        {
            var state = new BatchState(batch);
            await state.LockAndReadAsync(session, ct).ConfigureAwait(false);
            var results = state.Apply();
            await state.WriteAsync(session, ct).ConfigureAwait(false);
            return (IReadOnlyList<(bool Counted, UsageDay Day)>)results;
        }, cancellationToken);

    /// <summary>One batch: the rows it locks and reads, the heartbeats applied in order in memory, and the changes it writes.</summary>
    private sealed class BatchState(IReadOnlyList<UsageAppend> batch)
    {
        private readonly HashSet<(string Subject, string Device, long Sequence)> _new = [];
        private readonly Dictionary<string, (long Seconds, DateTimeOffset? Last)> _continuity = new(StringComparer.Ordinal);
        private readonly Dictionary<(string Subject, DateOnly Date), long> _days = [];
        private readonly Dictionary<(string Subject, DateOnly Date), long> _dayDeltas = [];
        private readonly Dictionary<(string Subject, DateOnly Date, string Category), long> _categoryDeltas = [];
        private readonly HashSet<string> _continuityChanged = new(StringComparer.Ordinal);

        // One round trip. The continuity rows are locked first, in the database's order, in every instance: any other
        // transaction counting a heartbeat of these subjects waits here, so the reads below stay true until commit.
        public async Task LockAndReadAsync(PgSession session, CancellationToken cancellationToken)
        {
            var subjects = batch.Select(a => a.SubjectId).Distinct(StringComparer.Ordinal).ToArray();
            var days = batch.Select(a => (a.SubjectId, a.LocalDate)).Distinct().ToArray();
            await using var read = session.CreateBatch();
            read.Add("""
                INSERT INTO usage_continuity (subject_id, continuous_seconds)
                SELECT s, 0 FROM unnest($1::text[]) AS s ORDER BY s
                ON CONFLICT (subject_id) DO NOTHING;
                """, (NpgsqlDbType.Array | NpgsqlDbType.Text, subjects));
            read.Add("SELECT subject_id, continuous_seconds, last_at, last_at_tick FROM usage_continuity WHERE subject_id = ANY($1) ORDER BY subject_id FOR UPDATE;",
                (NpgsqlDbType.Array | NpgsqlDbType.Text, subjects));
            read.Add("""
                INSERT INTO usage_heartbeats (subject_id, device_id, sequence)
                SELECT * FROM unnest($1::text[], $2::text[], $3::bigint[]) ON CONFLICT DO NOTHING
                RETURNING subject_id, device_id, sequence;
                """,
                (NpgsqlDbType.Array | NpgsqlDbType.Text, batch.Select(a => a.SubjectId).ToArray()),
                (NpgsqlDbType.Array | NpgsqlDbType.Text, batch.Select(a => a.DeviceId).ToArray()),
                (NpgsqlDbType.Array | NpgsqlDbType.Bigint, batch.Select(a => a.Sequence).ToArray()));
            read.Add("SELECT d.subject_id, d.local_date, d.seconds FROM usage_days d JOIN unnest($1::text[], $2::date[]) AS k(s, day) ON d.subject_id = k.s AND d.local_date = k.day;",
                (NpgsqlDbType.Array | NpgsqlDbType.Text, days.Select(d => d.SubjectId).ToArray()),
                (NpgsqlDbType.Array | NpgsqlDbType.Date, days.Select(d => d.LocalDate).ToArray()));
            await using var reader = await read.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
            while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
            {
                _continuity[reader.GetString(0)] = (reader.GetInt64(1), reader.GetInstantOrNull(2));
            }

            await reader.NextResultAsync(cancellationToken).ConfigureAwait(false);
            while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
            {
                _new.Add((reader.GetString(0), reader.GetString(1), reader.GetInt64(2)));
            }

            await reader.NextResultAsync(cancellationToken).ConfigureAwait(false);
            while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
            {
                _days[(reader.GetString(0), reader.GetFieldValue<DateOnly>(1))] = reader.GetInt64(2);
            }
        }

        // The same steps as counting one heartbeat at a time, in arrival order, so each result sees the ones before it.
        public (bool Counted, UsageDay Day)[] Apply()
        {
            var results = new (bool Counted, UsageDay Day)[batch.Count];
            for (var i = 0; i < batch.Count; i++)
            {
                var a = batch[i];
                var day = (a.SubjectId, a.LocalDate);
                // Removing the key makes a repeat within the batch a retry, as it would be one transaction later.
                var counted = _new.Remove((a.SubjectId, a.DeviceId, a.Sequence));
                var continuity = _continuity.GetValueOrDefault(a.SubjectId);
                if (counted)
                {
                    Add(_categoryDeltas, (a.SubjectId, a.LocalDate, a.Category), a.Seconds);
                    if (a.CountsTowardBudget)
                    {
                        Add(_days, day, a.Seconds);
                        Add(_dayDeltas, day, a.Seconds);
                        continuity = (ContinuousUse.After(continuity.Seconds, continuity.Last, a.At, a.Seconds, a.BreakAfter), a.At);
                        _continuity[a.SubjectId] = continuity;
                        _continuityChanged.Add(a.SubjectId);
                    }
                }

                var seconds = _days.GetValueOrDefault(day);
                results[i] = (counted, continuity.Last is null ? new UsageDay(seconds, 0, null) : new UsageDay(seconds, continuity.Seconds, continuity.Last));
            }

            return results;
        }

        // One round trip: the totals grow by what the batch counted; continuity takes its last value.
        public async Task WriteAsync(PgSession session, CancellationToken cancellationToken)
        {
            await using var write = session.CreateBatch();
            if (_categoryDeltas.Count > 0)
            {
                write.Add("""
                    INSERT INTO usage_category_days (subject_id, local_date, category, seconds)
                    SELECT * FROM unnest($1::text[], $2::date[], $3::text[], $4::bigint[])
                    ON CONFLICT (subject_id, local_date, category) DO UPDATE SET seconds = usage_category_days.seconds + excluded.seconds;
                    """,
                    (NpgsqlDbType.Array | NpgsqlDbType.Text, _categoryDeltas.Keys.Select(k => k.Subject).ToArray()),
                    (NpgsqlDbType.Array | NpgsqlDbType.Date, _categoryDeltas.Keys.Select(k => k.Date).ToArray()),
                    (NpgsqlDbType.Array | NpgsqlDbType.Text, _categoryDeltas.Keys.Select(k => k.Category).ToArray()),
                    (NpgsqlDbType.Array | NpgsqlDbType.Bigint, _categoryDeltas.Values.ToArray()));
            }

            if (_dayDeltas.Count > 0)
            {
                write.Add("""
                    INSERT INTO usage_days (subject_id, local_date, seconds)
                    SELECT * FROM unnest($1::text[], $2::date[], $3::bigint[])
                    ON CONFLICT (subject_id, local_date) DO UPDATE SET seconds = usage_days.seconds + excluded.seconds;
                    """,
                    (NpgsqlDbType.Array | NpgsqlDbType.Text, _dayDeltas.Keys.Select(k => k.Subject).ToArray()),
                    (NpgsqlDbType.Array | NpgsqlDbType.Date, _dayDeltas.Keys.Select(k => k.Date).ToArray()),
                    (NpgsqlDbType.Array | NpgsqlDbType.Bigint, _dayDeltas.Values.ToArray()));
            }

            if (_continuityChanged.Count > 0)
            {
                var changed = _continuityChanged.ToArray();
                var at = changed.Select(s => _continuity[s].Last!.Value).ToArray();
                write.Add("""
                    UPDATE usage_continuity AS c SET continuous_seconds = u.seconds, last_at = u.at, last_at_tick = u.tick
                    FROM unnest($1::text[], $2::bigint[], $3::timestamptz[], $4::smallint[]) AS u(subject, seconds, at, tick)
                    WHERE c.subject_id = u.subject;
                    """,
                    (NpgsqlDbType.Array | NpgsqlDbType.Text, changed),
                    (NpgsqlDbType.Array | NpgsqlDbType.Bigint, changed.Select(s => _continuity[s].Seconds).ToArray()),
                    (NpgsqlDbType.Array | NpgsqlDbType.TimestampTz, at.Select(Sql.WholeMicroseconds).ToArray()),
                    (NpgsqlDbType.Array | NpgsqlDbType.Smallint, at.Select(Sql.Tick).ToArray()));
            }

            if (write.BatchCommands.Count > 0)
            {
                await write.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
            }
        }

        private static void Add<TKey>(Dictionary<TKey, long> totals, TKey key, long seconds)
            where TKey : notnull =>
            totals[key] = totals.GetValueOrDefault(key) + seconds;
    }
}
