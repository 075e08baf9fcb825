using Newtonsoft.Json;
using Npgsql;
using TeenMode.Audit;
using TeenMode.Postgres.Internal;

namespace TeenMode.Postgres.Audit;

/// <summary>
/// The append-only, hash-chained audit log in PostgreSQL. Appends from many app instances still form one chain: an
/// entry is accepted only as the next sequence number after the tail, the primary key refuses a taken number, and the
/// core's <see cref="AuditLog"/> re-reads the tail and retries when it lost the race.
/// </summary>
public sealed class PostgresAuditStore(PostgresDatabase database) : IAuditStore
{
    private const string Columns = "seq, at, at_tick, actor, action, subject_id, target, details, prev_hash, hash";

    /// <inheritdoc />
    public async Task<bool> TryAppendAsync(AuditEntry entry, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(entry);

        // Gap-free: only the number after the current tail is accepted. Two writers racing for it both pass the WHERE;
        // the second waits on the primary key for the first and then inserts nothing (false: the core retries).
        return await database.ExecuteAsync($"""
            INSERT INTO audit_log ({Columns})
            SELECT @seq, @at, @at_tick, @actor, @action, @subject, @target, @details, @prev, @hash
            WHERE @seq = COALESCE((SELECT MAX(seq) FROM audit_log), 0) + 1
            ON CONFLICT (seq) DO NOTHING;
            """,
            c => c.Long("seq", entry.Sequence).Instant("at", entry.At).Text("actor", entry.Event.Actor).Text("action", entry.Event.Action)
                .Text("subject", entry.Event.SubjectId).Text("target", entry.Event.Target)
                .Text("details", entry.Event.Details is { Count: > 0 } d ? JsonConvert.SerializeObject(d) : null)
                .Text("prev", entry.PreviousHash).Text("hash", entry.Hash),
            cancellationToken).ConfigureAwait(false) == 1;
    }

    /// <inheritdoc />
    public async Task<AuditEntry?> GetLastAsync(CancellationToken cancellationToken = default)
    {
        var rows = await database.QueryAsync($"SELECT {Columns} FROM audit_log ORDER BY seq DESC LIMIT 1;", null, Read, cancellationToken).ConfigureAwait(false);
        return rows.Count == 0 ? null : rows[0];
    }

    /// <inheritdoc />
    public async Task<IReadOnlyList<AuditEntry>> ReadAsync(long afterSequence, int limit, string? subjectId = null, CancellationToken cancellationToken = default) =>
        await database.QueryAsync($"""
            SELECT {Columns} FROM audit_log
            WHERE seq > @after AND (@subject::text IS NULL OR subject_id = @subject)
            ORDER BY seq LIMIT @limit;
            """,
            c => c.Long("after", afterSequence).Text("subject", subjectId).Int("limit", limit), Read, cancellationToken).ConfigureAwait(false);

    private static AuditEntry Read(NpgsqlDataReader r)
    {
        var details = r.IsDBNull(7) ? null : JsonConvert.DeserializeObject<Dictionary<string, string>>(r.GetString(7));
        var auditEvent = new AuditEvent(r.GetString(3), r.GetString(4), r.GetStringOrNull(5), r.GetStringOrNull(6),
            details is null ? null : new SortedDictionary<string, string>(details, StringComparer.Ordinal));
        return new AuditEntry(r.GetInt64(0), r.GetInstant(1), auditEvent, r.GetString(8), r.GetString(9));
    }
}
