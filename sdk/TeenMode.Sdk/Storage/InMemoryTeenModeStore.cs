using System.Collections.Concurrent;
using TeenMode.AntiAddiction;
using TeenMode.ContentPool;
using TeenMode.ParentalControl;
using TeenMode.Reporting;
using TeenMode.Subjects;

namespace TeenMode.Storage;

/// <summary>
/// Keeps everything in process memory: for tests and demos only, since nothing survives a restart
/// and nothing is shared between app instances.
/// </summary>
public sealed partial class InMemoryTeenModeStore : ISubjectStore, IUsageLedgerStore, IGuardianStore, IContentCatalog, IReportStore
{
    private readonly ConcurrentDictionary<string, Subject> _subjects = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<(string Subject, string Guardian), GuardianBinding> _guardians = new();
    private readonly ConcurrentDictionary<string, ContentItem> _items = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, ReportRecord> _reportsById = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, ReportRecord> _reportsByKey = new(StringComparer.Ordinal);
    private readonly Dictionary<(string Subject, DateOnly Date), long> _daily = [];
    private readonly Dictionary<string, (long Continuous, DateTimeOffset Last)> _continuous = new(StringComparer.Ordinal);
    private readonly HashSet<(string Subject, string Device, long Sequence)> _seen = [];
    private readonly Lock _ledgerLock = new();

    public Task<bool> TryAddAsync(Subject subject, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(subject);
        return Task.FromResult(_subjects.TryAdd(subject.Id, subject));
    }

    public Task<Subject?> GetAsync(string subjectId, CancellationToken cancellationToken = default) =>
        Task.FromResult(_subjects.GetValueOrDefault(subjectId));

    public Task<bool> SetTeenModeAsync(string subjectId, bool teenMode, CancellationToken cancellationToken = default)
    {
        while (_subjects.TryGetValue(subjectId, out var current))
        {
            if (_subjects.TryUpdate(subjectId, current with { TeenMode = teenMode }, current))
            {
                return Task.FromResult(true);
            }
        }

        return Task.FromResult(false);
    }

    public Task<(bool Counted, UsageDay Day)> AppendAsync(string subjectId, string deviceId, long sequence, DateOnly localDate,
        int seconds, DateTimeOffset at, TimeSpan breakAfter, CancellationToken cancellationToken = default) =>
        AppendAsync(new UsageAppend(subjectId, deviceId, sequence, localDate, seconds, at, breakAfter, UsageCategories.Uncategorized, true), cancellationToken);

    public Task<UsageDay> GetDayAsync(string subjectId, DateOnly localDate, CancellationToken cancellationToken = default)
    {
        lock (_ledgerLock)
        {
            return Task.FromResult(DayLocked(subjectId, localDate));
        }
    }

    public Task SaveAsync(GuardianBinding binding, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(binding);
        _guardians[(binding.SubjectId, binding.GuardianId)] = binding;
        return Task.CompletedTask;
    }

    public Task<IReadOnlyList<GuardianBinding>> GetForSubjectAsync(string subjectId, CancellationToken cancellationToken = default) =>
        Task.FromResult<IReadOnlyList<GuardianBinding>>(_guardians.Values.Where(b => b.SubjectId == subjectId).OrderBy(b => b.GuardianId, StringComparer.Ordinal).ToList());

    Task<ContentItem?> IContentCatalog.GetAsync(string itemId, CancellationToken cancellationToken) =>
        Task.FromResult(_items.GetValueOrDefault(itemId));

    public Task UpsertAsync(IEnumerable<ContentItem> items, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(items);
        foreach (var item in items)
        {
            _items[item.Id] = item;
        }

        return Task.CompletedTask;
    }

    public Task<IReadOnlyList<ContentItem>> QueryAsync(ContentQuery query, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(query);
        var matching = _items.Values.Where(query.Matches);
        var ordered = query.Order == ContentOrder.ByPopularity
            ? matching.OrderByDescending(i => i.Popularity).ThenBy(i => i.Id, StringComparer.Ordinal)
            : matching.OrderBy(i => i.Id, StringComparer.Ordinal);
        return Task.FromResult<IReadOnlyList<ContentItem>>(ordered.Take(Math.Max(query.Limit, 0)).ToList());
    }

    public Task<(ReportRecord Stored, bool Created)> AddOrGetAsync(ReportRecord record, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(record);
        var stored = _reportsByKey.GetOrAdd(record.IdempotencyKey, record);
        var created = ReferenceEquals(stored, record);
        if (created)
        {
            _reportsById[record.Id] = record;
        }

        return Task.FromResult((stored, created));
    }

    Task<ReportRecord?> IReportStore.GetAsync(string reportId, CancellationToken cancellationToken) =>
        Task.FromResult(_reportsById.GetValueOrDefault(reportId));

    private UsageDay DayLocked(string subjectId, DateOnly localDate)
    {
        var seconds = _daily.GetValueOrDefault((subjectId, localDate));
        return _continuous.TryGetValue(subjectId, out var c)
            ? new UsageDay(seconds, c.Continuous, c.Last)
            : new UsageDay(seconds, 0, null);
    }
}
