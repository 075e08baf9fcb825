using System.Collections.Concurrent;
using TeenMode.Subjects;

namespace TeenMode.Storage;

/// <summary>Subjects in process memory: for tests and demos only (nothing survives a restart).</summary>
public sealed class InMemorySubjectStore : ISubjectStore
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
}
