namespace TeenMode;

/// <summary>
/// The result of every teen-mode check. A denial is a value, never an exception.
/// </summary>
/// <param name="Outcome">Allow, allow with a notice, or deny.</param>
/// <param name="Reason">The stable reason code.</param>
/// <param name="RequirementIds">The requirement ids (see <c>seeds/requirements</c>) that motivated the decision.</param>
/// <param name="Details">Numbers that help the app explain the decision; may be empty.</param>
public sealed record Decision(Outcome Outcome, ReasonCode Reason, IReadOnlyList<string> RequirementIds, DecisionDetails Details)
{
    /// <summary>True unless the outcome is <see cref="Outcome.Deny"/>.</summary>
    public bool IsAllowed => Outcome != Outcome.Deny;

    /// <summary>A plain allow with no notice.</summary>
    public static Decision Allow(DecisionDetails? details = null) =>
        new(Outcome.Allow, ReasonCode.Allowed, [], details ?? DecisionDetails.None);

    /// <summary>An allow that carries a notice the app must show.</summary>
    public static Decision AllowWithNotice(ReasonCode reason, IReadOnlyList<string> requirementIds, DecisionDetails? details = null) =>
        new(Outcome.AllowWithNotice, reason, requirementIds, details ?? DecisionDetails.None);

    /// <summary>A denial with its reason.</summary>
    public static Decision Deny(ReasonCode reason, IReadOnlyList<string> requirementIds, DecisionDetails? details = null) =>
        new(Outcome.Deny, reason, requirementIds, details ?? DecisionDetails.None);

    /// <summary>A denial that no requirement motivates (unknown subject, bad credential...).</summary>
    public static Decision Deny(ReasonCode reason) => Deny(reason, []);
}

/// <summary>Optional numbers attached to a decision.</summary>
/// <param name="RemainingSeconds">Seconds of the daily budget left, where known.</param>
/// <param name="RetryAt">When the request may succeed again, where known.</param>
public sealed record DecisionDetails(long? RemainingSeconds = null, DateTimeOffset? RetryAt = null)
{
    /// <summary>No details.</summary>
    public static DecisionDetails None { get; } = new();
}
