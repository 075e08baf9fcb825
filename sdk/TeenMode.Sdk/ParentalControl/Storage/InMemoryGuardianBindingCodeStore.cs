using TeenMode.ParentalControl;

namespace TeenMode.Storage;

/// <summary>One-time guardian binding codes in process memory: for tests and demos only.</summary>
internal sealed class InMemoryGuardianBindingCodeStore : IGuardianBindingCodeStore
{
    private readonly Dictionary<(string Subject, string CodeHash), DateTimeOffset> _codes = [];
    private readonly Lock _lock = new();

    /// <inheritdoc />
    public Task SaveBindingCodeAsync(string subjectId, byte[] codeHash, DateTimeOffset expiresAt, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(codeHash);
        lock (_lock)
        {
            _codes[(subjectId, Convert.ToHexString(codeHash))] = expiresAt;
        }

        return Task.CompletedTask;
    }

    /// <inheritdoc />
    public Task<bool> TryConsumeBindingCodeAsync(string subjectId, byte[] codeHash, DateTimeOffset now, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(codeHash);
        lock (_lock)
        {
            return Task.FromResult(_codes.Remove((subjectId, Convert.ToHexString(codeHash)), out var expiresAt) && now < expiresAt);
        }
    }
}
