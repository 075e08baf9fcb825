using Microsoft.Data.Sqlite;
using TeenMode.ParentalControl;
using TeenMode.Sqlite.Internal;
using static TeenMode.Sqlite.Internal.SqliteValues;

namespace TeenMode.Sqlite;

/// <summary>Blocked-attempt counters (the guardian usage report) in the shared SQLite file.</summary>
/// <param name="database">The SQLite file the app's stores share.</param>
public sealed class SqliteBlockedAttemptStore(SqliteDatabase database) : IBlockedAttemptStore
{
    private readonly SqliteDatabase _database = database ?? throw new ArgumentNullException(nameof(database));

    /// <inheritdoc />
    public async Task AddAsync(IReadOnlyCollection<BlockedAttemptIncrement> increments, CancellationToken cancellationToken = default)
    {
        var merged = BlockedAttemptIncrement.Merge(increments);
        if (merged.Count == 0)
        {
            return;
        }

        using var writeTurn = await _database.EnterWriteAsync(cancellationToken).ConfigureAwait(false);
        var connection = await _database.OpenAsync(cancellationToken).ConfigureAwait(false);
        await using (connection.ConfigureAwait(false))
        {
            // One transaction for the batch; adding to the stored count, so other processes' batches all count too.
            using var transaction = connection.BeginTransaction(deferred: false);
            using var command = connection.CreateCommand();
            command.Transaction = transaction;
            command.CommandText = """
                INSERT INTO blocked_attempts (subject_id, day, kind, reason, count) VALUES ($subject, $day, $kind, $reason, $count)
                ON CONFLICT (subject_id, day, kind, reason) DO UPDATE SET count = count + excluded.count;
                """;
            var subject = command.Parameters.Add("$subject", SqliteType.Text);
            var day = command.Parameters.Add("$day", SqliteType.Text);
            var kind = command.Parameters.Add("$kind", SqliteType.Text);
            var reason = command.Parameters.Add("$reason", SqliteType.Text);
            var count = command.Parameters.Add("$count", SqliteType.Integer);
            foreach (var increment in merged)
            {
                subject.Value = increment.SubjectId;
                day.Value = FormatDate(increment.Day);
                kind.Value = increment.Kind;
                reason.Value = increment.Reason.Value;
                count.Value = increment.Count;
                await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
            }

            await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
        }
    }

    /// <inheritdoc />
    public async Task<IReadOnlyList<BlockedAttemptCount>> GetAsync(string subjectId, DateOnly firstDay, DateOnly lastDay, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(subjectId);
        var connection = await _database.OpenAsync(cancellationToken).ConfigureAwait(false);
        await using (connection.ConfigureAwait(false))
        {
            using var command = connection.CreateCommand();
            command.CommandText = """
                SELECT day, kind, reason, count FROM blocked_attempts
                WHERE subject_id = $subject AND day >= $from AND day <= $to
                ORDER BY day, kind, reason;
                """;
            command.Parameters.AddWithValue("$subject", subjectId);
            command.Parameters.AddWithValue("$from", FormatDate(firstDay));
            command.Parameters.AddWithValue("$to", FormatDate(lastDay));
            var rows = new List<BlockedAttemptCount>();
            var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
            await using (reader.ConfigureAwait(false))
            {
                while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
                {
                    rows.Add(new BlockedAttemptCount(ParseDate(reader.GetString(0)),
                        reader.GetString(1), new ReasonCode(reader.GetString(2)), reader.GetInt64(3)));
                }
            }

            return rows;
        }
    }
}
