using TeenMode.ParentalControl;
using TeenMode.Sqlite.Internal;
using static TeenMode.Sqlite.Internal.SqliteValues;

namespace TeenMode.Sqlite;

/// <summary>Guardian settings (versioned JSON, compare-and-set) in the shared SQLite file.</summary>
/// <param name="database">The SQLite file the app's stores share.</param>
public sealed class SqliteGuardianSettingsStore(SqliteDatabase database) : IGuardianSettingsStore
{
    private readonly SqliteDatabase _database = database ?? throw new ArgumentNullException(nameof(database));

    /// <inheritdoc />
    public async Task<GuardianSettings?> GetSettingsAsync(string subjectId, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(subjectId);
        var connection = await _database.OpenAsync(cancellationToken).ConfigureAwait(false);
        await using (connection.ConfigureAwait(false))
        {
            using var command = connection.CreateCommand();
            command.CommandText = "SELECT version, body, updated_at FROM guardian_settings WHERE subject_id = $subject;";
            command.Parameters.AddWithValue("$subject", subjectId);
            var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
            await using (reader.ConfigureAwait(false))
            {
                return await reader.ReadAsync(cancellationToken).ConfigureAwait(false)
                    ? GuardianSettings.FromJson(subjectId, reader.GetInt64(0), reader.IsDBNull(2) ? null : ParseInstant(reader.GetString(2)), reader.GetString(1))
                    : null;
            }
        }
    }

    /// <inheritdoc />
    public async Task<bool> TrySaveSettingsAsync(GuardianSettings settings, long expectedVersion, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(settings);
        if (settings.Version != expectedVersion + 1)
        {
            throw new ArgumentException($"The new version must be {expectedVersion + 1}.", nameof(settings));
        }

        var connection = await _database.OpenAsync(cancellationToken).ConfigureAwait(false);
        await using (connection.ConfigureAwait(false))
        {
            using var command = connection.CreateCommand();
            command.CommandText = expectedVersion == 0
                ? "INSERT INTO guardian_settings (subject_id, version, body, updated_at) VALUES ($subject, $version, $body, $updated) ON CONFLICT (subject_id) DO NOTHING;"
                : "UPDATE guardian_settings SET version = $version, body = $body, updated_at = $updated WHERE subject_id = $subject AND version = $expected;";
            command.Parameters.AddWithValue("$subject", settings.SubjectId);
            command.Parameters.AddWithValue("$version", settings.Version);
            command.Parameters.AddWithValue("$expected", expectedVersion);
            command.Parameters.AddWithValue("$body", settings.ToJson());
            command.Parameters.AddWithValue("$updated", settings.UpdatedAt is { } at ? FormatInstant(at) : DBNull.Value);
            return await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false) == 1;
        }
    }
}
