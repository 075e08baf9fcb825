using Newtonsoft.Json;
using TeenMode.PersonalInfo;
using TeenMode.Sqlite.Internal;
using static TeenMode.Sqlite.Internal.SqliteValues;

namespace TeenMode.Sqlite;

/// <summary>Breach incidents and their notices in the shared SQLite file; an incident and its notices commit together.</summary>
/// <param name="database">The SQLite file the app's stores share.</param>
public sealed class SqliteBreachStore(SqliteDatabase database) : IBreachStore
{
    private readonly SqliteDatabase _database = database ?? throw new ArgumentNullException(nameof(database));

    private const string IncidentColumns = "id, facts, declared_by, declared_at, status, notified_at, reported_at";

    private const string BreachNoticeColumns = "id, incident_id, subject_id, recipient_kind, recipient_id, text_zh, text_en, created_at, attempts, sent_at, last_error";

    /// <inheritdoc />
    public async Task<bool> AddIncidentAsync(BreachIncident incident, IReadOnlyList<BreachNotice> notices, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(incident);
        ArgumentNullException.ThrowIfNull(notices);
        using var writeTurn = await _database.EnterWriteAsync(cancellationToken).ConfigureAwait(false);
        var connection = await _database.OpenAsync(cancellationToken).ConfigureAwait(false);
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
        var connection = await _database.OpenAsync(cancellationToken).ConfigureAwait(false);
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
        var connection = await _database.OpenAsync(cancellationToken).ConfigureAwait(false);
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
        var connection = await _database.OpenAsync(cancellationToken).ConfigureAwait(false);
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

    private async Task<IReadOnlyList<BreachNotice>> QueryNoticesAsync(string sql, string key, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(key);
        var connection = await _database.OpenAsync(cancellationToken).ConfigureAwait(false);
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
