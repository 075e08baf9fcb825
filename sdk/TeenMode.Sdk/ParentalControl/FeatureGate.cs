namespace TeenMode.ParentalControl;

/// <summary>Whether a subject may use a feature (stranger DMs, live tipping, comments, posting …) now.</summary>
public interface IFeatureGate
{
    /// <summary>
    /// Allowed when teen mode is off, or when the feature is on for the subject (teen-mode default or guardian choice).
    /// Denied with <c>feature-disabled</c> otherwise, and with <c>unknown-feature</c> when the rule pack names no such feature.
    /// </summary>
    Task<Decision> CheckAsync(string subjectId, string feature, CancellationToken cancellationToken = default);
}

internal sealed class FeatureGate(IGuardianSettings settings, Rules.RulePack pack, BlockedAttemptRecorder blocked, TimeProvider time) : IFeatureGate
{
    public async Task<Decision> CheckAsync(string subjectId, string feature, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(feature);
        var effective = await settings.GetEffectiveAsync(subjectId, cancellationToken).ConfigureAwait(false);
        if (effective is null)
        {
            return Decision.Deny(ReasonCode.UnknownSubject);
        }

        if (pack.Guardian?.Features.GetValueOrDefault(feature) is not { } rule)
        {
            return Decision.Deny(ReasonCode.UnknownFeature);
        }

        if (!effective.TeenMode)
        {
            return new Decision(Outcome.Allow, ReasonCode.TeenModeOff, [], DecisionDetails.None);
        }

        var decision = effective.Features[feature]
            ? Decision.Allow()
            : Decision.Deny(ReasonCode.FeatureDisabled, rule.RequirementIds);
        await blocked.RecordIfDeniedAsync(subjectId, time.GetUtcNow(), BlockedAttemptRecorder.Feature, decision, cancellationToken).ConfigureAwait(false);
        return decision;
    }
}
