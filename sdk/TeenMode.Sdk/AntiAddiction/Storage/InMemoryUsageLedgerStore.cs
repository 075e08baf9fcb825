using TeenMode.AntiAddiction;

namespace TeenMode.Storage;

/// <summary>
/// The usage ledger in process memory: for tests and demos only. One lock makes the duplicate check, the daily sum and
/// the continuous-use update one step.
/// </summary>
internal sealed class InMemoryUsageLedgerStore : IUsageLedgerStore
{
    private readonly Dictionary<(string Subject, DateOnly Date), long> _daily = [];
    private readonly Dictionary<(string Subject, DateOnly Date, string Category), long> _categoryDaily = [];
    private readonly Dictionary<string, (long Continuous, DateTimeOffset Last)> _continuous = new(StringComparer.Ordinal);
    private readonly HashSet<(string Subject, string Device, long Sequence)> _seen = [];
    private readonly Lock _lock = new();

    /// <inheritdoc />
    public Task<(bool Counted, UsageDay Day)> AppendAsync(string subjectId, string deviceId, long sequence, DateOnly localDate,
        int seconds, DateTimeOffset at, TimeSpan breakAfter, CancellationToken cancellationToken = default) =>
        AppendAsync(new UsageAppend(subjectId, deviceId, sequence, localDate, seconds, at, breakAfter, UsageCategories.Uncategorized, true), cancellationToken);

    /// <inheritdoc />
    public Task<(bool Counted, UsageDay Day)> AppendAsync(UsageAppend append, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(append);
        lock (_lock)
        {
            var counted = _seen.Add((append.SubjectId, append.DeviceId, append.Sequence));
            if (counted)
            {
                var key = (append.SubjectId, append.LocalDate, append.Category);
                _categoryDaily[key] = _categoryDaily.GetValueOrDefault(key) + append.Seconds;
                if (append.CountsTowardBudget)
                {
                    _daily[(append.SubjectId, append.LocalDate)] = _daily.GetValueOrDefault((append.SubjectId, append.LocalDate)) + append.Seconds;
                    var continuous = _continuous.TryGetValue(append.SubjectId, out var c)
                        ? ContinuousUse.After(c.Continuous, c.Last, append.At, append.Seconds, append.BreakAfter)
                        : append.Seconds;
                    _continuous[append.SubjectId] = (continuous, append.At);
                }
            }

            return Task.FromResult((counted, DayLocked(append.SubjectId, append.LocalDate)));
        }
    }

    /// <inheritdoc />
    public Task<IReadOnlyDictionary<string, long>> GetCategorySecondsAsync(string subjectId, DateOnly localDate, CancellationToken cancellationToken = default)
    {
        lock (_lock)
        {
            IReadOnlyDictionary<string, long> result = _categoryDaily
                .Where(e => e.Key.Subject == subjectId && e.Key.Date == localDate)
                .ToDictionary(e => e.Key.Category, e => e.Value, StringComparer.Ordinal);
            return Task.FromResult(result);
        }
    }

    /// <inheritdoc />
    public Task<UsageDay> GetDayAsync(string subjectId, DateOnly localDate, CancellationToken cancellationToken = default)
    {
        lock (_lock)
        {
            return Task.FromResult(DayLocked(subjectId, localDate));
        }
    }

    private UsageDay DayLocked(string subjectId, DateOnly localDate)
    {
        var seconds = _daily.GetValueOrDefault((subjectId, localDate));
        return _continuous.TryGetValue(subjectId, out var c)
            ? new UsageDay(seconds, c.Continuous, c.Last)
            : new UsageDay(seconds, 0, null);
    }
}
