using TeenMode.ParentalControl;

namespace TeenMode.Storage;

/// <summary>Blocked-attempt counters in process memory: for tests and demos only.</summary>
internal sealed class InMemoryBlockedAttemptStore : IBlockedAttemptStore
{
    private readonly Dictionary<(string Subject, DateOnly Day, string Kind, string Reason), long> _blocked = [];
    private readonly Lock _blockedLock = new();

    public Task AddAsync(IReadOnlyCollection<BlockedAttemptIncrement> increments, CancellationToken cancellationToken = default)
    {
        var merged = BlockedAttemptIncrement.Merge(increments);
        lock (_blockedLock)
        {
            foreach (var increment in merged)
            {
                var key = (increment.SubjectId, increment.Day, increment.Kind, increment.Reason.Value);
                _blocked[key] = _blocked.GetValueOrDefault(key) + increment.Count;
            }
        }

        return Task.CompletedTask;
    }

    public Task<IReadOnlyList<BlockedAttemptCount>> GetAsync(string subjectId, DateOnly firstDay, DateOnly lastDay, CancellationToken cancellationToken = default)
    {
        lock (_blockedLock)
        {
            IReadOnlyList<BlockedAttemptCount> rows = [.. _blocked
                .Where(e => e.Key.Subject == subjectId && e.Key.Day >= firstDay && e.Key.Day <= lastDay)
                .Select(e => new BlockedAttemptCount(e.Key.Day, e.Key.Kind, new ReasonCode(e.Key.Reason), e.Value))
                .OrderBy(r => r.Day).ThenBy(r => r.Kind, StringComparer.Ordinal).ThenBy(r => r.Reason.Value, StringComparer.Ordinal)];
            return Task.FromResult(rows);
        }
    }
}
