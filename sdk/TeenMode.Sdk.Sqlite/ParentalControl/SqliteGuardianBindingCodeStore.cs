using Microsoft.Data.Sqlite;
using TeenMode.ParentalControl;
using TeenMode.Sqlite.Internal;
using static TeenMode.Sqlite.Internal.SqliteValues;

namespace TeenMode.Sqlite;

/// <summary>One-time guardian binding codes (hashes) in the shared SQLite file.</summary>
/// <param name="database">The SQLite file the app's stores share.</param>
public sealed class SqliteGuardianBindingCodeStore(SqliteDatabase database) : IGuardianBindingCodeStore
{
    private readonly SqliteDatabase _database = database ?? throw new ArgumentNullException(nameof(database));

    /// <inheritdoc />
    public async Task SaveBindingCodeAsync(string subjectId, byte[] codeHash, DateTimeOffset expiresAt, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(subjectId);
        ArgumentNullException.ThrowIfNull(codeHash);
        var connection = await _database.OpenAsync(cancellationToken).ConfigureAwait(false);
        await using (connection.ConfigureAwait(false))
        {
            using var command = connection.CreateCommand();
            command.CommandText = """
                INSERT INTO guardian_binding_codes (subject_id, code_hash, expires_at) VALUES ($subject, $hash, $expires)
                ON CONFLICT (subject_id, code_hash) DO UPDATE SET expires_at = excluded.expires_at;
                """;
            command.Parameters.AddWithValue("$subject", subjectId);
            command.Parameters.Add("$hash", SqliteType.Blob).Value = codeHash;
            command.Parameters.AddWithValue("$expires", FormatInstant(expiresAt));
            await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }
    }

    /// <inheritdoc />
    public async Task<bool> TryConsumeBindingCodeAsync(string subjectId, byte[] codeHash, DateTimeOffset now, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(subjectId);
        ArgumentNullException.ThrowIfNull(codeHash);
        var connection = await _database.OpenAsync(cancellationToken).ConfigureAwait(false);
        await using (connection.ConfigureAwait(false))
        {
            // One DELETE … RETURNING: of two devices redeeming the same code at once, only one gets the row.
            using var command = connection.CreateCommand();
            command.CommandText = "DELETE FROM guardian_binding_codes WHERE subject_id = $subject AND code_hash = $hash RETURNING expires_at;";
            command.Parameters.AddWithValue("$subject", subjectId);
            command.Parameters.Add("$hash", SqliteType.Blob).Value = codeHash;
            var expires = await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false) as string;
            return expires is not null && now < ParseInstant(expires);
        }
    }
}
