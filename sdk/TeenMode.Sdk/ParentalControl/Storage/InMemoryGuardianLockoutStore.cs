using TeenMode.ParentalControl;

namespace TeenMode.Storage;

/// <summary>Guardian-verification lockouts in process memory: for tests and demos only.</summary>
internal sealed class InMemoryGuardianLockoutStore : IGuardianLockoutStore
{
    private readonly Dictionary<string, GuardianLockState> _locks = new(StringComparer.Ordinal);
    private readonly Lock _lockoutLock = new();

    public Task<GuardianLockState> GetLockAsync(string subjectId, CancellationToken cancellationToken = default)
    {
        lock (_lockoutLock)
        {
            return Task.FromResult(_locks.GetValueOrDefault(subjectId) ?? GuardianLockState.Clear);
        }
    }

    public Task<GuardianAttemptReservation> TryReserveAttemptAsync(string subjectId, DateTimeOffset at, int maxFailures, TimeSpan lockFor, CancellationToken cancellationToken = default)
    {
        lock (_lockoutLock)
        {
            var state = _locks.GetValueOrDefault(subjectId) ?? GuardianLockState.Clear;
            if (state.IsLocked(at))
            {
                return Task.FromResult(new GuardianAttemptReservation(false, state));
            }

            var next = GuardianLockState.AfterAttempt(state, at, maxFailures, lockFor);
            _locks[subjectId] = next;
            return Task.FromResult(new GuardianAttemptReservation(true, next));
        }
    }

    public Task ClearFailuresAsync(string subjectId, CancellationToken cancellationToken = default)
    {
        lock (_lockoutLock)
        {
            _locks.Remove(subjectId);
            return Task.CompletedTask;
        }
    }
}
