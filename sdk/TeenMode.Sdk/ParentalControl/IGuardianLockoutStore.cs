namespace TeenMode.ParentalControl;

/// <summary>A subject's failed guardian verifications: how many in a row, and until when verification is locked.</summary>
/// <param name="Failures">Failures since the last success or lock.</param>
/// <param name="LockedUntil">While in the future, no credential is even checked.</param>
public sealed record GuardianLockState(int Failures, DateTimeOffset? LockedUntil)
{
    /// <summary>No failures, not locked.</summary>
    public static GuardianLockState Clear { get; } = new(0, null);

    /// <summary>True while <paramref name="now"/> is before <see cref="LockedUntil"/>.</summary>
    public bool IsLocked(DateTimeOffset now) => LockedUntil is { } until && now < until;
}

/// <summary>
/// Counts failed guardian verifications per subject, shared by every app instance, so that a minor cannot
/// guess a short PIN by trying again and again (or on another device).
/// </summary>
public interface IGuardianLockoutStore
{
    /// <summary>The subject's current state.</summary>
    Task<GuardianLockState> GetLockAsync(string subjectId, CancellationToken cancellationToken = default);

    /// <summary>
    /// Atomically counts one failure at <paramref name="at"/>; the <paramref name="maxFailures"/>-th locks verification
    /// until <paramref name="at"/> + <paramref name="lockFor"/> and restarts the count. Returns the new state.
    /// </summary>
    Task<GuardianLockState> RecordFailureAsync(string subjectId, DateTimeOffset at, int maxFailures, TimeSpan lockFor, CancellationToken cancellationToken = default);

    /// <summary>Forgets the failures after a successful verification.</summary>
    Task ClearFailuresAsync(string subjectId, CancellationToken cancellationToken = default);
}
