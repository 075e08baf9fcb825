using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using TeenMode.Rules;

namespace TeenMode.ParentalControl;

/// <summary>Counts a gate's denials for the guardian usage report. Never changes or delays the decision's meaning.</summary>
internal sealed class BlockedAttemptRecorder(IBlockedAttemptStore store, RulePack pack, ILogger<BlockedAttemptRecorder>? logger = null)
{
    private readonly ILogger _logger = logger ?? NullLogger<BlockedAttemptRecorder>.Instance;

    /// <summary>Kinds of check, as the report names them.</summary>
    internal const string Usage = "usage", GamePlay = "game-play", GameTopUp = "game-top-up", Spend = "spend", Feature = "feature";

    public async Task RecordIfDeniedAsync(string subjectId, DateTimeOffset now, string kind, Decision decision, CancellationToken cancellationToken)
    {
        // Only a rule turning the minor away counts; an unknown subject or a store outage is not the minor's attempt.
        if (decision.IsAllowed || decision.Reason == ReasonCode.UnknownSubject || decision.Reason == ReasonCode.StoreUnavailable)
        {
            return;
        }

        try
        {
            await store.RecordAsync(subjectId, DateOnly.FromDateTime(pack.ToLocal(now)), kind, decision.Reason, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            // The denial stands either way; losing one count must not turn it into an error for the app.
            _logger.LogWarning(ex, "Could not count a blocked attempt for the guardian usage report.");
        }
    }
}
