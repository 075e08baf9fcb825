using TeenMode.Rules;

namespace TeenMode.AntiAddiction;

/// <summary>The NPPA-style game rules as the games pack states them.</summary>
public sealed class GamePolicy : IGamePolicy
{
    // Far enough to reach past the longest holiday run plus a weekend; beyond it RetryAt is simply left out.
    private const int RetrySearchDays = 21;

    /// <inheritdoc />
    public Decision EvaluatePlay(GameRulePack rules, DateTime localNow)
    {
        ArgumentNullException.ThrowIfNull(rules);
        var window = rules.PlayWindow;
        var date = DateOnly.FromDateTime(localNow);
        if (!rules.Calendar.TryGetKind(date, out var kind))
        {
            return Decision.Deny(ReasonCode.GameCalendarMissing, window.RequirementIds);
        }

        var details = new DecisionDetails(RetryAt: NextWindowStart(rules, localNow));
        if (kind == CalendarDayKind.MakeUpWorkday)
        {
            return Decision.Deny(ReasonCode.GameMakeupWorkday, window.RequirementIds, details);
        }

        if (kind != CalendarDayKind.Holiday && !window.Days.Contains(date.DayOfWeek))
        {
            return Decision.Deny(ReasonCode.GameNotPlayDay, window.RequirementIds, details);
        }

        var time = TimeOnly.FromDateTime(localNow);
        if (time < window.Start || time >= window.End)
        {
            return Decision.Deny(ReasonCode.GameOutsidePlayWindow, window.RequirementIds, details);
        }

        var end = localNow.Date + window.End.ToTimeSpan();
        return new Decision(Outcome.Allow, ReasonCode.Allowed, window.RequirementIds,
            new DecisionDetails(RemainingSeconds: (long)(end - localNow).TotalSeconds));
    }

    /// <inheritdoc />
    public Decision EvaluateTopUp(GameSpendingTier tier, decimal amount)
    {
        ArgumentNullException.ThrowIfNull(tier);
        if (tier.NoPayment)
        {
            return Decision.Deny(ReasonCode.GamePaymentUnder8, tier.RequirementIds);
        }

        return amount > tier.PerTopUp
            ? Decision.Deny(ReasonCode.SpendOverTransactionCap, tier.RequirementIds)
            : new Decision(Outcome.Allow, ReasonCode.Allowed, tier.RequirementIds, DecisionDetails.None);
    }

    // The next window start after localNow, as an instant; null when the calendar runs out first.
    private static DateTimeOffset? NextWindowStart(GameRulePack rules, DateTime localNow)
    {
        var window = rules.PlayWindow;
        for (var i = 0; i <= RetrySearchDays; i++)
        {
            var date = DateOnly.FromDateTime(localNow).AddDays(i);
            if (!rules.Calendar.TryGetKind(date, out var kind))
            {
                return null;
            }

            var playDay = kind == CalendarDayKind.Holiday || (kind == CalendarDayKind.Ordinary && window.Days.Contains(date.DayOfWeek));
            var start = date.ToDateTime(window.Start);
            if (playDay && start > localNow)
            {
                return new DateTimeOffset(start, rules.TimeZone.GetUtcOffset(start)).ToUniversalTime();
            }
        }

        return null;
    }
}
