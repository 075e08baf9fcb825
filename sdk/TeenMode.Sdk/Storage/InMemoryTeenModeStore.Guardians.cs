using System.Collections.Concurrent;
using TeenMode.AntiAddiction;
using TeenMode.ParentalControl;

namespace TeenMode.Storage;

public sealed partial class InMemoryTeenModeStore : IGuardianBindingCodeStore, IGuardianSettingsStore
{
    private readonly Dictionary<(string Subject, string CodeHash), DateTimeOffset> _bindingCodes = [];
    private readonly Lock _bindingCodeLock = new();
    private readonly ConcurrentDictionary<string, GuardianSettings> _settings = new(StringComparer.Ordinal);
    private readonly Dictionary<(string Subject, DateOnly Date, string Category), long> _categoryDaily = [];

    public Task<(bool Counted, UsageDay Day)> AppendAsync(UsageAppend append, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(append);
        lock (_ledgerLock)
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

    public Task<IReadOnlyDictionary<string, long>> GetCategorySecondsAsync(string subjectId, DateOnly localDate, CancellationToken cancellationToken = default)
    {
        lock (_ledgerLock)
        {
            IReadOnlyDictionary<string, long> result = _categoryDaily
                .Where(e => e.Key.Subject == subjectId && e.Key.Date == localDate)
                .ToDictionary(e => e.Key.Category, e => e.Value, StringComparer.Ordinal);
            return Task.FromResult(result);
        }
    }

    public Task<IReadOnlyList<GuardianBinding>> GetForGuardianAsync(string guardianId, CancellationToken cancellationToken = default) =>
        Task.FromResult<IReadOnlyList<GuardianBinding>>(_guardians.Values.Where(b => b.GuardianId == guardianId).OrderBy(b => b.SubjectId, StringComparer.Ordinal).ToList());

    public Task<bool> RemoveAsync(string subjectId, string guardianId, CancellationToken cancellationToken = default) =>
        Task.FromResult(_guardians.TryRemove((subjectId, guardianId), out _));

    public Task SaveBindingCodeAsync(string subjectId, byte[] codeHash, DateTimeOffset expiresAt, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(codeHash);
        lock (_bindingCodeLock)
        {
            _bindingCodes[(subjectId, Convert.ToHexString(codeHash))] = expiresAt;
        }

        return Task.CompletedTask;
    }

    public Task<bool> TryConsumeBindingCodeAsync(string subjectId, byte[] codeHash, DateTimeOffset now, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(codeHash);
        lock (_bindingCodeLock)
        {
            return Task.FromResult(_bindingCodes.Remove((subjectId, Convert.ToHexString(codeHash)), out var expiresAt) && now < expiresAt);
        }
    }

    public Task<GuardianSettings?> GetSettingsAsync(string subjectId, CancellationToken cancellationToken = default) =>
        Task.FromResult(_settings.GetValueOrDefault(subjectId));

    public Task<bool> TrySaveSettingsAsync(GuardianSettings settings, long expectedVersion, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(settings);
        if (settings.Version != expectedVersion + 1)
        {
            throw new ArgumentException($"The new version must be {expectedVersion + 1}.", nameof(settings));
        }

        if (expectedVersion == 0)
        {
            return Task.FromResult(_settings.TryAdd(settings.SubjectId, settings));
        }

        return Task.FromResult(_settings.TryGetValue(settings.SubjectId, out var current)
            && current.Version == expectedVersion
            && _settings.TryUpdate(settings.SubjectId, settings, current));
    }
}
