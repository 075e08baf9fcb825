using Newtonsoft.Json;
using Npgsql;
using TeenMode.PersonalInfo;
using TeenMode.Postgres.Internal;
using TeenMode.Reporting;

namespace TeenMode.Postgres.Reporting;

/// <summary>
/// The report workflow in PostgreSQL: tracking, status history, actions, and the outbox of authority notices that many
/// app instances drain together.
/// </summary>
public sealed class PostgresReportWorkflowStore : IReportWorkflowStore
{
    private const string TrackingColumns = "report_id, subject_id, evidence, triage_due_at, triage_due_at_tick, resolve_due_at, resolve_due_at_tick, escalated";

    private const string NoticeColumns =
        "id, report_id, idempotency_key, payload, created_at, created_at_tick, attempts, next_attempt_at, next_attempt_at_tick, delivered_at, delivered_at_tick, last_error";

    private readonly PostgresDatabase _database;
    private readonly ReportRows _reports;

    /// <summary>Uses <paramref name="database"/>; <paramref name="freeTextProtector"/> seals report descriptions at rest.</summary>
    public PostgresReportWorkflowStore(PostgresDatabase database, PersonalDataProtector? freeTextProtector = null)
    {
        ArgumentNullException.ThrowIfNull(database);
        _database = database;
        _reports = new ReportRows(new FreeTextSealer(freeTextProtector));
    }

    /// <inheritdoc />
    public Task<(ReportRecord Stored, bool Created)> FileAsync(ReportRecord record, ReportTracking tracking, AuthorityNotice? notice, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(record);
        ArgumentNullException.ThrowIfNull(tracking);

        // Report, tracking and authority notice commit together: a receipt never exists without its notice.
        return _database.InTransactionAsync(async (session, ct) =>
        {
            var (stored, created) = await _reports.InsertOrGetAsync(session, record, ct).ConfigureAwait(false);
            if (!created)
            {
                return (stored, false);
            }

            await session.ExecuteAsync($"""
                INSERT INTO report_tracking ({TrackingColumns})
                VALUES (@id, @subject, @evidence, @triage, @triage_tick, @resolve, @resolve_tick, @escalated);
                """,
                c => c.Text("id", record.Id).Text("subject", tracking.Context.SubjectId).Text("evidence", JsonConvert.SerializeObject(tracking.Context.EvidenceRefs))
                    .Instant("triage", tracking.TriageDueAt).Instant("resolve", tracking.ResolveDueAt).Bool("escalated", tracking.Escalated), ct).ConfigureAwait(false);
            if (notice is not null)
            {
                await session.ExecuteAsync($"""
                    INSERT INTO authority_outbox ({NoticeColumns})
                    VALUES (@id, @report, @key, @payload, @created, @created_tick, @attempts, @next, @next_tick, NULL, NULL, NULL);
                    """,
                    c => c.Text("id", notice.Id).Text("report", notice.ReportId).Text("key", notice.IdempotencyKey).Text("payload", notice.Payload)
                        .Instant("created", notice.CreatedAt).Int("attempts", notice.Attempts).Instant("next", notice.NextAttemptAt), ct).ConfigureAwait(false);
            }

            return (record, true);
        }, cancellationToken);
    }

    /// <inheritdoc />
    public Task<ReportTracking?> GetTrackingAsync(string reportId, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(reportId);
        return _database.InTransactionAsync((session, ct) => ReadTrackingAsync(session, reportId, ct), cancellationToken);
    }

    /// <inheritdoc />
    public Task<bool> TransitionAsync(string reportId, ReportTransition transition, IReadOnlyList<ReportAction> actions, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(reportId);
        ArgumentNullException.ThrowIfNull(transition);
        ArgumentNullException.ThrowIfNull(actions);
        return _database.InTransactionAsync(async (session, ct) =>
        {
            // Compare-and-set on the status: of two reviewers moving the same report, one wins (the other's UPDATE waits, then matches nothing).
            var moved = await session.ExecuteAsync("UPDATE reports SET status = @to WHERE id = @id AND status = @from;",
                c => c.Text("id", reportId).Text("from", transition.From.ToString()).Text("to", transition.To.ToString()), ct).ConfigureAwait(false) == 1;
            if (!moved)
            {
                return false;
            }

            await session.ExecuteAsync("""
                INSERT INTO report_history (report_id, from_status, to_status, at, at_tick, actor, reason)
                VALUES (@id, @from, @to, @at, @at_tick, @actor, @reason);
                """,
                c => c.Text("id", reportId).Text("from", transition.From.ToString()).Text("to", transition.To.ToString()).Instant("at", transition.At)
                    .Text("actor", transition.Actor).Text("reason", transition.Reason), ct).ConfigureAwait(false);
            foreach (var action in actions)
            {
                await session.ExecuteAsync("""
                    INSERT INTO report_actions (report_id, kind, target_id, at, at_tick, actor) VALUES (@id, @kind, @target, @at, @at_tick, @actor);
                    """,
                    c => c.Text("id", reportId).Text("kind", action.Kind.ToString()).Text("target", action.TargetId).Instant("at", action.At).Text("actor", action.Actor),
                    ct).ConfigureAwait(false);
            }

            return true;
        }, cancellationToken);
    }

    /// <inheritdoc />
    public Task<IReadOnlyList<(ReportRecord Report, ReportTracking Tracking)>> ListOpenAsync(int limit, CancellationToken cancellationToken = default) =>
        _database.InTransactionAsync<IReadOnlyList<(ReportRecord, ReportTracking)>>(async (session, ct) =>
        {
            var open = await session.QueryAsync($"""
                SELECT {ReportRows.Columns} FROM reports r
                WHERE status <> 'Closed' AND EXISTS (SELECT 1 FROM report_tracking t WHERE t.report_id = r.id)
                ORDER BY received_at, received_at_tick, id COLLATE "C" LIMIT @limit;
                """,
                c => c.Int("limit", limit), _reports.Read, ct).ConfigureAwait(false);
            var list = new List<(ReportRecord, ReportTracking)>(open.Count);
            foreach (var report in open)
            {
                list.Add((report, (await ReadTrackingAsync(session, report.Id, ct).ConfigureAwait(false))!));
            }

            return list;
        }, cancellationToken);

    /// <inheritdoc />
    public async Task<IReadOnlyList<ReportRecord>> ListForSubjectAsync(string subjectId, int limit, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(subjectId);
        return await _database.QueryAsync($"""
            SELECT {ReportRows.Columns} FROM reports
            WHERE id IN (SELECT report_id FROM report_tracking WHERE subject_id = @subject)
            ORDER BY received_at DESC, received_at_tick DESC, id COLLATE "C" LIMIT @limit;
            """,
            c => c.Text("subject", subjectId).Int("limit", limit), _reports.Read, cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc />
    /// <remarks>
    /// Claims the due notices: rows another instance is claiming are skipped (<c>FOR UPDATE SKIP LOCKED</c>) and the claimed
    /// ones have their next attempt pushed forward by the outbox lease in the same statement, so in normal operation each
    /// notice is sent by one instance. The notices are returned as they were before the lease; a sender that dies simply
    /// lets the lease run out, and the notice is due again.
    /// </remarks>
    public async Task<IReadOnlyList<AuthorityNotice>> GetDueNoticesAsync(DateTimeOffset now, int limit, CancellationToken cancellationToken = default) =>
        await _database.QueryAsync($"""
            WITH due AS (
                SELECT {NoticeColumns} FROM authority_outbox
                WHERE delivered_at IS NULL AND (next_attempt_at, next_attempt_at_tick) <= (@now, @now_tick)
                ORDER BY created_at, created_at_tick, id COLLATE "C"
                LIMIT @limit
                FOR UPDATE SKIP LOCKED
            ), leased AS (
                UPDATE authority_outbox o SET next_attempt_at = @lease, next_attempt_at_tick = @lease_tick
                FROM due WHERE o.id = due.id
            )
            SELECT {NoticeColumns} FROM due ORDER BY created_at, created_at_tick, id COLLATE "C";
            """,
            c => c.Instant("now", now).Instant("lease", now + _database.Options.OutboxLease).Int("limit", limit), ReadNotice, cancellationToken).ConfigureAwait(false);

    /// <inheritdoc />
    public async Task<AuthorityNotice?> GetNoticeForReportAsync(string reportId, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(reportId);
        var rows = await _database.QueryAsync($"""
            SELECT {NoticeColumns} FROM authority_outbox WHERE report_id = @report ORDER BY created_at, created_at_tick, id COLLATE "C" LIMIT 1;
            """,
            c => c.Text("report", reportId), ReadNotice, cancellationToken).ConfigureAwait(false);
        return rows.Count == 0 ? null : rows[0];
    }

    /// <inheritdoc />
    public async Task<IReadOnlyList<AuthorityNotice>> ListNoticesAsync(int limit, CancellationToken cancellationToken = default) =>
        await _database.QueryAsync($"SELECT {NoticeColumns} FROM authority_outbox ORDER BY created_at, created_at_tick, id COLLATE \"C\" LIMIT @limit;",
            c => c.Int("limit", limit), ReadNotice, cancellationToken).ConfigureAwait(false);

    /// <inheritdoc />
    public async Task MarkNoticeDeliveredAsync(string noticeId, int attempts, DateTimeOffset at, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(noticeId);
        await _database.ExecuteAsync("""
            UPDATE authority_outbox SET attempts = @attempts, delivered_at = @at, delivered_at_tick = @at_tick, last_error = NULL
            WHERE id = @id AND delivered_at IS NULL;
            """,
            c => c.Text("id", noticeId).Int("attempts", attempts).Instant("at", at), cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc />
    public async Task MarkNoticeFailedAsync(string noticeId, int attempts, DateTimeOffset nextAttemptAt, string failure, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(noticeId);
        await _database.ExecuteAsync("""
            UPDATE authority_outbox SET attempts = @attempts, next_attempt_at = @next, next_attempt_at_tick = @next_tick, last_error = @error
            WHERE id = @id AND delivered_at IS NULL;
            """,
            c => c.Text("id", noticeId).Int("attempts", attempts).Instant("next", nextAttemptAt).Text("error", failure), cancellationToken).ConfigureAwait(false);
    }

    private static async Task<ReportTracking?> ReadTrackingAsync(PgSession session, string reportId, CancellationToken cancellationToken)
    {
        var tracking = await session.QuerySingleAsync($"SELECT {TrackingColumns} FROM report_tracking WHERE report_id = @id;", c => c.Text("id", reportId),
            r => new ReportTracking(
                r.GetString(0),
                new ReportContext(r.GetStringOrNull(1), JsonConvert.DeserializeObject<string[]>(r.GetString(2)) ?? []),
                r.GetInstant(3),
                r.GetInstant(5),
                r.GetBoolean(7),
                [],
                []), cancellationToken).ConfigureAwait(false);
        if (tracking is null)
        {
            return null;
        }

        var history = await session.QueryAsync("SELECT from_status, to_status, at, at_tick, actor, reason FROM report_history WHERE report_id = @id ORDER BY seq;",
            c => c.Text("id", reportId),
            r => new ReportTransition(Enum.Parse<ReportStatus>(r.GetString(0)), Enum.Parse<ReportStatus>(r.GetString(1)), r.GetInstant(2), r.GetString(4), r.GetStringOrNull(5)),
            cancellationToken).ConfigureAwait(false);
        var actions = await session.QueryAsync("SELECT kind, target_id, at, at_tick, actor FROM report_actions WHERE report_id = @id ORDER BY seq;",
            c => c.Text("id", reportId),
            r => new ReportAction(Enum.Parse<ReportActionKind>(r.GetString(0)), r.GetString(1), r.GetInstant(2), r.GetString(4)),
            cancellationToken).ConfigureAwait(false);
        return tracking with { History = history, Actions = actions };
    }

    /// <inheritdoc />
    public async Task<OutboxBacklog> GetOutboxBacklogAsync(CancellationToken cancellationToken = default)
    {
        var rows = await _database.QueryAsync("""
            SELECT (SELECT COUNT(*) FROM authority_outbox WHERE delivered_at IS NULL), oldest.created_at, oldest.created_at_tick
            FROM (SELECT 1) one
            LEFT JOIN LATERAL (
                SELECT created_at, created_at_tick FROM authority_outbox WHERE delivered_at IS NULL ORDER BY created_at, created_at_tick LIMIT 1
            ) oldest ON TRUE;
            """,
            null, r => new OutboxBacklog(checked((int)r.GetInt64(0)), r.GetInstantOrNull(1)), cancellationToken).ConfigureAwait(false);
        return rows.Count == 0 ? OutboxBacklog.Empty : rows[0];
    }

    private static AuthorityNotice ReadNotice(NpgsqlDataReader r) => new(
        r.GetString(0), r.GetString(1), r.GetString(2), r.GetString(3), r.GetInstant(4), r.GetInt32(6), r.GetInstant(7), r.GetInstantOrNull(9), r.GetStringOrNull(11));
}
