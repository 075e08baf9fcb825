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
        return Decide(rules, TimeOnly.FromDateTime(localNow), day.Seconds, day.ContinuousSeconds).ToDecision();
    }

    /// <summary>
    /// The time rules themselves, without allocating: the one implementation behind <see cref="Evaluate"/> and
    /// <see cref="UsageSnapshot.Decide"/>.
    /// </summary>
    /// <param name="rules">The subject's effective band rules (guardian limit and curfew included).</param>
    /// <param name="localTime">Now, in the rule pack's time zone.</param>
    /// <param name="daySeconds">Seconds counted toward today's budget.</param>
    /// <param name="continuousSeconds">Seconds of use since the last break.</param>
    public static UsageVerdict Decide(BandRules rules, TimeOnly localTime, long daySeconds, long continuousSeconds)
    {
        ArgumentNullException.ThrowIfNull(rules);
        var budget = (long)rules.DailyMinutes.Value * 60;
        var remaining = Math.Max(0, budget - daySeconds);
        if (rules.Curfew.Contains(localTime))
        {
            return new(Outcome.Deny, ReasonCode.Curfew, rules.Curfew.RequirementIds, remaining);
        }

        if (remaining == 0)
        {
            return new(Outcome.Deny, ReasonCode.DailyLimitReached, rules.DailyMinutes.RequirementIds, 0);
        }

        if (continuousSeconds >= (long)rules.RestReminderMinutes.Value * 60)
        {
            return new(Outcome.AllowWithNotice, ReasonCode.RestReminder, rules.RestReminderMinutes.RequirementIds, remaining);
        }

        return new(Outcome.Allow, ReasonCode.Allowed, Array.Empty<string>(), remaining);
    }
}
