using System.Collections.Concurrent;
using TeenMode.Subjects;

namespace TeenMode.Storage;

/// <summary>Subjects in process memory: for tests and demos only (nothing survives a restart).</summary>
internal sealed class InMemorySubjectStore : ISubjectStore
{
    private readonly ConcurrentDictionary<string, Subject> _subjects = new(StringComparer.Ordinal);

    /// <inheritdoc />
    public Task<bool> TryAddAsync(Subject subject, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(subject);
        return Task.FromResult(_subjects.TryAdd(subject.Id, subject));
    }

    /// <inheritdoc />
    public Task<Subject?> GetAsync(string subjectId, CancellationToken cancellationToken = default) =>
        Task.FromResult(_subjects.GetValueOrDefault(subjectId));

    /// <inheritdoc />
    public Task<bool> SetTeenModeAsync(string subjectId, bool teenMode, CancellationToken cancellationToken = default) =>
        Update(subjectId, s => !teenMode && s.DeviceMinorMode ? null : s with { TeenMode = teenMode });

    /// <inheritdoc />
    public Task<bool> SetAgeAsync(string subjectId, DateOnly? birthDate, AgeBand? declaredBand, AgeSource source, CancellationToken cancellationToken = default) =>
        Update(subjectId, s => s with { BirthDate = birthDate, DeclaredBand = declaredBand, AgeSource = source });

    /// <inheritdoc />
    public Task<bool> SetRealNameAsync(string subjectId, RealNameStatus status, string? playerId, DateOnly? birthDate,
        CancellationToken cancellationToken = default) =>
        Update(subjectId, s => s.RealName == RealNameStatus.Verified && status != RealNameStatus.Verified ? null
            : birthDate is { } birth && status == RealNameStatus.Verified
                ? s with { RealName = status, RealNamePlayerId = playerId, RealNameBirthDate = birth, BirthDate = birth, DeclaredBand = null, AgeSource = AgeSource.RealNameVerified }
                : s with { RealName = status, RealNamePlayerId = playerId, RealNameBirthDate = birthDate });

    /// <inheritdoc />
    public Task<bool> SetDeviceMinorModeAsync(string subjectId, string deviceId, bool minorModeOn, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(deviceId);
        return Update(subjectId, s => minorModeOn
            ? s with { TeenMode = true, MinorModeDevices = s.MinorModeDevices.Contains(deviceId, StringComparer.Ordinal) ? s.MinorModeDevices : [.. s.MinorModeDevices, deviceId] }
            : s with { MinorModeDevices = [.. s.MinorModeDevices.Where(d => !string.Equals(d, deviceId, StringComparison.Ordinal))] });
    }

    // Compare-and-swap until the change lands; a null from the change refuses it.
    private Task<bool> Update(string subjectId, Func<Subject, Subject?> change)
    {
        ArgumentNullException.ThrowIfNull(subjectId);
        while (_subjects.TryGetValue(subjectId, out var current))
        {
            if (change(current) is not { } next)
            {
                return Task.FromResult(false);
            }

            if (_subjects.TryUpdate(subjectId, next, current))
            {
                return Task.FromResult(true);
            }
        }

        return Task.FromResult(false);
    }
}
