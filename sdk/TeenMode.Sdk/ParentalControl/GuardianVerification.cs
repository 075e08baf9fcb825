using Microsoft.Extensions.Options;
using TeenMode.Audit;

namespace TeenMode.ParentalControl;

/// <summary>
/// Verifies a guardian credential of any kind for a subject, with one lockout for all kinds: a minor cannot
/// escape the lock by switching from PIN to another credential kind or to another device.
/// </summary>
internal sealed class GuardianVerification(
    IGuardianStore guardians,
    IEnumerable<IGuardianCredentialVerifier> verifiers,
    IGuardianLockoutStore lockouts,
    IOptions<TeenModeOptions> options,
    IAuditLog audit,
    TimeProvider time)
{
    private readonly IGuardianCredentialVerifier[] _verifiers = [.. verifiers];

    /// <summary>Allowed with the verifying guardian's id, or a denial (no guardian, no credential, locked, wrong).</summary>
    public async Task<(Decision Decision, string? GuardianId)> VerifyAsync(
        string subjectId, GuardianCredential? credential, string purpose, IReadOnlyList<string> requirementIds, CancellationToken cancellationToken)
    {
        var (refused, guardianId, attempt) = await CheckCredentialAsync(subjectId, credential, purpose, requirementIds, cancellationToken).ConfigureAwait(false);
        if (refused is not null)
        {
            return (refused, null);
        }

        await SucceededAsync(subjectId, attempt!, cancellationToken).ConfigureAwait(false);
        return (Decision.Allow(), guardianId);
    }

    /// <summary>
    /// Reserves an attempt and checks the credential, without forgetting earlier failures on success: the caller
    /// decides when the whole operation succeeded (binding also needs the minor's code) and then calls
    /// <see cref="SucceededAsync"/>. A wrong credential is counted, audited and answered here.
    /// </summary>
    public async Task<(Decision? Refused, string? GuardianId, GuardianAttemptReservation? Attempt)> CheckCredentialAsync(
        string subjectId, GuardianCredential? credential, string purpose, IReadOnlyList<string> requirementIds, CancellationToken cancellationToken)
    {
        var bindings = await guardians.GetForSubjectAsync(subjectId, cancellationToken).ConfigureAwait(false);
        if (bindings.Count == 0)
        {
            return (Decision.Deny(ReasonCode.NoGuardianBound, requirementIds), null, null);
        }

        if (credential is null || string.IsNullOrEmpty(credential.Proof))
        {
            return (Decision.Deny(ReasonCode.GuardianVerificationRequired, requirementIds), null, null);
        }

        var verifier = Array.Find(_verifiers, v => string.Equals(v.Kind, credential.Kind, StringComparison.Ordinal));
        if (verifier is null)
        {
            // A client or configuration error, not a guess: not counted toward the lockout.
            return (Decision.Deny(ReasonCode.CredentialKindUnsupported, requirementIds), null, null);
        }

        var (locked, attempt) = await ReserveAsync(subjectId, requirementIds, cancellationToken).ConfigureAwait(false);
        if (locked is not null)
        {
            return (locked, null, null);
        }

        foreach (var binding in bindings)
        {
            if (await verifier.VerifyAsync(binding, credential.Proof, cancellationToken).ConfigureAwait(false))
            {
                return (null, binding.GuardianId, attempt);
            }
        }

        return (await FailedAsync(subjectId, purpose, ReasonCode.GuardianVerificationFailed, attempt!, requirementIds, cancellationToken).ConfigureAwait(false), null, null);
    }

    /// <summary>
    /// Reserves one attempt before any secret is checked: a denial while locked (nothing checked, so the lock never
    /// answers "right" or "wrong" to a guesser), else the reservation, already counted as a failure.
    /// </summary>
    public async Task<(Decision? Locked, GuardianAttemptReservation? Attempt)> ReserveAsync(string subjectId, IReadOnlyList<string> requirementIds, CancellationToken cancellationToken)
    {
        var settings = options.Value;
        var attempt = await lockouts.TryReserveAttemptAsync(subjectId, time.GetUtcNow(), settings.GuardianMaxFailures, settings.GuardianLockout, cancellationToken).ConfigureAwait(false);
        return attempt.Reserved
            ? (null, attempt)
            : (Decision.Deny(ReasonCode.GuardianLockedOut, requirementIds, new DecisionDetails(RetryAt: attempt.State.LockedUntil)), null);
    }

    /// <summary>Forgets the failures after the whole operation succeeded (the reserved attempt included).</summary>
    public async Task SucceededAsync(string subjectId, GuardianAttemptReservation attempt, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(attempt);
        var now = time.GetUtcNow();

        // A lock set meanwhile by another attempt stays: parallel guesses must not ride on one correct answer.
        if (!attempt.State.IsLocked(now) && (await lockouts.GetLockAsync(subjectId, cancellationToken).ConfigureAwait(false)).IsLocked(now))
        {
            return;
        }

        await lockouts.ClearFailuresAsync(subjectId, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>A reserved attempt failed (wrong credential or wrong binding code): audits it and returns the denial.</summary>
    public async Task<Decision> FailedAsync(
        string subjectId, string purpose, ReasonCode reason, GuardianAttemptReservation attempt, IReadOnlyList<string> requirementIds, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(attempt);
        var now = time.GetUtcNow();

        // Failed attempts are evidence too (e.g. a minor guessing the PIN); the credential itself is never recorded.
        await audit.AppendAsync(new AuditEvent("subject:" + subjectId, "guardian-verification-failed", subjectId, purpose), cancellationToken).ConfigureAwait(false);
        var locked = attempt.State.IsLocked(now);
        if (locked)
        {
            await audit.AppendAsync(new AuditEvent("system", "guardian-verification-locked", subjectId, purpose), cancellationToken).ConfigureAwait(false);
        }

        return Decision.Deny(reason, requirementIds, locked ? new DecisionDetails(RetryAt: attempt.State.LockedUntil) : null);
    }
}
