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
    public async Task RecordAsync(string subjectId, DateOnly day, string kind, ReasonCode reason, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(subjectId);
        ArgumentException.ThrowIfNullOrWhiteSpace(kind);
        var connection = await _database.OpenAsync(cancellationToken).ConfigureAwait(false);
        await using (connection.ConfigureAwait(false))
        {
            // One statement: concurrent denials on several instances all count.
            using var command = connection.CreateCommand();
            command.CommandText = """
                INSERT INTO blocked_attempts (subject_id, day, kind, reason, count) VALUES ($subject, $day, $kind, $reason, 1)
                ON CONFLICT (subject_id, day, kind, reason) DO UPDATE SET count = count + 1;
                """;
            command.Parameters.AddWithValue("$subject", subjectId);
            command.Parameters.AddWithValue("$day", FormatDate(day));
            command.Parameters.AddWithValue("$kind", kind);
            command.Parameters.AddWithValue("$reason", reason.Value);
            await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
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
