using Microsoft.Data.Sqlite;
using TeenMode.AntiAddiction;
using TeenMode.ParentalControl;

namespace TeenMode.Sqlite;

public sealed partial class SqliteTeenModeStore : IGuardianBindingCodeStore, IGuardianSettingsStore
{
    private const string SchemaGuardians = """
        CREATE TABLE IF NOT EXISTS guardian_binding_codes (
            subject_id TEXT NOT NULL,
            code_hash  BLOB NOT NULL,
            expires_at TEXT NOT NULL,
            PRIMARY KEY (subject_id, code_hash)
        ) WITHOUT ROWID;
        CREATE TABLE IF NOT EXISTS guardian_settings (
            subject_id TEXT    NOT NULL PRIMARY KEY,
            version    INTEGER NOT NULL,
            body       TEXT    NOT NULL,
            updated_at TEXT    NULL
        );
        CREATE TABLE IF NOT EXISTS usage_category_days (
            subject_id TEXT    NOT NULL,
            local_date TEXT    NOT NULL,
            category   TEXT    NOT NULL,
            seconds    INTEGER NOT NULL,
            PRIMARY KEY (subject_id, local_date, category)
        ) WITHOUT ROWID;
        CREATE INDEX IF NOT EXISTS guardians_by_guardian ON guardians (guardian_id, subject_id);
        """;

    /// <inheritdoc />
    public async Task<(bool Counted, UsageDay Day)> AppendAsync(UsageAppend append, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(append);
        var connection = await OpenAsync(cancellationToken).ConfigureAwait(false);
        await using (connection.ConfigureAwait(false))
        {
            // IMMEDIATE takes the write lock up front: a deferred transaction that reads and then writes
            // can fail with SQLITE_BUSY_SNAPSHOT under WAL instead of waiting for the other writer.
            using var transaction = connection.BeginTransaction(deferred: false);
            bool counted;
            using (var mark = connection.CreateCommand())
            {
                mark.Transaction = transaction;
                mark.CommandText = "INSERT INTO usage_heartbeats (subject_id, device_id, sequence) VALUES ($subject, $device, $sequence) ON CONFLICT DO NOTHING;";
                mark.Parameters.AddWithValue("$subject", append.SubjectId);
                mark.Parameters.AddWithValue("$device", append.DeviceId);
                mark.Parameters.AddWithValue("$sequence", append.Sequence);
                counted = await mark.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false) == 1;
            }

            if (counted)
            {
                using (var byCategory = connection.CreateCommand())
                {
                    byCategory.Transaction = transaction;
                    byCategory.CommandText = """
                        INSERT INTO usage_category_days (subject_id, local_date, category, seconds) VALUES ($subject, $date, $category, $seconds)
                        ON CONFLICT (subject_id, local_date, category) DO UPDATE SET seconds = seconds + excluded.seconds;
                        """;
                    byCategory.Parameters.AddWithValue("$subject", append.SubjectId);
                    byCategory.Parameters.AddWithValue("$date", FormatDate(append.LocalDate));
                    byCategory.Parameters.AddWithValue("$category", append.Category);
                    byCategory.Parameters.AddWithValue("$seconds", append.Seconds);
                    await byCategory.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
                }

                if (append.CountsTowardBudget)
                {
                    await AddToBudgetAsync(connection, transaction, append, cancellationToken).ConfigureAwait(false);
                }
            }

            var day = await ReadDayAsync(connection, transaction, append.SubjectId, append.LocalDate, cancellationToken).ConfigureAwait(false);

            // Once the work is done it is committed whatever the token says, so the result matches the disk.
            await transaction.CommitAsync(CancellationToken.None).ConfigureAwait(false);
            return (counted, day);
        }
    }

    /// <inheritdoc />
    public async Task<IReadOnlyDictionary<string, long>> GetCategorySecondsAsync(string subjectId, DateOnly localDate, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(subjectId);
        var connection = await OpenAsync(cancellationToken).ConfigureAwait(false);
        await using (connection.ConfigureAwait(false))
        {
            using var command = connection.CreateCommand();
            command.CommandText = "SELECT category, seconds FROM usage_category_days WHERE subject_id = $subject AND local_date = $date;";
            command.Parameters.AddWithValue("$subject", subjectId);
            command.Parameters.AddWithValue("$date", FormatDate(localDate));
            var result = new Dictionary<string, long>(StringComparer.Ordinal);
            var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
            await using (reader.ConfigureAwait(false))
            {
                while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
                {
                    result[reader.GetString(0)] = reader.GetInt64(1);
                }
            }

            return result;
        }
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
        var connection = await OpenAsync(cancellationToken).ConfigureAwait(false);
        await using (connection.ConfigureAwait(false))
        {
            using var command = connection.CreateCommand();
            command.CommandText = "DELETE FROM guardians WHERE subject_id = $subject AND guardian_id = $guardian;";
            command.Parameters.AddWithValue("$subject", subjectId);
            command.Parameters.AddWithValue("$guardian", guardianId);
            return await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false) == 1;
        }
    }

    /// <inheritdoc />
    public async Task SaveBindingCodeAsync(string subjectId, byte[] codeHash, DateTimeOffset expiresAt, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(subjectId);
        ArgumentNullException.ThrowIfNull(codeHash);
        var connection = await OpenAsync(cancellationToken).ConfigureAwait(false);
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
        var connection = await OpenAsync(cancellationToken).ConfigureAwait(false);
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

    /// <inheritdoc />
    public async Task<GuardianSettings?> GetSettingsAsync(string subjectId, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(subjectId);
        var connection = await OpenAsync(cancellationToken).ConfigureAwait(false);
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

        var connection = await OpenAsync(cancellationToken).ConfigureAwait(false);
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

    private static async Task AddToBudgetAsync(SqliteConnection connection, SqliteTransaction transaction, UsageAppend append, CancellationToken cancellationToken)
    {
        using (var add = connection.CreateCommand())
        {
            add.Transaction = transaction;
            add.CommandText = """
                INSERT INTO usage_days (subject_id, local_date, seconds) VALUES ($subject, $date, $seconds)
                ON CONFLICT (subject_id, local_date) DO UPDATE SET seconds = seconds + excluded.seconds;
                """;
            add.Parameters.AddWithValue("$subject", append.SubjectId);
            add.Parameters.AddWithValue("$date", FormatDate(append.LocalDate));
            add.Parameters.AddWithValue("$seconds", append.Seconds);
            await add.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }

        var previous = await ReadDayAsync(connection, transaction, append.SubjectId, append.LocalDate, cancellationToken).ConfigureAwait(false);
        var continuous = ContinuousUse.After(previous.ContinuousSeconds, previous.LastHeartbeatAt, append.At, append.Seconds, append.BreakAfter);
        using var continuity = connection.CreateCommand();
        continuity.Transaction = transaction;
        continuity.CommandText = """
            INSERT INTO usage_continuity (subject_id, continuous_seconds, last_at) VALUES ($subject, $continuous, $at)
            ON CONFLICT (subject_id) DO UPDATE SET continuous_seconds = excluded.continuous_seconds, last_at = excluded.last_at;
            """;
        continuity.Parameters.AddWithValue("$subject", append.SubjectId);
        continuity.Parameters.AddWithValue("$continuous", continuous);
        continuity.Parameters.AddWithValue("$at", FormatInstant(append.At));
        await continuity.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
    }
}
