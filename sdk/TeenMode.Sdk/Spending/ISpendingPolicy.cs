using TeenMode.Rules;

namespace TeenMode.Spending;

/// <summary>The pure spending rule: caps, the totals so far and an amount give a decision. No I/O.</summary>
public interface ISpendingPolicy
{
    /// <summary>Decides a payment of <paramref name="amount"/> given the caps and the day and month totals so far (refunds excluded).</summary>
    Decision Evaluate(SpendingCaps caps, SpendTotals totals, decimal amount);
}

/// <summary>
/// The caps that apply to a subject in a category. The default returns the rule pack's caps; a guardian-settings source
/// can return <c>packCaps.Tighten(guardianCaps)</c>, so guardians can only lower a cap.
/// </summary>
public interface ISpendingCapsSource
{
    /// <summary>The caps for the subject in <paramref name="band"/> and <paramref name="category"/>.</summary>
    Task<SpendingCaps> GetCapsAsync(string subjectId, AgeBand band, string category, CancellationToken cancellationToken = default);
}

/// <summary>The spending caps as the rule pack states them.</summary>
internal sealed class SpendingPolicy : ISpendingPolicy
{
    /// <inheritdoc />
    public Decision Evaluate(SpendingCaps caps, SpendTotals totals, decimal amount)
    {
        ArgumentNullException.ThrowIfNull(caps);
        ArgumentNullException.ThrowIfNull(totals);
        if (caps.NoSpending)
        {
            return Decision.Deny(ReasonCode.SpendingNotAllowed, caps.RequirementIds);
        }

        if (amount > caps.PerTransaction)
        {
            return Decision.Deny(ReasonCode.SpendOverTransactionCap, caps.RequirementIds);
        }

        if (totals.Day + amount > caps.PerDay)
        {
            return Decision.Deny(ReasonCode.SpendOverDailyCap, caps.RequirementIds);
        }

        return totals.Month + amount > caps.PerMonth
            ? Decision.Deny(ReasonCode.SpendOverMonthlyCap, caps.RequirementIds)
            : new Decision(Outcome.Allow, ReasonCode.Allowed, caps.RequirementIds, DecisionDetails.None);
    }
}

/// <summary>The rule pack's caps, unchanged.</summary>
public sealed class RulePackSpendingCapsSource(RulePack pack) : ISpendingCapsSource
{
    /// <inheritdoc />
    /// <exception cref="TeenModeConfigurationException">The pack has no spending section.</exception>
    public Task<SpendingCaps> GetCapsAsync(string subjectId, AgeBand band, string category, CancellationToken cancellationToken = default)
    {
        var rules = pack.Spending ?? throw new TeenModeConfigurationException($"Rule pack '{pack.Id}' has no spending section.");
        return Task.FromResult(rules.For(category, band));
    }
}
