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
        var bindings = await guardians.GetForSubjectAsync(subjectId, cancellationToken).ConfigureAwait(false);
        if (bindings.Count == 0)
        {
            return (Decision.Deny(ReasonCode.NoGuardianBound, requirementIds), null);
        }

        if (credential is null || string.IsNullOrEmpty(credential.Proof))
        {
            return (Decision.Deny(ReasonCode.GuardianVerificationRequired, requirementIds), null);
        }

        var verifier = Array.Find(_verifiers, v => string.Equals(v.Kind, credential.Kind, StringComparison.Ordinal));
        if (verifier is null)
        {
            // A client or configuration error, not a guess: not counted toward the lockout.
            return (Decision.Deny(ReasonCode.CredentialKindUnsupported, requirementIds), null);
        }

        var locked = await CheckLockAsync(subjectId, requirementIds, cancellationToken).ConfigureAwait(false);
        if (locked is not null)
        {
            return (locked, null);
        }

        foreach (var binding in bindings)
        {
            if (await verifier.VerifyAsync(binding, credential.Proof, cancellationToken).ConfigureAwait(false))
            {
                await ClearAsync(subjectId, cancellationToken).ConfigureAwait(false);
                return (Decision.Allow(), binding.GuardianId);
            }
        }

        return (await RecordFailureAsync(subjectId, purpose, ReasonCode.GuardianVerificationFailed, requirementIds, cancellationToken).ConfigureAwait(false), null);
    }

    /// <summary>A denial while the subject's verification is locked, else null.</summary>
    public async Task<Decision?> CheckLockAsync(string subjectId, IReadOnlyList<string> requirementIds, CancellationToken cancellationToken)
    {
        var state = await lockouts.GetLockAsync(subjectId, cancellationToken).ConfigureAwait(false);

        // Not even checked while locked: otherwise the lock would still answer "right" or "wrong" to a guesser.
        return state.IsLocked(time.GetUtcNow())
            ? Decision.Deny(ReasonCode.GuardianLockedOut, requirementIds, new DecisionDetails(RetryAt: state.LockedUntil))
            : null;
    }

    /// <summary>Forgets earlier failures after a success.</summary>
    public async Task ClearAsync(string subjectId, CancellationToken cancellationToken)
    {
        if ((await lockouts.GetLockAsync(subjectId, cancellationToken).ConfigureAwait(false)).Failures > 0)
        {
            await lockouts.ClearFailuresAsync(subjectId, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>Counts a failed attempt (wrong credential or wrong binding code), audits it, and returns the denial.</summary>
    public async Task<Decision> RecordFailureAsync(string subjectId, string purpose, ReasonCode reason, IReadOnlyList<string> requirementIds, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        var settings = options.Value;
        var after = await lockouts.RecordFailureAsync(subjectId, now, settings.GuardianMaxFailures, settings.GuardianLockout, cancellationToken).ConfigureAwait(false);

        // Failed attempts are evidence too (e.g. a minor guessing the PIN); the credential itself is never recorded.
        await audit.AppendAsync(new AuditEvent("subject:" + subjectId, "guardian-verification-failed", subjectId, purpose), cancellationToken).ConfigureAwait(false);
        if (after.IsLocked(now))
        {
            await audit.AppendAsync(new AuditEvent("system", "guardian-verification-locked", subjectId, purpose), cancellationToken).ConfigureAwait(false);
        }

        return Decision.Deny(reason, requirementIds, after.IsLocked(now) ? new DecisionDetails(RetryAt: after.LockedUntil) : null);
    }
}
