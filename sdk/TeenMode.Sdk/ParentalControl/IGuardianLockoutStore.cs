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

    /// <summary>The state after one more counted attempt on an unlocked <paramref name="state"/>: the rule every store applies.</summary>
    public static GuardianLockState AfterAttempt(GuardianLockState state, DateTimeOffset at, int maxFailures, TimeSpan lockFor)
    {
        ArgumentNullException.ThrowIfNull(state);
        return state.Failures + 1 >= maxFailures
            ? new GuardianLockState(0, at + lockFor)
            : new GuardianLockState(state.Failures + 1, state.LockedUntil);
    }
}

/// <summary>The outcome of <see cref="IGuardianLockoutStore.TryReserveAttemptAsync"/>.</summary>
/// <param name="Reserved">False while the subject is locked: the credential must not be checked.</param>
/// <param name="State">The state after the reservation (locked by this attempt if it was the last one allowed).</param>
public sealed record GuardianAttemptReservation(bool Reserved, GuardianLockState State);

/// <summary>
/// Counts failed guardian verifications per subject, shared by every app instance, so that a minor cannot
/// guess a short PIN by trying again and again (or on another device).
/// </summary>
public interface IGuardianLockoutStore
{
    /// <summary>The subject's current state.</summary>
    Task<GuardianLockState> GetLockAsync(string subjectId, CancellationToken cancellationToken = default);

    /// <summary>
    /// Atomically reserves one verification attempt at <paramref name="at"/>, before the credential is checked, so
    /// that parallel guesses cannot all pass a lock that is only written after each check. While locked nothing is
    /// reserved. Otherwise the attempt counts as a failure up front; the <paramref name="maxFailures"/>-th locks
    /// until <paramref name="at"/> + <paramref name="lockFor"/> and restarts the count. A correct credential then
    /// calls <see cref="ClearFailuresAsync"/>.
    /// </summary>
    Task<GuardianAttemptReservation> TryReserveAttemptAsync(string subjectId, DateTimeOffset at, int maxFailures, TimeSpan lockFor, CancellationToken cancellationToken = default);

    /// <summary>Forgets the failures after a successful verification.</summary>
    Task ClearFailuresAsync(string subjectId, CancellationToken cancellationToken = default);
}
