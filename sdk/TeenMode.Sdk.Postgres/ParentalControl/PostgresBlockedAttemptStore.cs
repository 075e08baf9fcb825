using TeenMode.ParentalControl;
using TeenMode.Postgres.Internal;

namespace TeenMode.Postgres.ParentalControl;

/// <summary>Blocked-attempt counters (for the guardian usage report) in PostgreSQL.</summary>
public sealed class PostgresBlockedAttemptStore(PostgresDatabase database) : IBlockedAttemptStore
{
    /// <inheritdoc />
    public async Task RecordAsync(string subjectId, DateOnly day, string kind, ReasonCode reason, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(subjectId);
        ArgumentException.ThrowIfNullOrWhiteSpace(kind);

        // One upsert: concurrent denials on several instances all count.
        await database.ExecuteAsync("""
            INSERT INTO blocked_attempts (subject_id, day, kind, reason, count) VALUES (@subject, @day, @kind, @reason, 1)
            ON CONFLICT (subject_id, day, kind, reason) DO UPDATE SET count = blocked_attempts.count + 1;
            """,
            c => c.Text("subject", subjectId).Date("day", day).Text("kind", kind).Text("reason", reason.Value), cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc />
    public async Task<IReadOnlyList<BlockedAttemptCount>> GetAsync(string subjectId, DateOnly firstDay, DateOnly lastDay, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(subjectId);
        return await database.QueryAsync("""
            SELECT day, kind, reason, count FROM blocked_attempts
            WHERE subject_id = @subject AND day >= @from AND day <= @to
            ORDER BY day, kind COLLATE "C", reason COLLATE "C";
            """,
            c => c.Text("subject", subjectId).Date("from", firstDay).Date("to", lastDay),
            r => new BlockedAttemptCount(r.GetFieldValue<DateOnly>(0), r.GetString(1), new ReasonCode(r.GetString(2)), r.GetInt64(3)),
            cancellationToken).ConfigureAwait(false);
    }
}
