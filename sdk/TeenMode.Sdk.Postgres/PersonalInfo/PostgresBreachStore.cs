using Newtonsoft.Json;
using Npgsql;
using TeenMode.PersonalInfo;
using TeenMode.Postgres.Internal;

namespace TeenMode.Postgres.PersonalInfo;

/// <summary>Personal-data breach incidents and their notices in PostgreSQL.</summary>
public sealed class PostgresBreachStore(PostgresDatabase database) : IBreachStore
{
    private const string IncidentColumns = "id, facts, declared_by, declared_at, declared_at_tick, status, notified_at, notified_at_tick, reported_at, reported_at_tick";

    private const string NoticeColumns =
        "id, incident_id, subject_id, recipient_kind, recipient_id, text_zh, text_en, created_at, created_at_tick, attempts, sent_at, sent_at_tick, last_error";

    /// <inheritdoc />
    public Task<bool> AddIncidentAsync(BreachIncident incident, IReadOnlyList<BreachNotice> notices, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(incident);
        ArgumentNullException.ThrowIfNull(notices);

        // The incident and its notices commit together: a declared incident never lacks a guardian notice.
        return database.InTransactionAsync(async (session, ct) =>
        {
            var added = await session.ExecuteAsync($"""
                INSERT INTO breach_incidents ({IncidentColumns}) VALUES (@id, @facts, @by, @at, @at_tick, @status, NULL, NULL, NULL, NULL)
                ON CONFLICT (id) DO NOTHING;
                """,
                c => c.Text("id", incident.Id).Text("facts", JsonConvert.SerializeObject(incident.Facts)).Text("by", incident.DeclaredBy)
                    .Instant("at", incident.DeclaredAt).Text("status", incident.Status.ToString()), ct).ConfigureAwait(false) == 1;
            if (!added)
            {
                return false;
            }

            foreach (var notice in notices)
            {
                await session.ExecuteAsync($"""
                    INSERT INTO breach_notices ({NoticeColumns})
                    VALUES (@id, @incident, @subject, @kind, @recipient, @zh, @en, @created, @created_tick, @attempts, @sent, @sent_tick, @error);
                    """,
                    c => c.Text("id", notice.Id).Text("incident", notice.IncidentId).Text("subject", notice.SubjectId).Text("kind", notice.RecipientKind)
                        .Text("recipient", notice.RecipientId).Text("zh", notice.Text.ZhCn).Text("en", notice.Text.En).Instant("created", notice.CreatedAt)
                        .Int("attempts", notice.Attempts).Instant("sent", notice.SentAt).Text("error", notice.LastError), ct).ConfigureAwait(false);
            }

            return true;
        }, cancellationToken);
    }

    /// <inheritdoc />
    public async Task<BreachIncident?> GetIncidentAsync(string incidentId, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(incidentId);
        var rows = await database.QueryAsync($"SELECT {IncidentColumns} FROM breach_incidents WHERE id = @id;", c => c.Text("id", incidentId),
            r => new BreachIncident(r.GetString(0), JsonConvert.DeserializeObject<BreachDeclaration>(r.GetString(1))!, r.GetString(2), r.GetInstant(3),
                Enum.Parse<BreachStatus>(r.GetString(5)), r.GetInstantOrNull(6), r.GetInstantOrNull(8)), cancellationToken).ConfigureAwait(false);
        return rows.Count == 0 ? null : rows[0];
    }

    /// <inheritdoc />
    public async Task<IReadOnlyList<BreachNotice>> ListNoticesAsync(string incidentId, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(incidentId);
        return await database.QueryAsync($"SELECT {NoticeColumns} FROM breach_notices WHERE incident_id = @key ORDER BY seq;", c => c.Text("key", incidentId), ReadNotice, cancellationToken)
            .ConfigureAwait(false);
    }

    /// <inheritdoc />
    public async Task<IReadOnlyList<BreachNotice>> ListNoticesForSubjectAsync(string subjectId, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(subjectId);
        return await database.QueryAsync($"SELECT {NoticeColumns} FROM breach_notices WHERE subject_id = @key ORDER BY seq DESC;", c => c.Text("key", subjectId), ReadNotice, cancellationToken)
            .ConfigureAwait(false);
    }

    /// <inheritdoc />
    public async Task MarkNoticeAsync(string noticeId, int attempts, DateTimeOffset? sentAt, string? lastError, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(noticeId);

        // A sent notice stays sent: a late failure report changes nothing.
        await database.ExecuteAsync("""
            UPDATE breach_notices SET attempts = @attempts, sent_at = @sent, sent_at_tick = @sent_tick, last_error = @error
            WHERE id = @id AND sent_at IS NULL;
            """,
            c => c.Text("id", noticeId).Int("attempts", attempts).Instant("sent", sentAt).Text("error", sentAt is null ? lastError : null), cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc />
    public async Task<bool> TransitionIncidentAsync(string incidentId, BreachStatus fromStatus, BreachStatus toStatus, DateTimeOffset at, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(incidentId);
        var sql = toStatus switch
        {
            BreachStatus.Notified => "UPDATE breach_incidents SET status = @to, notified_at = @at, notified_at_tick = @at_tick WHERE id = @id AND status = @from;",
            BreachStatus.Reported => "UPDATE breach_incidents SET status = @to, reported_at = @at, reported_at_tick = @at_tick WHERE id = @id AND status = @from;",
            _ => throw new ArgumentOutOfRangeException(nameof(toStatus), toStatus, "An incident only moves to notified or reported."),
        };
        return await database.ExecuteAsync(sql, c => c.Text("id", incidentId).Text("from", fromStatus.ToString()).Text("to", toStatus.ToString()).Instant("at", at),
            cancellationToken).ConfigureAwait(false) == 1;
    }

    private static BreachNotice ReadNotice(NpgsqlDataReader r) => new(
        r.GetString(0), r.GetString(1), r.GetString(2), r.GetString(3), r.GetString(4), new LocalizedText(r.GetString(5), r.GetString(6)),
        r.GetInstant(7), r.GetInt32(9), r.GetInstantOrNull(10), r.GetStringOrNull(12));
}
