using Npgsql;
using TeenMode.PersonalInfo;
using TeenMode.Postgres.Internal;
using TeenMode.Spending;

namespace TeenMode.Postgres.Spending;

/// <summary>
/// Spending outside games, and refund requests, in PostgreSQL. Amounts are exact <c>numeric</c> money; totals are sums of
/// the spends not refunded.
/// </summary>
/// <remarks>
/// <see cref="TryRecordSpendAsync"/> runs under a per-subject transaction-scoped advisory lock
/// (<c>pg_advisory_xact_lock</c>): the totals it checks are sums over many rows, and the first spend of a day has no row
/// to lock, so a row lock cannot serialise it. Under the lock the key lookup, the totals and the insert are one step
/// for every app instance: concurrent payments never pass a cap and a retried key is recorded once.
/// </remarks>
public sealed class PostgresSpendingLedgerStore : ISpendingLedgerStore
{
    private const string SpendColumns =
        "id, subject_id, category, amount, currency, item_id, spent_at, spent_at_tick, local_date, month, idempotency_key, refunded_at, refunded_at_tick";

    private const string RefundColumns =
        "id, spend_id, subject_id, guardian_id, reason, amount, status, filed_at, filed_at_tick, due_at, due_at_tick, decided_at, decided_at_tick, decided_by, decision_reason";

    private const string TotalsSql = """
        SELECT COALESCE(SUM(amount) FILTER (WHERE local_date = @date), 0), COALESCE(SUM(amount), 0)
        FROM spends WHERE subject_id = @subject AND category = @category AND month = @month AND refunded_at IS NULL;
        """;

    private readonly PostgresDatabase _database;
    private readonly FreeTextSealer _freeText;

    /// <summary>Uses <paramref name="database"/>; <paramref name="freeTextProtector"/> seals refund reasons at rest.</summary>
    public PostgresSpendingLedgerStore(PostgresDatabase database, PersonalDataProtector? freeTextProtector = null)
    {
        ArgumentNullException.ThrowIfNull(database);
        _database = database;
        _freeText = new FreeTextSealer(freeTextProtector);
    }

    /// <inheritdoc />
    public Task<SpendAttempt> TryRecordSpendAsync(SpendRecord spend, SpendLimit limit, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(spend);
        Sql.CheckCents(spend.Amount, nameof(spend));
        return _database.InTransactionAsync(async (session, ct) =>
        {
            await session.LockAsync(LockScope.Spending, spend.SubjectId, ct).ConfigureAwait(false);
            if (spend.IdempotencyKey is { } key)
            {
                var first = await session.QuerySingleAsync($"SELECT {SpendColumns} FROM spends WHERE subject_id = @subject AND idempotency_key = @key;",
                    c => c.Text("subject", spend.SubjectId).Text("key", key), ReadSpend, ct).ConfigureAwait(false);
                if (first is not null)
                {
                    var totals = await ReadTotalsAsync(session, first.SubjectId, first.Category, first.LocalDate, first.Month, ct).ConfigureAwait(false);
                    var same = first.Category == spend.Category && first.Amount == spend.Amount && first.ItemId == spend.ItemId;
                    return same ? new SpendAttempt(first, totals, Replayed: true) : new SpendAttempt(null, totals, KeyConflict: true);
                }
            }

            var before = await ReadTotalsAsync(session, spend.SubjectId, spend.Category, spend.LocalDate, spend.Month, ct).ConfigureAwait(false);
            if (!limit.Admits(before, spend.Amount))
            {
                return new SpendAttempt(null, before);
            }

            await session.ExecuteAsync($"""
                INSERT INTO spends ({SpendColumns})
                VALUES (@id, @subject, @category, @amount, @currency, @item, @at, @at_tick, @date, @month, @key, NULL, NULL);
                """,
                c => c.Text("id", spend.Id).Text("subject", spend.SubjectId).Text("category", spend.Category).Money("amount", spend.Amount)
                    .Text("currency", spend.Currency).Text("item", spend.ItemId).Instant("at", spend.SpentAt).Date("date", spend.LocalDate)
                    .Text("month", spend.Month).Text("key", spend.IdempotencyKey), ct).ConfigureAwait(false);
            return new SpendAttempt(spend with { RefundedAt = null }, new SpendTotals(before.Day + spend.Amount, before.Month + spend.Amount));
        }, cancellationToken);
    }

    /// <inheritdoc />
    public async Task<SpendTotals> GetTotalsAsync(string subjectId, string category, DateOnly localDate, string month, CancellationToken cancellationToken = default)
    {
        var rows = await _database.QueryAsync(TotalsSql, c => BindTotals(c, subjectId, category, localDate, month), ReadTotals, cancellationToken).ConfigureAwait(false);
        return rows[0];
    }

    /// <inheritdoc />
    public async Task<SpendRecord?> GetSpendAsync(string spendId, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(spendId);
        var rows = await _database.QueryAsync($"SELECT {SpendColumns} FROM spends WHERE id = @id;", c => c.Text("id", spendId), ReadSpend, cancellationToken).ConfigureAwait(false);
        return rows.Count == 0 ? null : rows[0];
    }

    /// <inheritdoc />
    public async Task<IReadOnlyList<SpendRecord>> ListSpendsAsync(string subjectId, DateTimeOffset since, DateTimeOffset until, CancellationToken cancellationToken = default) =>
        await _database.QueryAsync($"""
            SELECT {SpendColumns} FROM spends
            WHERE subject_id = @subject AND (spent_at, spent_at_tick) >= (@from, @from_tick) AND (spent_at, spent_at_tick) < (@to, @to_tick)
            ORDER BY spent_at, spent_at_tick, id COLLATE "C";
            """,
            c => c.Text("subject", subjectId).Instant("from", since).Instant("to", until), ReadSpend, cancellationToken).ConfigureAwait(false);

    /// <inheritdoc />
    public Task<(RefundRequest Stored, bool Created)> AddRefundRequestAsync(RefundRequest request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        Sql.CheckCents(request.Amount, nameof(request));
        return _database.InTransactionAsync(async (session, ct) =>
        {
            // One request per spend: the unique spend_id decides, and a concurrent second request waits for the first, then reads it.
            var inserted = await session.ExecuteAsync($"""
                INSERT INTO refund_requests ({RefundColumns})
                VALUES (@id, @spend, @subject, @guardian, @reason, @amount, @status, @filed, @filed_tick, @due, @due_tick, NULL, NULL, NULL, NULL)
                ON CONFLICT (subject_id, spend_id) DO NOTHING;
                """,
                c => c.Text("id", request.Id).Text("spend", request.SpendId).Text("subject", request.SubjectId).Text("guardian", request.GuardianId)
                    .Text("reason", _freeText.Seal(request.Id, "refund.reason", request.Reason)).Money("amount", request.Amount)
                    .Text("status", request.Status.ToString()).Instant("filed", request.FiledAt).Instant("due", request.DueAt), ct).ConfigureAwait(false) == 1;
            if (inserted)
            {
                return (request, true);
            }

            var stored = await session.QuerySingleAsync($"SELECT {RefundColumns} FROM refund_requests WHERE spend_id = @spend;",
                c => c.Text("spend", request.SpendId), ReadRefund, ct).ConfigureAwait(false)
                ?? throw new InvalidOperationException("A refund request for this spend conflicted but cannot be read.");
            return (stored, false);
        }, cancellationToken);
    }

    /// <inheritdoc />
    public async Task<RefundRequest?> GetRefundRequestAsync(string refundId, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(refundId);
        var rows = await _database.QueryAsync($"SELECT {RefundColumns} FROM refund_requests WHERE id = @id;", c => c.Text("id", refundId), ReadRefund, cancellationToken).ConfigureAwait(false);
        return rows.Count == 0 ? null : rows[0];
    }

    /// <inheritdoc />
    public Task<RefundRequest?> DecideRefundAsync(string refundId, RefundStatus status, string decidedBy, string? reason, DateTimeOffset at,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(refundId);
        if (status == RefundStatus.Pending)
        {
            throw new ArgumentException("A decision approves or refuses.", nameof(status));
        }

        return _database.InTransactionAsync(async (session, ct) =>
        {
            // Compare-and-set on the pending status: of two staff deciding at once, one wins; the refund reverses the spend in the same transaction.
            var decided = await session.QuerySingleAsync($"""
                UPDATE refund_requests SET status = @status, decided_at = @at, decided_at_tick = @at_tick, decided_by = @by, decision_reason = @reason
                WHERE id = @id AND status = 'Pending'
                RETURNING {RefundColumns};
                """,
                c => c.Text("status", status.ToString()).Instant("at", at).Text("by", decidedBy)
                    .Text("reason", _freeText.Seal(refundId, "refund.decisionReason", reason)).Text("id", refundId), ReadRefund, ct).ConfigureAwait(false);
            if (decided is not null && status == RefundStatus.Approved)
            {
                await session.ExecuteAsync("UPDATE spends SET refunded_at = @at, refunded_at_tick = @at_tick WHERE id = @spend AND refunded_at IS NULL;",
                    c => c.Instant("at", at).Text("spend", decided.SpendId), ct).ConfigureAwait(false);
            }

            return decided;
        }, cancellationToken);
    }

    /// <inheritdoc />
    public async Task<IReadOnlyList<RefundRequest>> ListRefundRequestsAsync(string subjectId, DateTimeOffset since, DateTimeOffset until, CancellationToken cancellationToken = default) =>
        await _database.QueryAsync($"""
            SELECT {RefundColumns} FROM refund_requests
            WHERE subject_id = @subject AND (filed_at, filed_at_tick) >= (@from, @from_tick) AND (filed_at, filed_at_tick) < (@to, @to_tick)
            ORDER BY filed_at, filed_at_tick, id COLLATE "C";
            """,
            c => c.Text("subject", subjectId).Instant("from", since).Instant("to", until), ReadRefund, cancellationToken).ConfigureAwait(false);

    private static async Task<SpendTotals> ReadTotalsAsync(PgSession session, string subjectId, string category, DateOnly localDate, string month,
        CancellationToken cancellationToken) =>
        (await session.QueryAsync(TotalsSql, c => BindTotals(c, subjectId, category, localDate, month), ReadTotals, cancellationToken).ConfigureAwait(false))[0];

    private static void BindTotals(NpgsqlCommand command, string subjectId, string category, DateOnly localDate, string month) =>
        command.Date("date", localDate).Text("subject", subjectId).Text("category", category).Text("month", month);

    private static SpendTotals ReadTotals(NpgsqlDataReader r) => new(r.GetDecimal(0), r.GetDecimal(1));

    private static SpendRecord ReadSpend(NpgsqlDataReader r) => new(
        r.GetString(0), r.GetString(1), r.GetString(2), r.GetDecimal(3), r.GetString(4), r.GetStringOrNull(5), r.GetInstant(6),
        r.GetFieldValue<DateOnly>(8), r.GetString(9), r.GetStringOrNull(10), r.GetInstantOrNull(11));

    private RefundRequest ReadRefund(NpgsqlDataReader r) => new(
        r.GetString(0), r.GetString(1), r.GetString(2), r.GetString(3),
        _freeText.Open(r.GetString(0), "refund.reason", r.GetStringOrNull(4)),
        r.GetDecimal(5), Enum.Parse<RefundStatus>(r.GetString(6)), r.GetInstant(7), r.GetInstant(9), r.GetInstantOrNull(11),
        r.GetStringOrNull(13), _freeText.Open(r.GetString(0), "refund.decisionReason", r.GetStringOrNull(14)));
}
