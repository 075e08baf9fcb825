using TeenMode.Rules;

namespace TeenMode.AntiAddiction;

/// <summary>The pure online-game rules: play days and hours, and spending caps. No I/O.</summary>
public interface IGamePolicy
{
    /// <summary>Decides whether a minor may play at <paramref name="localNow"/> (in the pack's time zone).</summary>
    Decision EvaluatePlay(GameRulePack rules, DateTime localNow);

    /// <summary>
    /// Decides a top-up of <paramref name="amount"/> by a minor of <paramref name="tier"/> before the monthly total is
    /// checked; the monthly cap is enforced by the ledger store, atomically.
    /// </summary>
    Decision EvaluateTopUp(GameSpendingTier tier, decimal amount);
}

/// <summary>Decides whether a subject may play an online game now, and records game top-ups against the monthly caps.</summary>
public interface IGameGate
{
    /// <summary>Whether the subject may play now.</summary>
    Task<Decision> CheckPlayAsync(string subjectId, CancellationToken cancellationToken = default);

    /// <summary>
    /// Decides a top-up and, when a minor's cap applies and it is allowed, adds it to the monthly total with the game company in the same atomic
    /// store step, so concurrent top-ups from several devices never exceed the cap.
    /// </summary>
    /// <exception cref="ArgumentException">The amount is not positive or has more than two decimals, or an id is empty.</exception>
    Task<GameTopUpResult> TopUpAsync(GameTopUp topUp, CancellationToken cancellationToken = default);
}

/// <summary>A requested game top-up.</summary>
/// <param name="SubjectId">The paying subject.</param>
/// <param name="GameCompanyId">The game company; caps are per company.</param>
/// <param name="Amount">The amount in the pack's currency, at most two decimals.</param>
/// <param name="IdempotencyKey">Optional: the client's key for this payment; a retry with the same key is counted once.</param>
public sealed record GameTopUp(string SubjectId, string GameCompanyId, decimal Amount, string? IdempotencyKey = null);

/// <summary>What a keyed spend did.</summary>
/// <param name="Added">The amount was counted (now or by the first request with this key).</param>
/// <param name="Total">The month total after the (first) request.</param>
/// <param name="Replayed">The key was seen before: nothing was counted now; the first answer is returned.</param>
/// <param name="KeyConflict">The key was seen before with another company, month or amount: nothing was counted.</param>
public sealed record GameSpendOutcome(bool Added, decimal Total, bool Replayed, bool KeyConflict);

/// <summary>The outcome of a top-up.</summary>
/// <param name="Decision">Allowed (and recorded) or denied (nothing recorded).</param>
/// <param name="Month">The local month counted, <c>yyyy-MM</c>.</param>
/// <param name="MonthTotal">This month's total with the company after the decision, when known.</param>
/// <param name="MonthlyCap">The subject's monthly cap, or null when no cap applies (adult) or no payment is allowed.</param>
public sealed record GameTopUpResult(Decision Decision, string Month, decimal? MonthTotal, decimal? MonthlyCap)
{
    /// <summary>The same idempotency key was used before: this is the first request's answer, and nothing was counted now.</summary>
    public bool Replayed { get; init; }
}

/// <summary>A subject's game spending per game company per local month.</summary>
public interface IGameSpendLedgerStore
{
    /// <summary>
    /// Atomically adds <paramref name="amount"/> to the total of (subject, company, month) unless the result would exceed
    /// <paramref name="monthlyCap"/>; with no cap (null) it always adds. Returns whether it added and the total afterwards.
    /// </summary>
    Task<(bool Added, decimal Total)> TryAddSpendAsync(string subjectId, string gameCompanyId, string month, decimal amount,
        decimal? monthlyCap, CancellationToken cancellationToken = default);

    /// <summary>
    /// Like <see cref="TryAddSpendAsync"/>, but at most once per (subject, <paramref name="idempotencyKey"/>): a client
    /// that retries a payment after a timeout must not be charged against the cap twice. Atomic with the add.
    /// </summary>
    Task<GameSpendOutcome> TryAddSpendOnceAsync(string subjectId, string gameCompanyId, string month, decimal amount,
        decimal? monthlyCap, string idempotencyKey, CancellationToken cancellationToken = default);

    /// <summary>The total of (subject, company, month); zero when nothing was spent.</summary>
    Task<decimal> GetSpendAsync(string subjectId, string gameCompanyId, string month, CancellationToken cancellationToken = default);
}
