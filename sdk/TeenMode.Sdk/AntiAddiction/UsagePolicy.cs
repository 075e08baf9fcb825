using TeenMode.Rules;

namespace TeenMode.AntiAddiction;

/// <summary>The rule pack's time rules, in the order a guardian would expect: curfew, then budget, then rest reminder.</summary>
public sealed class UsagePolicy : IUsagePolicy
{
    /// <inheritdoc />
    public Decision Evaluate(BandRules rules, DateTime localNow, UsageDay day)
    {
        ArgumentNullException.ThrowIfNull(rules);
        ArgumentNullException.ThrowIfNull(day);
        var budget = (long)rules.DailyMinutes.Value * 60;
        var remaining = Math.Max(0, budget - day.Seconds);
        if (rules.Curfew.Contains(TimeOnly.FromDateTime(localNow)))
        {
            return Decision.Deny(ReasonCode.Curfew, rules.Curfew.RequirementIds, new DecisionDetails(remaining));
        }

        if (remaining == 0)
        {
            return Decision.Deny(ReasonCode.DailyLimitReached, rules.DailyMinutes.RequirementIds, new DecisionDetails(0));
        }

        if (day.ContinuousSeconds >= (long)rules.RestReminderMinutes.Value * 60)
        {
            return Decision.AllowWithNotice(ReasonCode.RestReminder, rules.RestReminderMinutes.RequirementIds, new DecisionDetails(remaining));
        }

        return Decision.Allow(new DecisionDetails(remaining));
    }
}
