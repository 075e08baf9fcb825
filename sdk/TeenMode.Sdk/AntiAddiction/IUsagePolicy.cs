using TeenMode.Rules;

namespace TeenMode.AntiAddiction;

/// <summary>The pure time rules: curfew, daily budget, rest reminder. No I/O.</summary>
public interface IUsagePolicy
{
    /// <summary>Decides whether a subject in teen mode may use the app at <paramref name="localNow"/>.</summary>
    /// <param name="rules">The subject's band rules.</param>
    /// <param name="localNow">Now, in the rule pack's time zone.</param>
    /// <param name="day">Today's use so far.</param>
    Decision Evaluate(BandRules rules, DateTime localNow, UsageDay day);
}
