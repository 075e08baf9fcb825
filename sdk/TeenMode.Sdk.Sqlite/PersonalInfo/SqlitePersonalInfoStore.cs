using Microsoft.Data.Sqlite;
using TeenMode.PersonalInfo;
using TeenMode.Sqlite.Internal;
using static TeenMode.Sqlite.Internal.SqliteValues;

namespace TeenMode.Sqlite;

/// <summary>Personal information in the shared SQLite file: consents (append-only), collected values (ciphertext for sensitive ones) and data-subject requests.</summary>
/// <param name="database">The SQLite file the app's stores share.</param>
public sealed class SqlitePersonalInfoStore(SqliteDatabase database) : IPersonalInfoStore
{
    private readonly SqliteDatabase _database = database ?? throw new ArgumentNullException(nameof(database));

    private const string ValueColumns = "subject_id, field, purpose, category, key_id, payload, collected_at, expires_at";

    /// <inheritdoc />
    public async Task AddConsentAsync(ConsentRecord record, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(record);
        await ExecuteAsync("""
            INSERT INTO pi_consents (id, subject_id, guardian_id, decision, purposes, notice_hash, at, seq)
            VALUES ($id, $subject, $guardian, $decision, $purposes, $notice, $at, (SELECT COALESCE(MAX(seq), 0) + 1 FROM pi_consents));
            """, c =>
        {
            c.Parameters.AddWithValue("$id", record.Id);
            c.Parameters.AddWithValue("$subject", record.SubjectId);
            c.Parameters.AddWithValue("$guardian", record.GuardianId);
            c.Parameters.AddWithValue("$decision", record.Decision.ToString());
            c.Parameters.AddWithValue("$purposes", string.Join('\n', record.Purposes));
            c.Parameters.AddWithValue("$notice", record.NoticeHash);
            c.Parameters.AddWithValue("$at", FormatInstant(record.At));
        }, cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc />
    public async Task<IReadOnlyList<ConsentRecord>> GetConsentsAsync(string subjectId, CancellationToken cancellationToken = default) =>
        await QueryAsync("SELECT id, subject_id, guardian_id, decision, purposes, notice_hash, at FROM pi_consents WHERE subject_id = $subject ORDER BY seq;",
            c => c.Parameters.AddWithValue("$subject", subjectId),
            r => new ConsentRecord(r.GetString(0), r.GetString(1), r.GetString(2), Enum.Parse<ConsentDecision>(r.GetString(3)),
                r.GetString(4).Split('\n'), r.GetString(5), ParseInstant(r.GetString(6))), cancellationToken).ConfigureAwait(false);

    /// <inheritdoc />
    public async Task UpsertValueAsync(PersonalDataRecord record, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(record);
        await ExecuteAsync($"""
            INSERT INTO pi_values ({ValueColumns}) VALUES ($subject, $field, $purpose, $category, $key, $payload, $collected, $expires)
            ON CONFLICT (subject_id, field, purpose) DO UPDATE SET category = excluded.category, key_id = excluded.key_id, payload = excluded.payload,
                collected_at = excluded.collected_at, expires_at = excluded.expires_at;
            """, c =>
        {
            c.Parameters.AddWithValue("$subject", record.SubjectId);
            c.Parameters.AddWithValue("$field", record.Field);
            c.Parameters.AddWithValue("$purpose", record.Purpose);
            c.Parameters.AddWithValue("$category", record.Category.ToString());
            c.Parameters.AddWithValue("$key", (object?)record.KeyId ?? DBNull.Value);
            c.Parameters.AddWithValue("$payload", record.Payload.ToArray());
            c.Parameters.AddWithValue("$collected", FormatInstant(record.CollectedAt));
            c.Parameters.AddWithValue("$expires", FormatInstant(record.ExpiresAt));
        }, cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc />
    public async Task<IReadOnlyList<PersonalDataRecord>> GetValuesAsync(string subjectId, CancellationToken cancellationToken = default) =>
        await QueryAsync($"SELECT {ValueColumns} FROM pi_values WHERE subject_id = $subject ORDER BY field, purpose;",
            c => c.Parameters.AddWithValue("$subject", subjectId), ReadValue, cancellationToken).ConfigureAwait(false);

    /// <inheritdoc />
    public async Task<IReadOnlyList<PersonalDataRecord>> DeleteValuesAsync(string subjectId, IReadOnlyCollection<string>? purposes = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(subjectId);

        // RETURNING makes "what was deleted" exact even with a concurrent writer.
        var deleted = await QueryAsync($"DELETE FROM pi_values WHERE subject_id = $subject AND ($all = 1 OR purpose IN (SELECT value FROM json_each($purposes))) RETURNING {ValueColumns};",
            c =>
            {
                c.Parameters.AddWithValue("$subject", subjectId);
                c.Parameters.AddWithValue("$all", purposes is null ? 1 : 0);
                c.Parameters.AddWithValue("$purposes", Newtonsoft.Json.JsonConvert.SerializeObject(purposes ?? []));
            }, ReadValue, cancellationToken).ConfigureAwait(false);
        return Sorted(deleted);
    }

    /// <inheritdoc />
    public async Task<IReadOnlyList<PersonalDataRecord>> DeleteExpiredValuesAsync(DateTimeOffset now, CancellationToken cancellationToken = default)
    {
        var deleted = await QueryAsync($"DELETE FROM pi_values WHERE expires_at <= $now RETURNING {ValueColumns};",
            c => c.Parameters.AddWithValue("$now", FormatInstant(now)), ReadValue, cancellationToken).ConfigureAwait(false);
        return Sorted(deleted);
    }

    /// <inheritdoc />
    public async Task SaveRequestAsync(DataSubjectRequestRecord request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        await ExecuteAsync("""
            INSERT INTO pi_requests (id, subject_id, kind, requester_id, received_at, due_at, status, completed_at, refusal_zh, refusal_en, field, purpose)
            VALUES ($id, $subject, $kind, $requester, $received, $due, $status, $completed, $zh, $en, $field, $purpose)
            ON CONFLICT (id) DO UPDATE SET status = excluded.status, completed_at = excluded.completed_at,
                refusal_zh = excluded.refusal_zh, refusal_en = excluded.refusal_en;
            """, c =>
        {
            c.Parameters.AddWithValue("$id", request.Id);
            c.Parameters.AddWithValue("$subject", request.SubjectId);
            c.Parameters.AddWithValue("$kind", request.Kind.ToString());
            c.Parameters.AddWithValue("$requester", request.RequesterId);
            c.Parameters.AddWithValue("$received", FormatInstant(request.ReceivedAt));
            c.Parameters.AddWithValue("$due", FormatInstant(request.DueAt));
            c.Parameters.AddWithValue("$status", request.Status.ToString());
            c.Parameters.AddWithValue("$completed", request.CompletedAt is { } done ? FormatInstant(done) : DBNull.Value);
            c.Parameters.AddWithValue("$zh", (object?)request.RefusalReason?.ZhCn ?? DBNull.Value);
            c.Parameters.AddWithValue("$en", (object?)request.RefusalReason?.En ?? DBNull.Value);
            c.Parameters.AddWithValue("$field", (object?)request.Field ?? DBNull.Value);
            c.Parameters.AddWithValue("$purpose", (object?)request.Purpose ?? DBNull.Value);
        }, cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc />
    public async Task<DataSubjectRequestRecord?> GetRequestAsync(string requestId, CancellationToken cancellationToken = default)
    {
        var rows = await QueryAsync("""
            SELECT id, subject_id, kind, requester_id, received_at, due_at, status, completed_at, refusal_zh, refusal_en, field, purpose
            FROM pi_requests WHERE id = $id;
            """, c => c.Parameters.AddWithValue("$id", requestId),
            r => new DataSubjectRequestRecord(r.GetString(0), r.GetString(1), Enum.Parse<DataSubjectRequestKind>(r.GetString(2)), r.GetString(3),
                ParseInstant(r.GetString(4)), ParseInstant(r.GetString(5)), Enum.Parse<DataSubjectRequestStatus>(r.GetString(6)),
                r.IsDBNull(7) ? null : ParseInstant(r.GetString(7)),
                r.IsDBNull(8) ? null : new LocalizedText(r.GetString(8), r.GetString(9)),
                r.IsDBNull(10) ? null : r.GetString(10), r.IsDBNull(11) ? null : r.GetString(11)), cancellationToken).ConfigureAwait(false);
        return rows.Count == 0 ? null : rows[0];
    }

    private static PersonalDataRecord ReadValue(SqliteDataReader r) =>
        new(r.GetString(0), r.GetString(1), r.GetString(2), Enum.Parse<PersonalDataCategory>(r.GetString(3)), r.IsDBNull(4) ? null : r.GetString(4),
            r.GetFieldValue<byte[]>(5), ParseInstant(r.GetString(6)), ParseInstant(r.GetString(7)));

    private static List<PersonalDataRecord> Sorted(IEnumerable<PersonalDataRecord> records) =>
        [.. records.OrderBy(v => v.SubjectId, StringComparer.Ordinal).ThenBy(v => v.Field, StringComparer.Ordinal).ThenBy(v => v.Purpose, StringComparer.Ordinal)];

    private async Task ExecuteAsync(string sql, Action<SqliteCommand> bind, CancellationToken cancellationToken)
    {
        var connection = await _database.OpenAsync(cancellationToken).ConfigureAwait(false);
        await using (connection.ConfigureAwait(false))
        {
            using var command = connection.CreateCommand();
            command.CommandText = sql;
            bind(command);
            await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }
    }

    private async Task<IReadOnlyList<T>> QueryAsync<T>(string sql, Action<SqliteCommand> bind, Func<SqliteDataReader, T> read, CancellationToken cancellationToken)
    {
        var connection = await _database.OpenAsync(cancellationToken).ConfigureAwait(false);
        await using (connection.ConfigureAwait(false))
        {
            using var command = connection.CreateCommand();
            command.CommandText = sql;
            bind(command);
            var rows = new List<T>();
            var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
            await using (reader.ConfigureAwait(false))
            {
                while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
                {
                    rows.Add(read(reader));
                }
            }

            return rows;
        }
    }
}
