using Microsoft.Data.Sqlite;
using Newtonsoft.Json;
using TeenMode.PersonalInfo;
using TeenMode.Reporting;
using TeenMode.Sqlite.Internal;
using static TeenMode.Sqlite.Internal.SqliteValues;

namespace TeenMode.Sqlite;

/// <summary>The report workflow in the shared SQLite file: tracking, status history, actions and the authority outbox, beside the reports table of <see cref="SqliteReportStore"/>. A report, its tracking and its authority notice commit together.</summary>
/// <param name="database">The SQLite file the app's stores share.</param>
/// <param name="freeTextProtector">Seals free text at rest; <c>UseSqlite</c> passes the app's <see cref="PersonalDataProtector"/>. Without one, free text is stored as plain text.</param>
public sealed class SqliteReportWorkflowStore(SqliteDatabase database, PersonalDataProtector? freeTextProtector = null) : IReportWorkflowStore
{
    private readonly SqliteDatabase _database = database ?? throw new ArgumentNullException(nameof(database));
    private readonly SqliteFreeText _freeText = new(freeTextProtector);

    private const string TrackingColumns = "report_id, subject_id, evidence, triage_due_at, resolve_due_at, escalated";

    private const string NoticeColumns = "id, report_id, idempotency_key, payload, created_at, attempts, next_attempt_at, delivered_at, last_error";

    /// <inheritdoc />
    public async Task<(ReportRecord Stored, bool Created)> FileAsync(ReportRecord record, ReportTracking tracking, AuthorityNotice? notice, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(record);
        ArgumentNullException.ThrowIfNull(tracking);
        using var writeTurn = await _database.EnterWriteAsync(cancellationToken).ConfigureAwait(false);
        var connection = await _database.OpenAsync(cancellationToken).ConfigureAwait(false);
        await using (connection.ConfigureAwait(false))
        {
            // Report, tracking and authority notice commit together: a receipt never exists without its notice.
            using var transaction = connection.BeginTransaction(deferred: false);
            var inserted = await connection.ExecuteAsync(transaction, SqliteReportRows.InsertSql, p => SqliteReportRows.Bind(p, record, _freeText), cancellationToken)
                .ConfigureAwait(false) == 1;
            if (!inserted)
            {
                var existing = await QueryReportsAsync(connection, transaction, $"SELECT {SqliteReportRows.Columns} FROM reports WHERE idempotency_key = $key;",
                    p => p.AddWithValue("$key", record.IdempotencyKey), cancellationToken).ConfigureAwait(false);
                await transaction.CommitAsync(CancellationToken.None).ConfigureAwait(false);
                return existing.Count == 1
                    ? (existing[0], false)
                    : throw new InvalidOperationException("A report with this idempotency key conflicted but cannot be read.");
            }

            await connection.ExecuteAsync(transaction, $"INSERT INTO report_tracking ({TrackingColumns}) VALUES ($id, $subject, $evidence, $triage, $resolve, $escalated);",
                p =>
                {
                    p.AddWithValue("$id", record.Id);
                    p.AddWithValue("$subject", (object?)tracking.Context.SubjectId ?? DBNull.Value);
                    p.AddWithValue("$evidence", JsonConvert.SerializeObject(tracking.Context.EvidenceRefs));
                    p.AddWithValue("$triage", FormatInstant(tracking.TriageDueAt));
                    p.AddWithValue("$resolve", FormatInstant(tracking.ResolveDueAt));
                    p.AddWithValue("$escalated", tracking.Escalated);
                },
                cancellationToken).ConfigureAwait(false);
            if (notice is not null)
            {
                await connection.ExecuteAsync(transaction, $"INSERT INTO authority_outbox ({NoticeColumns}) VALUES ($id, $report, $key, $payload, $created, $attempts, $next, NULL, NULL);",
                    p =>
                    {
                        p.AddWithValue("$id", notice.Id);
                        p.AddWithValue("$report", notice.ReportId);
                        p.AddWithValue("$key", notice.IdempotencyKey);
                        p.AddWithValue("$payload", notice.Payload);
                        p.AddWithValue("$created", FormatInstant(notice.CreatedAt));
                        p.AddWithValue("$attempts", notice.Attempts);
                        p.AddWithValue("$next", FormatInstant(notice.NextAttemptAt));
                    },
                    cancellationToken).ConfigureAwait(false);
            }

            // The receipt promises the report is stored: commit before answering.
            await transaction.CommitAsync(CancellationToken.None).ConfigureAwait(false);
            return (record, true);
        }
    }

    /// <inheritdoc />
    public async Task<ReportTracking?> GetTrackingAsync(string reportId, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(reportId);
        var connection = await _database.OpenAsync(cancellationToken).ConfigureAwait(false);
        await using (connection.ConfigureAwait(false))
        {
            return await ReadTrackingAsync(connection, null, reportId, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <inheritdoc />
    public async Task<bool> TransitionAsync(string reportId, ReportTransition transition, IReadOnlyList<ReportAction> actions, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(reportId);
        ArgumentNullException.ThrowIfNull(transition);
        ArgumentNullException.ThrowIfNull(actions);
        using var writeTurn = await _database.EnterWriteAsync(cancellationToken).ConfigureAwait(false);
        var connection = await _database.OpenAsync(cancellationToken).ConfigureAwait(false);
        await using (connection.ConfigureAwait(false))
        {
            using var transaction = connection.BeginTransaction(deferred: false);

            // Compare-and-set on the status: of two reviewers moving the same report, one wins.
            var moved = await connection.ExecuteAsync(transaction, "UPDATE reports SET status = $to WHERE id = $id AND status = $from;",
                p =>
                {
                    p.AddWithValue("$id", reportId);
                    p.AddWithValue("$from", transition.From.ToString());
                    p.AddWithValue("$to", transition.To.ToString());
                },
                cancellationToken).ConfigureAwait(false) == 1;
            if (!moved)
            {
                await transaction.RollbackAsync(CancellationToken.None).ConfigureAwait(false);
                return false;
            }

            await connection.ExecuteAsync(transaction, """
                INSERT INTO report_history (report_id, seq, from_status, to_status, at, actor, reason)
                VALUES ($id, (SELECT COALESCE(MAX(seq), 0) + 1 FROM report_history WHERE report_id = $id), $from, $to, $at, $actor, $reason);
                """,
                p =>
                {
                    p.AddWithValue("$id", reportId);
                    p.AddWithValue("$from", transition.From.ToString());
                    p.AddWithValue("$to", transition.To.ToString());
                    p.AddWithValue("$at", FormatInstant(transition.At));
                    p.AddWithValue("$actor", transition.Actor);
                    p.AddWithValue("$reason", (object?)transition.Reason ?? DBNull.Value);
                },
                cancellationToken).ConfigureAwait(false);
            foreach (var action in actions)
            {
                await connection.ExecuteAsync(transaction, """
                    INSERT INTO report_actions (report_id, seq, kind, target_id, at, actor)
                    VALUES ($id, (SELECT COALESCE(MAX(seq), 0) + 1 FROM report_actions WHERE report_id = $id), $kind, $target, $at, $actor);
                    """,
                    p =>
                    {
                        p.AddWithValue("$id", reportId);
                        p.AddWithValue("$kind", action.Kind.ToString());
                        p.AddWithValue("$target", action.TargetId);
                        p.AddWithValue("$at", FormatInstant(action.At));
                        p.AddWithValue("$actor", action.Actor);
                    },
                    cancellationToken).ConfigureAwait(false);
            }

            await transaction.CommitAsync(CancellationToken.None).ConfigureAwait(false);
            return true;
        }
    }

    /// <inheritdoc />
    public async Task<IReadOnlyList<(ReportRecord Report, ReportTracking Tracking)>> ListOpenAsync(int limit, CancellationToken cancellationToken = default)
    {
        var connection = await _database.OpenAsync(cancellationToken).ConfigureAwait(false);
        await using (connection.ConfigureAwait(false))
        {
            var open = await QueryReportsAsync(connection, null, $"""
                SELECT {SqliteReportRows.Columns} FROM reports
                WHERE status <> 'Closed' AND id IN (SELECT report_id FROM report_tracking)
                ORDER BY received_at, id LIMIT $limit;
                """,
                p => p.AddWithValue("$limit", limit),
                cancellationToken).ConfigureAwait(false);
            var list = new List<(ReportRecord, ReportTracking)>(open.Count);
            foreach (var report in open)
            {
                list.Add((report, (await ReadTrackingAsync(connection, null, report.Id, cancellationToken).ConfigureAwait(false))!));
            }

            return list;
        }
    }

    /// <inheritdoc />
    public async Task<IReadOnlyList<ReportRecord>> ListForSubjectAsync(string subjectId, int limit, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(subjectId);
        var connection = await _database.OpenAsync(cancellationToken).ConfigureAwait(false);
        await using (connection.ConfigureAwait(false))
        {
            return await QueryReportsAsync(connection, null, $"""
                SELECT {SqliteReportRows.Columns} FROM reports
                WHERE id IN (SELECT report_id FROM report_tracking WHERE subject_id = $subject)
                ORDER BY received_at DESC, id LIMIT $limit;
                """,
                p =>
                {
                    p.AddWithValue("$subject", subjectId);
                    p.AddWithValue("$limit", limit);
                },
                cancellationToken).ConfigureAwait(false);
        }
    }

    /// <inheritdoc />
    /// <remarks>
    /// The due notices are claimed in the same write transaction (their next attempt moves <see cref="SqliteDatabaseOptions.NoticeClaimLease"/>
    /// ahead), so app processes sharing the file never hand one notice to two senders at once. Marking it delivered or failed
    /// ends the claim; a process that dies mid-delivery leaves it to expire, and another process sends the notice then.
    /// </remarks>
    public async Task<IReadOnlyList<AuthorityNotice>> GetDueNoticesAsync(DateTimeOffset now, int limit, CancellationToken cancellationToken = default)
    {
        using var writeTurn = await _database.EnterWriteAsync(cancellationToken).ConfigureAwait(false);
        var connection = await _database.OpenAsync(cancellationToken).ConfigureAwait(false);
        await using (connection.ConfigureAwait(false))
        {
            using var transaction = connection.BeginTransaction(deferred: false);
            var due = await ReadNoticesAsync(connection, transaction,
                $"SELECT {NoticeColumns} FROM authority_outbox WHERE delivered_at IS NULL AND next_attempt_at <= $now ORDER BY created_at, id LIMIT $limit;",
                p =>
                {
                    p.AddWithValue("$now", FormatInstant(now));
                    p.AddWithValue("$limit", limit);
                },
                cancellationToken).ConfigureAwait(false);
            foreach (var notice in due)
            {
                await connection.ExecuteAsync(transaction, "UPDATE authority_outbox SET next_attempt_at = $until WHERE id = $id AND delivered_at IS NULL;",
                    p =>
                    {
                        p.AddWithValue("$id", notice.Id);
                        p.AddWithValue("$until", FormatInstant(now + _database.NoticeClaimLease));
                    },
                    cancellationToken).ConfigureAwait(false);
            }

            transaction.Commit();
            return due;
        }
    }

    /// <inheritdoc />
    public async Task<AuthorityNotice?> GetNoticeForReportAsync(string reportId, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(reportId);
        var notices = await QueryNoticesAsync($"SELECT {NoticeColumns} FROM authority_outbox WHERE report_id = $report ORDER BY created_at, id LIMIT 1;",
            p => p.AddWithValue("$report", reportId), cancellationToken).ConfigureAwait(false);
        return notices.Count == 0 ? null : notices[0];
    }

    /// <inheritdoc />
    public Task<IReadOnlyList<AuthorityNotice>> ListNoticesAsync(int limit, CancellationToken cancellationToken = default) =>
        QueryNoticesAsync($"SELECT {NoticeColumns} FROM authority_outbox ORDER BY created_at, id LIMIT $limit;",
            p => p.AddWithValue("$limit", limit), cancellationToken);

    /// <inheritdoc />
    public async Task MarkNoticeDeliveredAsync(string noticeId, int attempts, DateTimeOffset at, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(noticeId);
        var connection = await _database.OpenAsync(cancellationToken).ConfigureAwait(false);
        await using (connection.ConfigureAwait(false))
        {
            await connection.ExecuteAsync(null, "UPDATE authority_outbox SET attempts = $attempts, delivered_at = $at, last_error = NULL WHERE id = $id AND delivered_at IS NULL;",
                p =>
                {
                    p.AddWithValue("$id", noticeId);
                    p.AddWithValue("$attempts", attempts);
                    p.AddWithValue("$at", FormatInstant(at));
                },
                cancellationToken).ConfigureAwait(false);
        }
    }

    /// <inheritdoc />
    public async Task MarkNoticeFailedAsync(string noticeId, int attempts, DateTimeOffset nextAttemptAt, string failure, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(noticeId);
        var connection = await _database.OpenAsync(cancellationToken).ConfigureAwait(false);
        await using (connection.ConfigureAwait(false))
        {
            await connection.ExecuteAsync(null, "UPDATE authority_outbox SET attempts = $attempts, next_attempt_at = $next, last_error = $error WHERE id = $id AND delivered_at IS NULL;",
                p =>
                {
                    p.AddWithValue("$id", noticeId);
                    p.AddWithValue("$attempts", attempts);
                    p.AddWithValue("$next", FormatInstant(nextAttemptAt));
                    p.AddWithValue("$error", failure);
                },
                cancellationToken).ConfigureAwait(false);
        }
    }

    /// <inheritdoc />
    public async Task<OutboxBacklog> GetOutboxBacklogAsync(CancellationToken cancellationToken = default)
    {
        var connection = await _database.OpenAsync(cancellationToken).ConfigureAwait(false);
        await using (connection.ConfigureAwait(false))
        {
            // Instants are stored as round-trip UTC text of one width, so MIN is the earliest.
            var rows = await connection.QueryAsync(null, "SELECT COUNT(*), MIN(created_at) FROM authority_outbox WHERE delivered_at IS NULL;", _ => { },
                r => new OutboxBacklog(r.GetInt32(0), r.IsDBNull(1) ? null : ParseInstant(r.GetString(1))), cancellationToken).ConfigureAwait(false);
            return rows.Count == 0 ? OutboxBacklog.Empty : rows[0];
        }
    }

    private Task<List<ReportRecord>> QueryReportsAsync(SqliteConnection connection, SqliteTransaction? transaction, string sql,
        Action<SqliteParameterCollection> bind, CancellationToken cancellationToken) =>
        connection.QueryAsync(transaction, sql, bind, r => SqliteReportRows.Read(r, _freeText), cancellationToken);

    private static async Task<ReportTracking?> ReadTrackingAsync(SqliteConnection connection, SqliteTransaction? transaction, string reportId, CancellationToken cancellationToken)
    {
        ReportTracking tracking;
        using (var command = connection.CreateCommand())
        {
            command.Transaction = transaction;
            command.CommandText = $"SELECT {TrackingColumns} FROM report_tracking WHERE report_id = $id;";
            command.Parameters.AddWithValue("$id", reportId);
            var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
            await using (reader.ConfigureAwait(false))
            {
                if (!await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
                {
                    return null;
                }

                var evidence = JsonConvert.DeserializeObject<string[]>(reader.GetString(2)) ?? [];
                tracking = new ReportTracking(
                    reader.GetString(0),
                    new ReportContext(reader.IsDBNull(1) ? null : reader.GetString(1), evidence),
                    ParseInstant(reader.GetString(3)),
                    ParseInstant(reader.GetString(4)),
                    reader.GetBoolean(5),
                    [],
                    []);
            }
        }

        var history = new List<ReportTransition>();
        using (var command = connection.CreateCommand())
        {
            command.Transaction = transaction;
            command.CommandText = "SELECT from_status, to_status, at, actor, reason FROM report_history WHERE report_id = $id ORDER BY seq;";
            command.Parameters.AddWithValue("$id", reportId);
            var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
            await using (reader.ConfigureAwait(false))
            {
                while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
                {
                    history.Add(new ReportTransition(Enum.Parse<ReportStatus>(reader.GetString(0)), Enum.Parse<ReportStatus>(reader.GetString(1)),
                        ParseInstant(reader.GetString(2)), reader.GetString(3), reader.IsDBNull(4) ? null : reader.GetString(4)));
                }
            }
        }

        var actions = new List<ReportAction>();
        using (var command = connection.CreateCommand())
        {
            command.Transaction = transaction;
            command.CommandText = "SELECT kind, target_id, at, actor FROM report_actions WHERE report_id = $id ORDER BY seq;";
            command.Parameters.AddWithValue("$id", reportId);
            var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
            await using (reader.ConfigureAwait(false))
            {
                while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
                {
                    actions.Add(new ReportAction(Enum.Parse<ReportActionKind>(reader.GetString(0)), reader.GetString(1), ParseInstant(reader.GetString(2)), reader.GetString(3)));
                }
            }
        }

        return tracking with { History = history, Actions = actions };
    }

    private async Task<IReadOnlyList<AuthorityNotice>> QueryNoticesAsync(string sql, Action<SqliteParameterCollection> bind, CancellationToken cancellationToken)
    {
        var connection = await _database.OpenAsync(cancellationToken).ConfigureAwait(false);
        await using (connection.ConfigureAwait(false))
        {
            return await ReadNoticesAsync(connection, null, sql, bind, cancellationToken).ConfigureAwait(false);
        }
    }

    private static async Task<IReadOnlyList<AuthorityNotice>> ReadNoticesAsync(SqliteConnection connection, SqliteTransaction? transaction, string sql,
        Action<SqliteParameterCollection> bind, CancellationToken cancellationToken)
    {
        {
            using var command = connection.CreateCommand();
            command.Transaction = transaction;
            command.CommandText = sql;
            bind(command.Parameters);
            var list = new List<AuthorityNotice>();
            var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
            await using (reader.ConfigureAwait(false))
            {
                while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
                {
                    list.Add(new AuthorityNotice(
                        reader.GetString(0),
                        reader.GetString(1),
                        reader.GetString(2),
                        reader.GetString(3),
                        ParseInstant(reader.GetString(4)),
                        reader.GetInt32(5),
                        ParseInstant(reader.GetString(6)),
                        reader.IsDBNull(7) ? null : ParseInstant(reader.GetString(7)),
                        reader.IsDBNull(8) ? null : reader.GetString(8)));
                }
            }

            return list;
        }
    }
}
