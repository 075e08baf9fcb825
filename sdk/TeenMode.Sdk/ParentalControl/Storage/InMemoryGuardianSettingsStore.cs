using System.Collections.Concurrent;
using TeenMode.ParentalControl;

namespace TeenMode.Storage;

/// <summary>Guardian settings (versioned, compare-and-set) in process memory: for tests and demos only.</summary>
internal sealed class InMemoryGuardianSettingsStore : IGuardianSettingsStore
{
    private readonly ConcurrentDictionary<string, GuardianSettings> _settings = new(StringComparer.Ordinal);

    /// <inheritdoc />
    public Task<GuardianSettings?> GetSettingsAsync(string subjectId, CancellationToken cancellationToken = default) =>
        Task.FromResult(_settings.GetValueOrDefault(subjectId));

    /// <inheritdoc />
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
