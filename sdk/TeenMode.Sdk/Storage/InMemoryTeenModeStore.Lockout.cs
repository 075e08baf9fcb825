using TeenMode.ParentalControl;

namespace TeenMode.Storage;

public sealed partial class InMemoryTeenModeStore : IGuardianLockoutStore
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

    public Task<GuardianLockState> RecordFailureAsync(string subjectId, DateTimeOffset at, int maxFailures, TimeSpan lockFor, CancellationToken cancellationToken = default)
    {
        lock (_lockoutLock)
        {
            var state = _locks.GetValueOrDefault(subjectId) ?? GuardianLockState.Clear;
            var next = state.IsLocked(at) ? state
                : state.Failures + 1 >= maxFailures ? new GuardianLockState(0, at + lockFor)
                : new GuardianLockState(state.Failures + 1, state.LockedUntil);
            _locks[subjectId] = next;
            return Task.FromResult(next);
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
