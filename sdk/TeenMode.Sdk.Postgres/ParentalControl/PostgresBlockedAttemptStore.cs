using Npgsql;
using NpgsqlTypes;
using TeenMode.ParentalControl;
using TeenMode.Postgres.Internal;

namespace TeenMode.Postgres.ParentalControl;

/// <summary>Blocked-attempt counters (for the guardian usage report) in PostgreSQL.</summary>
public sealed class PostgresBlockedAttemptStore(PostgresDatabase database) : IBlockedAttemptStore
{
    /// <inheritdoc />
    public async Task AddAsync(IReadOnlyCollection<BlockedAttemptIncrement> increments, CancellationToken cancellationToken = default)
    {
        var merged = BlockedAttemptIncrement.Merge(increments);
        if (merged.Count == 0)
        {
            return;
        }

        // One statement for the batch (its keys are distinct and sorted, so batches from several instances lock rows in
        // the same order); in a transaction so a deadlock or serialization failure is retried.
        await database.InTransactionAsync(async (session, ct) => await session.ExecuteAsync("""
            INSERT INTO blocked_attempts (subject_id, day, kind, reason, count)
            SELECT * FROM unnest(@subjects, @days, @kinds, @reasons, @counts)
            ON CONFLICT (subject_id, day, kind, reason) DO UPDATE SET count = blocked_attempts.count + excluded.count;
            """,
            c => c.TextArray("subjects", [.. merged.Select(i => i.SubjectId)])
                .DateArray("days", [.. merged.Select(i => i.Day)])
                .TextArray("kinds", [.. merged.Select(i => i.Kind)])
                .TextArray("reasons", [.. merged.Select(i => i.Reason.Value)])
                .LongArray("counts", [.. merged.Select(i => i.Count)]),
            ct).ConfigureAwait(false), cancellationToken).ConfigureAwait(false);
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
