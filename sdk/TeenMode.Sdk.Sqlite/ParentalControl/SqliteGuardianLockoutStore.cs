using Microsoft.Data.Sqlite;
using TeenMode.ParentalControl;
using TeenMode.Sqlite.Internal;
using static TeenMode.Sqlite.Internal.SqliteValues;

namespace TeenMode.Sqlite;

/// <summary>Guardian-verification lockouts in the shared SQLite file; an attempt is reserved under the write lock.</summary>
/// <param name="database">The SQLite file the app's stores share.</param>
public sealed class SqliteGuardianLockoutStore(SqliteDatabase database) : IGuardianLockoutStore
{
    private readonly SqliteDatabase _database = database ?? throw new ArgumentNullException(nameof(database));

    /// <inheritdoc />
    public async Task<GuardianLockState> GetLockAsync(string subjectId, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(subjectId);
        var connection = await _database.OpenAsync(cancellationToken).ConfigureAwait(false);
        await using (connection.ConfigureAwait(false))
        {
            return await ReadLockAsync(connection, null, subjectId, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <inheritdoc />
    public async Task<GuardianAttemptReservation> TryReserveAttemptAsync(string subjectId, DateTimeOffset at, int maxFailures, TimeSpan lockFor, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(subjectId);
        using var writeTurn = await _database.EnterWriteAsync(cancellationToken).ConfigureAwait(false);
        var connection = await _database.OpenAsync(cancellationToken).ConfigureAwait(false);
        await using (connection.ConfigureAwait(false))
        {
            // IMMEDIATE: the read and the conditional write are one step for every connection and process.
            using var transaction = connection.BeginTransaction(deferred: false);
            var state = await ReadLockAsync(connection, transaction, subjectId, cancellationToken).ConfigureAwait(false);
            if (state.IsLocked(at))
            {
                return new GuardianAttemptReservation(false, state);
            }

            var next = GuardianLockState.AfterAttempt(state, at, maxFailures, lockFor);
            using var command = connection.CreateCommand();
            command.Transaction = transaction;
            command.CommandText = """
                INSERT INTO guardian_lockouts (subject_id, failures, locked_until) VALUES ($subject, $failures, $until)
                ON CONFLICT (subject_id) DO UPDATE SET failures = excluded.failures, locked_until = excluded.locked_until;
                """;
            command.Parameters.AddWithValue("$subject", subjectId);
            command.Parameters.AddWithValue("$failures", next.Failures);
            command.Parameters.AddWithValue("$until", next.LockedUntil is { } until ? FormatInstant(until) : DBNull.Value);
            await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
            await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
            return new GuardianAttemptReservation(true, next);
        }
    }

    /// <inheritdoc />
    public async Task ClearFailuresAsync(string subjectId, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(subjectId);
        var connection = await _database.OpenAsync(cancellationToken).ConfigureAwait(false);
        await using (connection.ConfigureAwait(false))
        {
            using var command = connection.CreateCommand();
            command.CommandText = "DELETE FROM guardian_lockouts WHERE subject_id = $subject;";
            command.Parameters.AddWithValue("$subject", subjectId);
            await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }
    }

    private static async Task<GuardianLockState> ReadLockAsync(SqliteConnection connection, SqliteTransaction? transaction, string subjectId, CancellationToken cancellationToken)
    {
        using var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = "SELECT failures, locked_until FROM guardian_lockouts WHERE subject_id = $subject;";
        command.Parameters.AddWithValue("$subject", subjectId);
        var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        await using (reader.ConfigureAwait(false))
        {
            return await reader.ReadAsync(cancellationToken).ConfigureAwait(false)
                ? new GuardianLockState(reader.GetInt32(0), reader.IsDBNull(1) ? null : ParseInstant(reader.GetString(1)))
                : GuardianLockState.Clear;
        }
    }
}
