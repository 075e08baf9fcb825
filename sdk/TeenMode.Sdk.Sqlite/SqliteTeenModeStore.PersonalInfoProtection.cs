using Microsoft.Data.Sqlite;
using Newtonsoft.Json;
using TeenMode.PersonalInfo;

namespace TeenMode.Sqlite;

public sealed partial class SqliteTeenModeStore : IStaffAccessStore, IBreachStore
{
    private const string SchemaPiProtection = """
        CREATE TABLE IF NOT EXISTS staff_access_grants (
            id            TEXT NOT NULL PRIMARY KEY,
            staff_id      TEXT NOT NULL,
            subject_id    TEXT NOT NULL,
            purpose       TEXT NOT NULL,
            justification TEXT NOT NULL,
            status        TEXT NOT NULL,
            requested_at  TEXT NOT NULL,
            approver_id   TEXT NULL,
            decided_at    TEXT NULL,
            expires_at    TEXT NULL
        );
        CREATE INDEX IF NOT EXISTS staff_access_by_staff_subject ON staff_access_grants (staff_id, subject_id);
        CREATE TABLE IF NOT EXISTS breach_incidents (
            id          TEXT NOT NULL PRIMARY KEY,
            facts       TEXT NOT NULL,
            declared_by TEXT NOT NULL,
            declared_at TEXT NOT NULL,
            status      TEXT NOT NULL,
            notified_at TEXT NULL,
            reported_at TEXT NULL
        );
        CREATE TABLE IF NOT EXISTS breach_notices (
            seq            INTEGER PRIMARY KEY AUTOINCREMENT,
            id             TEXT NOT NULL UNIQUE,
            incident_id    TEXT NOT NULL,
            subject_id     TEXT NOT NULL,
            recipient_kind TEXT NOT NULL,
            recipient_id   TEXT NOT NULL,
            text_zh        TEXT NOT NULL,
            text_en        TEXT NOT NULL,
            created_at     TEXT NOT NULL,
            attempts       INTEGER NOT NULL,
            sent_at        TEXT NULL,
            last_error     TEXT NULL
        );
        CREATE INDEX IF NOT EXISTS breach_notices_by_incident ON breach_notices (incident_id);
        CREATE INDEX IF NOT EXISTS breach_notices_by_subject ON breach_notices (subject_id);
        """;

    private const string GrantColumns = "id, staff_id, subject_id, purpose, justification, status, requested_at, approver_id, decided_at, expires_at";
    private const string IncidentColumns = "id, facts, declared_by, declared_at, status, notified_at, reported_at";
    private const string BreachNoticeColumns = "id, incident_id, subject_id, recipient_kind, recipient_id, text_zh, text_en, created_at, attempts, sent_at, last_error";

    /// <inheritdoc />
    public async Task<bool> AddGrantAsync(StaffAccessGrant grant, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(grant);
        var connection = await OpenAsync(cancellationToken).ConfigureAwait(false);
        await using (connection.ConfigureAwait(false))
        {
            using var command = connection.CreateCommand();
            command.CommandText = $"INSERT INTO staff_access_grants ({GrantColumns}) VALUES ($id, $staff, $subject, $purpose, $why, $status, $requested, $approver, $decided, $expires) ON CONFLICT (id) DO NOTHING;";
            BindGrant(command, grant);
            return await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false) == 1;
        }
    }

    /// <inheritdoc />
    public async Task<StaffAccessGrant?> GetGrantAsync(string grantId, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(grantId);
        var list = await QueryGrantsAsync($"SELECT {GrantColumns} FROM staff_access_grants WHERE id = $id;", c => c.Parameters.AddWithValue("$id", grantId), cancellationToken).ConfigureAwait(false);
        return list.Count == 0 ? null : list[0];
    }

    /// <inheritdoc />
    public async Task<bool> DecideGrantAsync(StaffAccessGrant decided, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(decided);
        var connection = await OpenAsync(cancellationToken).ConfigureAwait(false);
        await using (connection.ConfigureAwait(false))
        {
            // Compare-and-set on the pending status: two approvers deciding at once cannot both win.
            using var command = connection.CreateCommand();
            command.CommandText = """
                UPDATE staff_access_grants SET status = $status, approver_id = $approver, decided_at = $decided, expires_at = $expires
                WHERE id = $id AND status = 'Pending';
                """;
            BindGrant(command, decided);
            return await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false) == 1;
        }
    }

    /// <inheritdoc />
    public Task<IReadOnlyList<StaffAccessGrant>> ListGrantsAsync(string staffId, string subjectId, CancellationToken cancellationToken = default) =>
        QueryGrantsAsync($"SELECT {GrantColumns} FROM staff_access_grants WHERE staff_id = $staff AND subject_id = $subject ORDER BY requested_at DESC, id;", c =>
        {
            c.Parameters.AddWithValue("$staff", staffId);
            c.Parameters.AddWithValue("$subject", subjectId);
        }, cancellationToken);

    /// <inheritdoc />
    public async Task<bool> AddIncidentAsync(BreachIncident incident, IReadOnlyList<BreachNotice> notices, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(incident);
        ArgumentNullException.ThrowIfNull(notices);
        var connection = await OpenAsync(cancellationToken).ConfigureAwait(false);
        await using (connection.ConfigureAwait(false))
        {
            // The incident and its notices commit together: a declared incident never lacks a guardian notice.
            using var transaction = connection.BeginTransaction(deferred: false);
            using (var command = connection.CreateCommand())
            {
                command.Transaction = transaction;
                command.CommandText = $"INSERT INTO breach_incidents ({IncidentColumns}) VALUES ($id, $facts, $by, $at, $status, NULL, NULL) ON CONFLICT (id) DO NOTHING;";
                command.Parameters.AddWithValue("$id", incident.Id);
                command.Parameters.AddWithValue("$facts", JsonConvert.SerializeObject(incident.Facts));
                command.Parameters.AddWithValue("$by", incident.DeclaredBy);
                command.Parameters.AddWithValue("$at", FormatInstant(incident.DeclaredAt));
                command.Parameters.AddWithValue("$status", incident.Status.ToString());
                if (await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false) != 1)
                {
                    return false;
                }
            }

            foreach (var notice in notices)
            {
                using var command = connection.CreateCommand();
                command.Transaction = transaction;
                command.CommandText = $"INSERT INTO breach_notices ({BreachNoticeColumns}) VALUES ($id, $incident, $subject, $kind, $recipient, $zh, $en, $created, $attempts, $sent, $error);";
                command.Parameters.AddWithValue("$id", notice.Id);
                command.Parameters.AddWithValue("$incident", notice.IncidentId);
                command.Parameters.AddWithValue("$subject", notice.SubjectId);
                command.Parameters.AddWithValue("$kind", notice.RecipientKind);
                command.Parameters.AddWithValue("$recipient", notice.RecipientId);
                command.Parameters.AddWithValue("$zh", notice.Text.ZhCn);
                command.Parameters.AddWithValue("$en", notice.Text.En);
                command.Parameters.AddWithValue("$created", FormatInstant(notice.CreatedAt));
                command.Parameters.AddWithValue("$attempts", notice.Attempts);
                command.Parameters.AddWithValue("$sent", notice.SentAt is { } s ? FormatInstant(s) : DBNull.Value);
                command.Parameters.AddWithValue("$error", (object?)notice.LastError ?? DBNull.Value);
                await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
            }

            await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
            return true;
        }
    }

    /// <inheritdoc />
    public async Task<BreachIncident?> GetIncidentAsync(string incidentId, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(incidentId);
        var connection = await OpenAsync(cancellationToken).ConfigureAwait(false);
        await using (connection.ConfigureAwait(false))
        {
            using var command = connection.CreateCommand();
            command.CommandText = $"SELECT {IncidentColumns} FROM breach_incidents WHERE id = $id;";
            command.Parameters.AddWithValue("$id", incidentId);
            var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
            await using (reader.ConfigureAwait(false))
            {
                if (!await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
                {
                    return null;
                }

                return new BreachIncident(
                    reader.GetString(0),
                    JsonConvert.DeserializeObject<BreachDeclaration>(reader.GetString(1))!,
                    reader.GetString(2),
                    ParseInstant(reader.GetString(3)),
                    Enum.Parse<BreachStatus>(reader.GetString(4)),
                    reader.IsDBNull(5) ? null : ParseInstant(reader.GetString(5)),
                    reader.IsDBNull(6) ? null : ParseInstant(reader.GetString(6)));
            }
        }
    }

    /// <inheritdoc />
    public Task<IReadOnlyList<BreachNotice>> ListNoticesAsync(string incidentId, CancellationToken cancellationToken = default) =>
        QueryNoticesAsync($"SELECT {BreachNoticeColumns} FROM breach_notices WHERE incident_id = $key ORDER BY seq;", incidentId, cancellationToken);

    /// <inheritdoc />
    public Task<IReadOnlyList<BreachNotice>> ListNoticesForSubjectAsync(string subjectId, CancellationToken cancellationToken = default) =>
        QueryNoticesAsync($"SELECT {BreachNoticeColumns} FROM breach_notices WHERE subject_id = $key ORDER BY seq DESC;", subjectId, cancellationToken);

    /// <inheritdoc />
    public async Task MarkNoticeAsync(string noticeId, int attempts, DateTimeOffset? sentAt, string? lastError, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(noticeId);
        var connection = await OpenAsync(cancellationToken).ConfigureAwait(false);
        await using (connection.ConfigureAwait(false))
        {
            using var command = connection.CreateCommand();
            command.CommandText = "UPDATE breach_notices SET attempts = $attempts, sent_at = $sent, last_error = $error WHERE id = $id AND sent_at IS NULL;";
            command.Parameters.AddWithValue("$id", noticeId);
            command.Parameters.AddWithValue("$attempts", attempts);
            command.Parameters.AddWithValue("$sent", sentAt is { } s ? FormatInstant(s) : DBNull.Value);
            command.Parameters.AddWithValue("$error", sentAt is null && lastError is not null ? lastError : DBNull.Value);
            await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }
    }

    /// <inheritdoc />
    public async Task<bool> TransitionIncidentAsync(string incidentId, BreachStatus fromStatus, BreachStatus toStatus, DateTimeOffset at, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(incidentId);
        var column = toStatus switch
        {
            BreachStatus.Notified => "notified_at",
            BreachStatus.Reported => "reported_at",
            _ => throw new ArgumentOutOfRangeException(nameof(toStatus), toStatus, "An incident only moves to notified or reported."),
        };
        var connection = await OpenAsync(cancellationToken).ConfigureAwait(false);
        await using (connection.ConfigureAwait(false))
        {
            using var command = connection.CreateCommand();
            command.CommandText = $"UPDATE breach_incidents SET status = $to, {column} = $at WHERE id = $id AND status = $from;";
            command.Parameters.AddWithValue("$id", incidentId);
            command.Parameters.AddWithValue("$from", fromStatus.ToString());
            command.Parameters.AddWithValue("$to", toStatus.ToString());
            command.Parameters.AddWithValue("$at", FormatInstant(at));
            return await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false) == 1;
        }
    }

    private static void BindGrant(SqliteCommand command, StaffAccessGrant grant)
    {
        command.Parameters.AddWithValue("$id", grant.Id);
        command.Parameters.AddWithValue("$staff", grant.StaffId);
        command.Parameters.AddWithValue("$subject", grant.SubjectId);
        command.Parameters.AddWithValue("$purpose", grant.Purpose);
        command.Parameters.AddWithValue("$why", grant.Justification);
        command.Parameters.AddWithValue("$status", grant.Status.ToString());
        command.Parameters.AddWithValue("$requested", FormatInstant(grant.RequestedAt));
        command.Parameters.AddWithValue("$approver", (object?)grant.ApproverId ?? DBNull.Value);
        command.Parameters.AddWithValue("$decided", grant.DecidedAt is { } d ? FormatInstant(d) : DBNull.Value);
        command.Parameters.AddWithValue("$expires", grant.ExpiresAt is { } e ? FormatInstant(e) : DBNull.Value);
    }

    private async Task<IReadOnlyList<StaffAccessGrant>> QueryGrantsAsync(string sql, Action<SqliteCommand> bind, CancellationToken cancellationToken)
    {
        var connection = await OpenAsync(cancellationToken).ConfigureAwait(false);
        await using (connection.ConfigureAwait(false))
        {
            using var command = connection.CreateCommand();
            command.CommandText = sql;
            bind(command);
            var list = new List<StaffAccessGrant>();
            var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
            await using (reader.ConfigureAwait(false))
            {
                while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
                {
                    list.Add(new StaffAccessGrant(
                        reader.GetString(0), reader.GetString(1), reader.GetString(2), reader.GetString(3), reader.GetString(4),
                        Enum.Parse<StaffAccessStatus>(reader.GetString(5)),
                        ParseInstant(reader.GetString(6)),
                        reader.IsDBNull(7) ? null : reader.GetString(7),
                        reader.IsDBNull(8) ? null : ParseInstant(reader.GetString(8)),
                        reader.IsDBNull(9) ? null : ParseInstant(reader.GetString(9))));
                }
            }

            return list;
        }
    }

    private async Task<IReadOnlyList<BreachNotice>> QueryNoticesAsync(string sql, string key, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(key);
        var connection = await OpenAsync(cancellationToken).ConfigureAwait(false);
        await using (connection.ConfigureAwait(false))
        {
            using var command = connection.CreateCommand();
            command.CommandText = sql;
            command.Parameters.AddWithValue("$key", key);
            var list = new List<BreachNotice>();
            var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
            await using (reader.ConfigureAwait(false))
            {
                while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
                {
                    list.Add(new BreachNotice(
                        reader.GetString(0), reader.GetString(1), reader.GetString(2), reader.GetString(3), reader.GetString(4),
                        new LocalizedText(reader.GetString(5), reader.GetString(6)),
                        ParseInstant(reader.GetString(7)),
                        reader.GetInt32(8),
                        reader.IsDBNull(9) ? null : ParseInstant(reader.GetString(9)),
                        reader.IsDBNull(10) ? null : reader.GetString(10)));
                }
            }

            return list;
        }
    }
}
