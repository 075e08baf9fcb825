using TeenMode.Rules;

namespace TeenMode.Spending;

/// <summary>A payment a subject wants to make in an app category other than online games.</summary>
/// <param name="SubjectId">The paying subject.</param>
/// <param name="Category">The app category, one of the rule pack's spending categories (e.g. <c>live-streaming</c>).</param>
/// <param name="Amount">The amount in the pack's currency, positive, at most two decimals.</param>
/// <param name="ItemId">Optional: what is bought (a gift, a course), for the guardian's report.</param>
/// <param name="IdempotencyKey">Optional: the client's key for this payment; a retry with the same key is counted once.</param>
public sealed record SpendRequest(string SubjectId, string Category, decimal Amount, string? ItemId = null, string? IdempotencyKey = null);

/// <summary>A recorded spend.</summary>
/// <param name="Id">The spend id (a refund request names it).</param>
/// <param name="SubjectId">Who paid.</param>
/// <param name="Category">The app category.</param>
/// <param name="Amount">The amount.</param>
/// <param name="Currency">The ISO currency.</param>
/// <param name="ItemId">What was bought, if given.</param>
/// <param name="SpentAt">When it was recorded.</param>
/// <param name="LocalDate">The local day it counts on (rule pack time zone).</param>
/// <param name="Month">The local month it counts on, <c>yyyy-MM</c>.</param>
/// <param name="IdempotencyKey">The client's key, if any.</param>
/// <param name="RefundedAt">When an approved refund reversed it; a refunded spend no longer counts against the caps.</param>
public sealed record SpendRecord(
    string Id,
    string SubjectId,
    string Category,
    decimal Amount,
    string Currency,
    string? ItemId,
    DateTimeOffset SpentAt,
    DateOnly LocalDate,
    string Month,
    string? IdempotencyKey,
    DateTimeOffset? RefundedAt = null);

/// <summary>What counts against the caps: the totals of one subject in one category for one local day and month, refunds excluded.</summary>
public sealed record SpendTotals(decimal Day, decimal Month)
{
    /// <summary>Nothing spent.</summary>
    public static SpendTotals Zero { get; } = new(0m, 0m);
}

/// <summary>
/// The ceiling a conditional spend write keeps: the spend is recorded only when the day total plus its amount stays at or
/// under <paramref name="PerDay"/> and the month total plus its amount at or under <paramref name="PerMonth"/>. The core
/// computes it from the caps; the store only compares.
/// </summary>
/// <param name="PerDay">The most the day total may reach.</param>
/// <param name="PerMonth">The most the month total may reach.</param>
public readonly record struct SpendLimit(decimal PerDay, decimal PerMonth)
{
    /// <summary>The limit of <paramref name="caps"/>.</summary>
    public static SpendLimit Of(SpendingCaps caps)
    {
        ArgumentNullException.ThrowIfNull(caps);
        return new SpendLimit(caps.PerDay, caps.PerMonth);
    }

    /// <summary>True when <paramref name="amount"/> on top of <paramref name="totals"/> stays within the limit.</summary>
    public bool Admits(SpendTotals totals, decimal amount)
    {
        ArgumentNullException.ThrowIfNull(totals);
        return totals.Day + amount <= PerDay && totals.Month + amount <= PerMonth;
    }
}

/// <summary>What the ledger did with one spend: facts only; the core turns them into a decision.</summary>
/// <param name="Spend">The recorded spend (new or, for a replay, the first), or null when nothing was recorded.</param>
/// <param name="Totals">The totals after the step when recorded or replayed; the totals that refused it otherwise.</param>
/// <param name="Replayed">The key was seen before with the same payment: nothing was recorded now.</param>
/// <param name="KeyConflict">The key was seen before with another payment: nothing was recorded.</param>
public sealed record SpendAttempt(SpendRecord? Spend, SpendTotals Totals, bool Replayed = false, bool KeyConflict = false)
{
    /// <summary>True when this call recorded the spend now.</summary>
    public bool Recorded => Spend is not null && !Replayed;
}

/// <summary>The outcome of a spend.</summary>
/// <param name="Decision">Allowed (and recorded) or denied (nothing recorded).</param>
/// <param name="Spend">The recorded spend, when one was recorded (or replayed).</param>
/// <param name="LocalDate">The local day counted.</param>
/// <param name="Month">The local month counted, <c>yyyy-MM</c>.</param>
/// <param name="Totals">The day and month totals in the category after the decision, when caps apply.</param>
/// <param name="Caps">The caps that applied, or null when none apply (adult, or teen mode off without a known age).</param>
public sealed record SpendResult(Decision Decision, SpendRecord? Spend, DateOnly LocalDate, string Month, SpendTotals? Totals, SpendingCaps? Caps)
{
    /// <summary>The same idempotency key was used before for this payment: this is the first answer, and nothing was counted now.</summary>
    public bool Replayed { get; init; }
}

/// <summary>Where a refund request stands.</summary>
public enum RefundStatus
{
    /// <summary>Filed; the platform has not decided yet.</summary>
    Pending,

    /// <summary>Approved: the spend is marked refunded and no longer counts against the caps.</summary>
    Approved,

    /// <summary>Refused, with a written reason.</summary>
    Refused,
}

/// <summary>A guardian's request to refund a spend the minor made without consent.</summary>
/// <param name="Id">The refund request id (the receipt number).</param>
/// <param name="SpendId">The spend to refund; one request per spend.</param>
/// <param name="SubjectId">The minor who paid.</param>
/// <param name="GuardianId">The guardian who filed it.</param>
/// <param name="Reason">The guardian's words, if any.</param>
/// <param name="Amount">The spend's amount.</param>
/// <param name="Status">Where it stands.</param>
/// <param name="FiledAt">When it was filed.</param>
/// <param name="DueAt">When the platform promised a decision (a platform option, not a regulatory deadline).</param>
/// <param name="DecidedAt">When it was approved or refused.</param>
/// <param name="DecidedBy">Who decided.</param>
/// <param name="DecisionReason">The written reason of a refusal (or a note on an approval).</param>
public sealed record RefundRequest(
    string Id,
    string SpendId,
    string SubjectId,
    string GuardianId,
    string? Reason,
    decimal Amount,
    RefundStatus Status,
    DateTimeOffset FiledAt,
    DateTimeOffset DueAt,
    DateTimeOffset? DecidedAt = null,
    string? DecidedBy = null,
    string? DecisionReason = null);

/// <summary>The outcome of filing or deciding a refund request.</summary>
/// <param name="Decision">Allowed, or the reason it was refused (unknown spend, not a bound guardian, reason missing, already decided…).</param>
/// <param name="Request">The request as stored after the step, when there is one.</param>
/// <param name="Created">Filing only: true when this call filed it, false when the same spend's request already existed.</param>
public sealed record RefundResult(Decision Decision, RefundRequest? Request, bool Created = false);

/// <summary>A subject's spends and refund requests in a time range, for the guardian's usage report.</summary>
/// <param name="SubjectId">The subject.</param>
/// <param name="From">Start of the range (inclusive).</param>
/// <param name="To">End of the range (exclusive).</param>
/// <param name="Currency">The currency of the amounts.</param>
/// <param name="Spends">Spends recorded in the range, oldest first.</param>
/// <param name="Refunds">Refund requests filed in the range, oldest first.</param>
public sealed record SpendingStatement(string SubjectId, DateTimeOffset From, DateTimeOffset To, string Currency,
    IReadOnlyList<SpendRecord> Spends, IReadOnlyList<RefundRequest> Refunds);
