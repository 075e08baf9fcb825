using Npgsql;
using TeenMode.PersonalInfo;
using TeenMode.Postgres.Internal;

namespace TeenMode.Postgres.PersonalInfo;

/// <summary>
/// Personal information in PostgreSQL: consents (append-only), collected values (ciphertext for sensitive ones, sealed
/// by the core before they get here) and data-subject requests.
/// </summary>
public sealed class PostgresPersonalInfoStore(PostgresDatabase database) : IPersonalInfoStore
{
    private const string ValueColumns = "subject_id, field, purpose, category, key_id, payload, collected_at, collected_at_tick, expires_at, expires_at_tick";

    private const string RequestColumns =
        "id, subject_id, kind, requester_id, received_at, received_at_tick, due_at, due_at_tick, status, completed_at, completed_at_tick, refusal_zh, refusal_en, field, purpose";

    /// <inheritdoc />
    public async Task AddConsentAsync(ConsentRecord record, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(record);

        // seq is an identity column: the order consents were added in, also across instances.
        await database.ExecuteAsync("""
            INSERT INTO pi_consents (id, subject_id, guardian_id, decision, purposes, notice_hash, at, at_tick)
            VALUES (@id, @subject, @guardian, @decision, @purposes, @notice, @at, @at_tick);
            """,
            c => c.Text("id", record.Id).Text("subject", record.SubjectId).Text("guardian", record.GuardianId).Text("decision", record.Decision.ToString())
                .TextArray("purposes", [.. record.Purposes]).Text("notice", record.NoticeHash).Instant("at", record.At),
            cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc />
    public async Task<IReadOnlyList<ConsentRecord>> GetConsentsAsync(string subjectId, CancellationToken cancellationToken = default) =>
        await database.QueryAsync("SELECT id, subject_id, guardian_id, decision, purposes, notice_hash, at, at_tick FROM pi_consents WHERE subject_id = @subject ORDER BY seq;",
            c => c.Text("subject", subjectId),
            r => new ConsentRecord(r.GetString(0), r.GetString(1), r.GetString(2), Enum.Parse<ConsentDecision>(r.GetString(3)),
                r.GetFieldValue<string[]>(4), r.GetString(5), r.GetInstant(6)), cancellationToken).ConfigureAwait(false);

    /// <inheritdoc />
    public async Task UpsertValueAsync(PersonalDataRecord record, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(record);
        await database.ExecuteAsync($"""
            INSERT INTO pi_values ({ValueColumns}) VALUES (@subject, @field, @purpose, @category, @key, @payload, @collected, @collected_tick, @expires, @expires_tick)
            ON CONFLICT (subject_id, field, purpose) DO UPDATE SET category = excluded.category, key_id = excluded.key_id, payload = excluded.payload,
                collected_at = excluded.collected_at, collected_at_tick = excluded.collected_at_tick,
                expires_at = excluded.expires_at, expires_at_tick = excluded.expires_at_tick;
            """,
            c => c.Text("subject", record.SubjectId).Text("field", record.Field).Text("purpose", record.Purpose).Text("category", record.Category.ToString())
                .Text("key", record.KeyId).Bytes("payload", record.Payload.ToArray()).Instant("collected", record.CollectedAt).Instant("expires", record.ExpiresAt),
            cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc />
    public async Task<IReadOnlyList<PersonalDataRecord>> GetValuesAsync(string subjectId, CancellationToken cancellationToken = default) =>
        await database.QueryAsync($"SELECT {ValueColumns} FROM pi_values WHERE subject_id = @subject ORDER BY field COLLATE \"C\", purpose COLLATE \"C\";",
            c => c.Text("subject", subjectId), ReadValue, cancellationToken).ConfigureAwait(false);

    /// <inheritdoc />
    public async Task<IReadOnlyList<PersonalDataRecord>> DeleteValuesAsync(string subjectId, IReadOnlyCollection<string>? purposes = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(subjectId);

        // RETURNING makes "what was deleted" exact even with a concurrent writer.
        var deleted = await database.QueryAsync($"""
            DELETE FROM pi_values WHERE subject_id = @subject AND (@purposes::text[] IS NULL OR purpose = ANY(@purposes)) RETURNING {ValueColumns};
            """,
            c => c.Text("subject", subjectId).TextArray("purposes", purposes is null ? null : [.. purposes]), ReadValue, cancellationToken).ConfigureAwait(false);
        return Sorted(deleted);
    }

    /// <inheritdoc />
    public async Task<IReadOnlyList<PersonalDataRecord>> DeleteExpiredValuesAsync(DateTimeOffset now, CancellationToken cancellationToken = default)
    {
        var deleted = await database.QueryAsync($"DELETE FROM pi_values WHERE (expires_at, expires_at_tick) <= (@now, @now_tick) RETURNING {ValueColumns};",
            c => c.Instant("now", now), ReadValue, cancellationToken).ConfigureAwait(false);
        return Sorted(deleted);
    }

    /// <inheritdoc />
    public async Task SaveRequestAsync(DataSubjectRequestRecord request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        await database.ExecuteAsync($"""
            INSERT INTO pi_requests ({RequestColumns})
            VALUES (@id, @subject, @kind, @requester, @received, @received_tick, @due, @due_tick, @status, @completed, @completed_tick, @zh, @en, @field, @purpose)
            ON CONFLICT (subject_id, id) DO UPDATE SET status = excluded.status, completed_at = excluded.completed_at, completed_at_tick = excluded.completed_at_tick,
                refusal_zh = excluded.refusal_zh, refusal_en = excluded.refusal_en;
            """,
            c => c.Text("id", request.Id).Text("subject", request.SubjectId).Text("kind", request.Kind.ToString()).Text("requester", request.RequesterId)
                .Instant("received", request.ReceivedAt).Instant("due", request.DueAt).Text("status", request.Status.ToString()).Instant("completed", request.CompletedAt)
                .Text("zh", request.RefusalReason?.ZhCn).Text("en", request.RefusalReason?.En).Text("field", request.Field).Text("purpose", request.Purpose),
            cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc />
    public async Task<DataSubjectRequestRecord?> GetRequestAsync(string requestId, CancellationToken cancellationToken = default)
    {
        var rows = await database.QueryAsync($"SELECT {RequestColumns} FROM pi_requests WHERE id = @id;", c => c.Text("id", requestId),
            r => new DataSubjectRequestRecord(r.GetString(0), r.GetString(1), Enum.Parse<DataSubjectRequestKind>(r.GetString(2)), r.GetString(3),
                r.GetInstant(4), r.GetInstant(6), Enum.Parse<DataSubjectRequestStatus>(r.GetString(8)), r.GetInstantOrNull(9),
                r.IsDBNull(11) ? null : new LocalizedText(r.GetString(11), r.GetString(12)),
                r.GetStringOrNull(13), r.GetStringOrNull(14)), cancellationToken).ConfigureAwait(false);
        return rows.Count == 0 ? null : rows[0];
    }

    private static PersonalDataRecord ReadValue(NpgsqlDataReader r) =>
        new(r.GetString(0), r.GetString(1), r.GetString(2), Enum.Parse<PersonalDataCategory>(r.GetString(3)), r.GetStringOrNull(4),
            r.GetFieldValue<byte[]>(5), r.GetInstant(6), r.GetInstant(8));

    private static List<PersonalDataRecord> Sorted(IEnumerable<PersonalDataRecord> records) =>
        [.. records.OrderBy(v => v.SubjectId, StringComparer.Ordinal).ThenBy(v => v.Field, StringComparer.Ordinal).ThenBy(v => v.Purpose, StringComparer.Ordinal)];
}
