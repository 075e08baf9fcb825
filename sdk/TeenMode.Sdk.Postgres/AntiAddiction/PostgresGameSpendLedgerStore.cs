using TeenMode.AntiAddiction;
using TeenMode.Postgres.Internal;

namespace TeenMode.Postgres.AntiAddiction;

/// <summary>
/// Game top-ups in PostgreSQL: the monthly total per (subject, game company) as exact <c>numeric</c> money.
/// </summary>
/// <remarks>
/// Check-and-add runs under a per-subject transaction-scoped advisory lock (<c>pg_advisory_xact_lock</c>): a row lock
/// cannot guard a month that has no row yet, and the idempotency key lookup must be covered too. Two devices paying at
/// once, on any app instances, are serialised, so the cap is never passed and a key is counted once.
/// </remarks>
public sealed class PostgresGameSpendLedgerStore(PostgresDatabase database) : IGameSpendLedgerStore
{
    /// <inheritdoc />
    public Task<(bool Added, decimal Total)> TryAddSpendAsync(string subjectId, string gameCompanyId, string month, decimal amount,
        decimal? monthlyCap, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(subjectId);
        ArgumentNullException.ThrowIfNull(gameCompanyId);
        ArgumentNullException.ThrowIfNull(month);
        Sql.CheckCents(amount, nameof(amount));
        return database.InTransactionAsync(async (session, ct) =>
        {
            await session.LockAsync(LockScope.GameSpend, subjectId, ct).ConfigureAwait(false);
            return await AddWithinCapAsync(session, subjectId, gameCompanyId, month, amount, monthlyCap, ct).ConfigureAwait(false);
        }, cancellationToken);
    }

    /// <inheritdoc />
    public Task<GameSpendOutcome> TryAddSpendOnceAsync(string subjectId, string gameCompanyId, string month, decimal amount,
        decimal? monthlyCap, string idempotencyKey, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(subjectId);
        ArgumentNullException.ThrowIfNull(gameCompanyId);
        ArgumentNullException.ThrowIfNull(month);
        ArgumentNullException.ThrowIfNull(idempotencyKey);
        Sql.CheckCents(amount, nameof(amount));
        return database.InTransactionAsync(async (session, ct) =>
        {
            await session.LockAsync(LockScope.GameSpend, subjectId, ct).ConfigureAwait(false);
            var seen = await session.QueryAsync(
                "SELECT game_company_id, month, amount, added, total_after FROM game_top_up_keys WHERE subject_id = @subject AND idempotency_key = @key;",
                c => c.Text("subject", subjectId).Text("key", idempotencyKey),
                r => (Company: r.GetString(0), Month: r.GetString(1), Amount: r.GetDecimal(2), Added: r.GetBoolean(3), Total: r.GetDecimal(4)), ct).ConfigureAwait(false);
            if (seen.Count == 1)
            {
                var first = seen[0];
                var same = first.Company == gameCompanyId && first.Month == month && first.Amount == amount;
                return new GameSpendOutcome(same && first.Added, first.Total, Replayed: same, KeyConflict: !same);
            }

            var (added, total) = await AddWithinCapAsync(session, subjectId, gameCompanyId, month, amount, monthlyCap, ct).ConfigureAwait(false);
            await session.ExecuteAsync("""
                INSERT INTO game_top_up_keys (subject_id, idempotency_key, game_company_id, month, amount, added, total_after)
                VALUES (@subject, @key, @company, @month, @amount, @added, @total);
                """,
                c => c.Text("subject", subjectId).Text("key", idempotencyKey).Text("company", gameCompanyId).Text("month", month)
                    .Money("amount", amount).Bool("added", added).Money("total", total), ct).ConfigureAwait(false);
            return new GameSpendOutcome(added, total, Replayed: false, KeyConflict: false);
        }, cancellationToken);
    }

    /// <inheritdoc />
    public async Task<decimal> GetSpendAsync(string subjectId, string gameCompanyId, string month, CancellationToken cancellationToken = default)
    {
        var rows = await database.QueryAsync(ReadSql, c => Bind(c, subjectId, gameCompanyId, month), r => r.GetDecimal(0), cancellationToken).ConfigureAwait(false);
        return rows.Count == 0 ? 0m : rows[0];
    }

    private const string ReadSql = "SELECT amount FROM game_spend_months WHERE subject_id = @subject AND game_company_id = @company AND month = @month;";

    // Inside the subject's lock: reads the month total and adds unless the cap would be passed.
    private static async Task<(bool Added, decimal Total)> AddWithinCapAsync(PgSession session, string subjectId, string gameCompanyId, string month,
        decimal amount, decimal? cap, CancellationToken cancellationToken)
    {
        var rows = await session.QueryAsync(ReadSql, c => Bind(c, subjectId, gameCompanyId, month), r => r.GetDecimal(0), cancellationToken).ConfigureAwait(false);
        var total = rows.Count == 0 ? 0m : rows[0];
        if (cap is { } limit && total + amount > limit)
        {
            return (false, total);
        }

        await session.ExecuteAsync("""
            INSERT INTO game_spend_months (subject_id, game_company_id, month, amount) VALUES (@subject, @company, @month, @add)
            ON CONFLICT (subject_id, game_company_id, month) DO UPDATE SET amount = game_spend_months.amount + excluded.amount;
            """,
            c => Bind(c, subjectId, gameCompanyId, month).Money("add", amount), cancellationToken).ConfigureAwait(false);
        return (true, total + amount);
    }

    private static Npgsql.NpgsqlCommand Bind(Npgsql.NpgsqlCommand command, string subjectId, string gameCompanyId, string month) =>
        command.Text("subject", subjectId).Text("company", gameCompanyId).Text("month", month);
}
