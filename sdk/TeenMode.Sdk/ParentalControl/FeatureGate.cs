using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

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

internal sealed class FeatureGate(
    IGuardianSettings settings,
    Rules.RulePack pack,
    BlockedAttemptRecorder blocked,
    TimeProvider time,
    Storage.FailClosed failClosed,
    ILogger<FeatureGate>? logger = null) : IFeatureGate
{
    private readonly ILogger _logger = logger ?? NullLogger<FeatureGate>.Instance;

    public Task<Decision> CheckAsync(string subjectId, string feature, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(feature);
        return TeenModeTelemetry.GateAsync("feature.check", pack.Id,
            () => failClosed.DecideAsync(ct => CheckCoreAsync(subjectId, feature, ct), _logger, "Feature check", cancellationToken));
    }

    private async Task<Decision> CheckCoreAsync(string subjectId, string feature, CancellationToken cancellationToken)
    {
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
        blocked.RecordIfDenied(subjectId, time.GetUtcNow(), BlockedAttemptRecorder.Feature, decision);
        return decision;
    }
}
