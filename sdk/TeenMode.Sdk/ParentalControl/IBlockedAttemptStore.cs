namespace TeenMode.ParentalControl;

/// <summary>How many times on one local day a check of one kind turned the subject away for one reason.</summary>
/// <param name="Day">The local day, in the rule pack's time zone.</param>
/// <param name="Kind">What was checked: <c>usage</c>, <c>game-play</c>, <c>game-spend</c>, <c>spend</c>, <c>feature</c> …</param>
/// <param name="Reason">The reason code of the denial.</param>
/// <param name="Count">How many denials.</param>
public sealed record BlockedAttemptCount(DateOnly Day, string Kind, ReasonCode Reason, long Count);

/// <summary>Denials to add to the counter of one subject, local day, kind and reason.</summary>
/// <param name="SubjectId">The subject.</param>
/// <param name="Day">The local day, in the rule pack's time zone.</param>
/// <param name="Kind">What was checked.</param>
/// <param name="Reason">The reason code of the denial.</param>
/// <param name="Count">How many denials to add; positive.</param>
public readonly record struct BlockedAttemptIncrement(string SubjectId, DateOnly Day, string Kind, ReasonCode Reason, long Count)
{
    /// <summary>
    /// For stores: checks the increments and sums those of one key, ordered by subject, day, kind and reason (ordinal),
    /// so concurrent batches touch rows in the same order.
    /// </summary>
    /// <exception cref="ArgumentException">A subject or kind is empty, or a count is not positive.</exception>
    public static IReadOnlyList<BlockedAttemptIncrement> Merge(IEnumerable<BlockedAttemptIncrement> increments)
    {
        ArgumentNullException.ThrowIfNull(increments);
        var sums = new Dictionary<(string, DateOnly, string, string), long>();
        foreach (var increment in increments)
        {
            ArgumentException.ThrowIfNullOrWhiteSpace(increment.SubjectId, nameof(increments));
            ArgumentException.ThrowIfNullOrWhiteSpace(increment.Kind, nameof(increments));
            if (increment.Count <= 0)
            {
                throw new ArgumentException("A count must be positive.", nameof(increments));
            }

            var key = (increment.SubjectId, increment.Day, increment.Kind, increment.Reason.Value);
            sums[key] = sums.GetValueOrDefault(key) + increment.Count;
        }

        return [.. sums
            .Select(s => new BlockedAttemptIncrement(s.Key.Item1, s.Key.Item2, s.Key.Item3, new ReasonCode(s.Key.Item4), s.Value))
            .OrderBy(i => i.SubjectId, StringComparer.Ordinal).ThenBy(i => i.Day)
            .ThenBy(i => i.Kind, StringComparer.Ordinal).ThenBy(i => i.Reason.Value, StringComparer.Ordinal)];
    }
}

/// <summary>
/// Counts denied attempts per subject, day, kind and reason, for the guardian usage report. Counters, not a
/// log of requests: what a guardian needs is "blocked 12 times by the curfew on Friday", not each request.
/// The SDK counts denials in memory and adds them here in batches from a background flush, never per request.
/// </summary>
public interface IBlockedAttemptStore
{
    /// <summary>
    /// Adds every increment to its counter of (subject, day, kind, reason) in one transaction: all of them or none.
    /// The same key may appear more than once; instances adding to the same counters at once all count.
    /// </summary>
    /// <exception cref="ArgumentException">A subject or kind is empty, or a count is not positive.</exception>
    Task AddAsync(IReadOnlyCollection<BlockedAttemptIncrement> increments, CancellationToken cancellationToken = default);

    /// <summary>The subject's counters from <paramref name="firstDay"/> to <paramref name="lastDay"/> (both included), by day, kind and reason.</summary>
    Task<IReadOnlyList<BlockedAttemptCount>> GetAsync(string subjectId, DateOnly firstDay, DateOnly lastDay, CancellationToken cancellationToken = default);
}
