using System.Collections.Concurrent;
using TeenMode.ParentalControl;

namespace TeenMode.Storage;

/// <summary>Guardian bindings in process memory: for tests and demos only.</summary>
internal sealed class InMemoryGuardianStore : IGuardianStore
{
    private readonly ConcurrentDictionary<(string Subject, string Guardian), GuardianBinding> _bindings = new();

    /// <inheritdoc />
    public Task SaveAsync(GuardianBinding binding, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(binding);
        _bindings[(binding.SubjectId, binding.GuardianId)] = binding;
        return Task.CompletedTask;
    }

    /// <inheritdoc />
    public Task<IReadOnlyList<GuardianBinding>> GetForSubjectAsync(string subjectId, CancellationToken cancellationToken = default) =>
        Task.FromResult<IReadOnlyList<GuardianBinding>>(_bindings.Values.Where(b => b.SubjectId == subjectId).OrderBy(b => b.GuardianId, StringComparer.Ordinal).ToList());

    /// <inheritdoc />
    public Task<IReadOnlyList<GuardianBinding>> GetForGuardianAsync(string guardianId, CancellationToken cancellationToken = default) =>
        Task.FromResult<IReadOnlyList<GuardianBinding>>(_bindings.Values.Where(b => b.GuardianId == guardianId).OrderBy(b => b.SubjectId, StringComparer.Ordinal).ToList());

    /// <inheritdoc />
    public Task<bool> RemoveAsync(string subjectId, string guardianId, CancellationToken cancellationToken = default) =>
        Task.FromResult(_bindings.TryRemove((subjectId, guardianId), out _));
}
