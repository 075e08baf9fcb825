using TeenMode.AntiAddiction;
using TeenMode.Postgres.Internal;

namespace TeenMode.Postgres.AntiAddiction;

/// <summary>
/// The usage ledger in PostgreSQL: one ledger per subject across all devices and app instances. A heartbeat is counted
/// once per (subject, device, sequence) however often it is retried, and the day, category and continuity totals change
/// in the same transaction as the heartbeat mark.
/// </summary>
public sealed class PostgresUsageLedgerStore(PostgresDatabase database) : IUsageLedgerStore
{
    /// <inheritdoc />
    public Task<(bool Counted, UsageDay Day)> AppendAsync(string subjectId, string deviceId, long sequence, DateOnly localDate,
        int seconds, DateTimeOffset at, TimeSpan breakAfter, CancellationToken cancellationToken = default) =>
        AppendAsync(new UsageAppend(subjectId, deviceId, sequence, localDate, seconds, at, breakAfter, UsageCategories.Uncategorized, true), cancellationToken);

    /// <inheritdoc />
    public Task<(bool Counted, UsageDay Day)> AppendAsync(UsageAppend append, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(append);
        return database.InTransactionAsync(async (session, ct) =>
        {
            // The primary key makes the mark idempotent: a retry racing its original waits for it, then inserts nothing.
            var counted = await session.ExecuteAsync(
                "INSERT INTO usage_heartbeats (subject_id, device_id, sequence) VALUES (@subject, @device, @sequence) ON CONFLICT DO NOTHING;",
                c => c.Text("subject", append.SubjectId).Text("device", append.DeviceId).Long("sequence", append.Sequence), ct).ConfigureAwait(false) == 1;
            if (counted)
            {
                await session.ExecuteAsync("""
                    INSERT INTO usage_category_days (subject_id, local_date, category, seconds) VALUES (@subject, @date, @category, @seconds)
                    ON CONFLICT (subject_id, local_date, category) DO UPDATE SET seconds = usage_category_days.seconds + excluded.seconds;
                    """,
                    c => c.Text("subject", append.SubjectId).Date("date", append.LocalDate).Text("category", append.Category).Long("seconds", append.Seconds),
                    ct).ConfigureAwait(false);
                if (append.CountsTowardBudget)
                {
                    await AddToBudgetAsync(session, append, ct).ConfigureAwait(false);
                }
            }

            return (counted, await ReadDayAsync(session, append.SubjectId, append.LocalDate, ct).ConfigureAwait(false));
        }, cancellationToken);
    }

    /// <inheritdoc />
    public async Task<UsageDay> GetDayAsync(string subjectId, DateOnly localDate, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(subjectId);
        var rows = await database.QueryAsync(ReadDaySql, c => c.Text("subject", subjectId).Date("date", localDate), ReadDay, cancellationToken).ConfigureAwait(false);
        return rows[0];
    }

    /// <inheritdoc />
    public async Task<IReadOnlyDictionary<string, long>> GetCategorySecondsAsync(string subjectId, DateOnly localDate, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(subjectId);
        var rows = await database.QueryAsync("SELECT category, seconds FROM usage_category_days WHERE subject_id = @subject AND local_date = @date;",
            c => c.Text("subject", subjectId).Date("date", localDate), r => (r.GetString(0), r.GetInt64(1)), cancellationToken).ConfigureAwait(false);
        return rows.ToDictionary(x => x.Item1, x => x.Item2, StringComparer.Ordinal);
    }

    private const string ReadDaySql = """
        SELECT COALESCE((SELECT seconds FROM usage_days WHERE subject_id = @subject AND local_date = @date), 0),
               c.continuous_seconds, c.last_at, c.last_at_tick
        FROM (SELECT 1) AS one LEFT JOIN usage_continuity c ON c.subject_id = @subject;
        """;

    private static async Task<UsageDay> ReadDayAsync(PgSession session, string subjectId, DateOnly localDate, CancellationToken cancellationToken) =>
        (await session.QueryAsync(ReadDaySql, c => c.Text("subject", subjectId).Date("date", localDate), ReadDay, cancellationToken).ConfigureAwait(false))[0];

    private static UsageDay ReadDay(Npgsql.NpgsqlDataReader r) =>
        r.IsDBNull(2) ? new UsageDay(r.GetInt64(0), 0, null) : new UsageDay(r.GetInt64(0), r.GetInt64(1), r.GetInstant(2));

    private static async Task AddToBudgetAsync(PgSession session, UsageAppend append, CancellationToken cancellationToken)
    {
        await session.ExecuteAsync("""
            INSERT INTO usage_days (subject_id, local_date, seconds) VALUES (@subject, @date, @seconds)
            ON CONFLICT (subject_id, local_date) DO UPDATE SET seconds = usage_days.seconds + excluded.seconds;
            """,
            c => c.Text("subject", append.SubjectId).Date("date", append.LocalDate).Long("seconds", append.Seconds), cancellationToken).ConfigureAwait(false);

        // The continuity row is created if missing, then locked: heartbeats of one subject from other devices and
        // instances wait here, so each reads the continuity the previous one wrote (read-modify-write, never lost).
        await session.ExecuteAsync("INSERT INTO usage_continuity (subject_id, continuous_seconds) VALUES (@subject, 0) ON CONFLICT (subject_id) DO NOTHING;",
            c => c.Text("subject", append.SubjectId), cancellationToken).ConfigureAwait(false);
        var previous = await session.QueryAsync("SELECT continuous_seconds, last_at, last_at_tick FROM usage_continuity WHERE subject_id = @subject FOR UPDATE;",
            c => c.Text("subject", append.SubjectId), r => (Seconds: r.GetInt64(0), Last: r.GetInstantOrNull(1)), cancellationToken).ConfigureAwait(false);
        var continuous = ContinuousUse.After(previous[0].Seconds, previous[0].Last, append.At, append.Seconds, append.BreakAfter);
        await session.ExecuteAsync("UPDATE usage_continuity SET continuous_seconds = @continuous, last_at = @at, last_at_tick = @at_tick WHERE subject_id = @subject;",
            c => c.Text("subject", append.SubjectId).Long("continuous", continuous).Instant("at", append.At), cancellationToken).ConfigureAwait(false);
    }
}
