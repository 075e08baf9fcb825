namespace TeenMode.Rules;

// Spending caps per app category (issue 3); online games keep their own pack.
public sealed partial class RulePack
{
    /// <summary>Spending caps per app category and band, or null when the pack has no spending section.</summary>
    public SpendingRules? Spending { get; internal init; }
}
