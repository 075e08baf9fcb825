namespace TeenMode.AntiAddiction;

/// <summary>
/// The allocation-free form of a usage <see cref="Decision"/>, for apps that decide on every request from cached state
/// (see <see cref="UsageSnapshot"/>). <see cref="ToDecision"/> gives the same <see cref="Decision"/> the gate returns.
/// </summary>
/// <param name="Outcome">Allow, allow with a notice, or deny.</param>
/// <param name="Reason">The stable reason code.</param>
/// <param name="RequirementIds">The rule pack's own list of requirement ids (shared, not copied).</param>
/// <param name="RemainingSeconds">Seconds of the daily budget left; null when teen mode is off.</param>
public readonly record struct UsageVerdict(Outcome Outcome, ReasonCode Reason, IReadOnlyList<string> RequirementIds, long? RemainingSeconds)
{
    /// <summary>True unless the outcome is <see cref="Outcome.Deny"/>.</summary>
    public bool IsAllowed => Outcome != Outcome.Deny;

    /// <summary>The same verdict as a <see cref="Decision"/> (allocates).</summary>
    public Decision ToDecision() =>
        new(Outcome, Reason, RequirementIds ?? [], RemainingSeconds is null ? DecisionDetails.None : new DecisionDetails(RemainingSeconds));

    /// <summary>The verdict carried by <paramref name="decision"/>.</summary>
    public static UsageVerdict From(Decision decision)
    {
        ArgumentNullException.ThrowIfNull(decision);
        return new(decision.Outcome, decision.Reason, decision.RequirementIds, decision.Details.RemainingSeconds);
    }
}
