namespace TeenMode.ParentalControl;

/// <summary>How many times on one local day a check of one kind turned the subject away for one reason.</summary>
/// <param name="Day">The local day, in the rule pack's time zone.</param>
/// <param name="Kind">What was checked: <c>usage</c>, <c>game-play</c>, <c>game-spend</c>, <c>spend</c>, <c>feature</c> …</param>
/// <param name="Reason">The reason code of the denial.</param>
/// <param name="Count">How many denials.</param>
public sealed record BlockedAttemptCount(DateOnly Day, string Kind, ReasonCode Reason, long Count);

/// <summary>
/// Counts denied attempts per subject, day, kind and reason, for the guardian usage report. Counters, not a
/// log of requests: what a guardian needs is "blocked 12 times by the curfew on Friday", not each request.
/// </summary>
public interface IBlockedAttemptStore
{
    /// <summary>Atomically adds one to the counter of (subject, day, kind, reason).</summary>
    Task RecordAsync(string subjectId, DateOnly day, string kind, ReasonCode reason, CancellationToken cancellationToken = default);

    /// <summary>The subject's counters from <paramref name="firstDay"/> to <paramref name="lastDay"/> (both included), by day, kind and reason.</summary>
    Task<IReadOnlyList<BlockedAttemptCount>> GetAsync(string subjectId, DateOnly firstDay, DateOnly lastDay, CancellationToken cancellationToken = default);
}
