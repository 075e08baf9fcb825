using Microsoft.Data.Sqlite;
using TeenMode.ParentalControl;
using TeenMode.Sqlite.Internal;
using static TeenMode.Sqlite.Internal.SqliteValues;

namespace TeenMode.Sqlite;

/// <summary>Guardian bindings (PIN hashes) in the shared SQLite file.</summary>
/// <param name="database">The SQLite file the app's stores share.</param>
public sealed class SqliteGuardianStore(SqliteDatabase database) : IGuardianStore
{
    private readonly SqliteDatabase _database = database ?? throw new ArgumentNullException(nameof(database));

    /// <inheritdoc />
    public async Task SaveAsync(GuardianBinding binding, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(binding);
        ArgumentNullException.ThrowIfNull(binding.Pin);
        var connection = await _database.OpenAsync(cancellationToken).ConfigureAwait(false);
        await using (connection.ConfigureAwait(false))
        {
            using var command = connection.CreateCommand();
            command.CommandText = """
                INSERT INTO guardians (subject_id, guardian_id, pin_salt, pin_hash, pin_iterations, bound_at)
                VALUES ($subject, $guardian, $salt, $hash, $iterations, $bound)
                ON CONFLICT (subject_id, guardian_id) DO UPDATE SET
                    pin_salt = excluded.pin_salt, pin_hash = excluded.pin_hash,
                    pin_iterations = excluded.pin_iterations, bound_at = excluded.bound_at;
                """;
            command.Parameters.AddWithValue("$subject", binding.SubjectId);
            command.Parameters.AddWithValue("$guardian", binding.GuardianId);
            command.Parameters.Add("$salt", SqliteType.Blob).Value = binding.Pin.Salt;
            command.Parameters.Add("$hash", SqliteType.Blob).Value = binding.Pin.Hash;
            command.Parameters.AddWithValue("$iterations", binding.Pin.Iterations);
            command.Parameters.AddWithValue("$bound", FormatInstant(binding.BoundAt));
            await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }
    }

    /// <inheritdoc />
    public Task<IReadOnlyList<GuardianBinding>> GetForSubjectAsync(string subjectId, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(subjectId);

        // The contract is .NET ordinal (UTF-16) order, not SQLite's UTF-8 byte order; the lists are short.
        return ReadBindingsAsync("subject_id", subjectId, static (a, b) => string.CompareOrdinal(a.GuardianId, b.GuardianId), cancellationToken);
    }

    /// <inheritdoc />
    public Task<IReadOnlyList<GuardianBinding>> GetForGuardianAsync(string guardianId, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(guardianId);
        return ReadBindingsAsync("guardian_id", guardianId, static (a, b) => string.CompareOrdinal(a.SubjectId, b.SubjectId), cancellationToken);
    }

    /// <inheritdoc />
    public async Task<bool> RemoveAsync(string subjectId, string guardianId, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(subjectId);
        ArgumentNullException.ThrowIfNull(guardianId);
        var connection = await _database.OpenAsync(cancellationToken).ConfigureAwait(false);
        await using (connection.ConfigureAwait(false))
        {
            using var command = connection.CreateCommand();
            command.CommandText = "DELETE FROM guardians WHERE subject_id = $subject AND guardian_id = $guardian;";
            command.Parameters.AddWithValue("$subject", subjectId);
            command.Parameters.AddWithValue("$guardian", guardianId);
            return await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false) == 1;
        }
    }

    private async Task<IReadOnlyList<GuardianBinding>> ReadBindingsAsync(string column, string value, Comparison<GuardianBinding> order, CancellationToken cancellationToken)
    {
        var connection = await _database.OpenAsync(cancellationToken).ConfigureAwait(false);
        await using (connection.ConfigureAwait(false))
        {
            using var command = connection.CreateCommand();
            // column is one of two constants chosen by this class, never input.
            command.CommandText = $"SELECT subject_id, guardian_id, pin_salt, pin_hash, pin_iterations, bound_at FROM guardians WHERE {column} = $value;";
            command.Parameters.AddWithValue("$value", value);
            var bindings = new List<GuardianBinding>();
            var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
            await using (reader.ConfigureAwait(false))
            {
                while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
                {
                    bindings.Add(new GuardianBinding(
                        reader.GetString(0),
                        reader.GetString(1),
                        new PinHash(reader.GetFieldValue<byte[]>(2), reader.GetFieldValue<byte[]>(3), reader.GetInt32(4)),
                        ParseInstant(reader.GetString(5))));
                }
            }

            bindings.Sort(order);
            return bindings;
        }
    }
}
