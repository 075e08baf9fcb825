using Microsoft.Extensions.Options;
using TeenMode.Audit;
using TeenMode.Subjects;

namespace TeenMode.ParentalControl;

internal sealed class ParentalControlService(
    ISubjectStore subjects,
    IGuardianStore guardians,
    IGuardianVerifier verifier,
    IGuardianLockoutStore lockouts,
    IOptions<TeenModeOptions> options,
    PinHasher hasher,
    IAuditLog audit,
    TimeProvider time) : IParentalControl
{
    public async Task<Decision> EnterTeenModeAsync(string subjectId, CancellationToken cancellationToken = default)
    {
        if (!await subjects.SetTeenModeAsync(subjectId, true, cancellationToken).ConfigureAwait(false))
        {
            return Decision.Deny(ReasonCode.UnknownSubject);
        }

        await audit.AppendAsync(new AuditEvent("subject:" + subjectId, "teen-mode-entered", subjectId), cancellationToken).ConfigureAwait(false);
        return Decision.Allow();
    }

    public async Task<Decision> ExitTeenModeAsync(string subjectId, string guardianPin, CancellationToken cancellationToken = default)
    {
        var subject = await subjects.GetAsync(subjectId, cancellationToken).ConfigureAwait(false);
        if (subject is null)
        {
            return Decision.Deny(ReasonCode.UnknownSubject);
        }

        var (verification, guardianId) = await VerifyAnyAsync(subjectId, guardianPin, "teen-mode-exit", cancellationToken).ConfigureAwait(false);
        if (!verification.IsAllowed)
        {
            return verification;
        }

        await subjects.SetTeenModeAsync(subjectId, false, cancellationToken).ConfigureAwait(false);
        await audit.AppendAsync(new AuditEvent("guardian:" + guardianId, "teen-mode-exited", subjectId), cancellationToken).ConfigureAwait(false);
        return Decision.Allow();
    }

    public async Task<Decision> BindGuardianAsync(string subjectId, string guardianId, string pin, string? existingGuardianPin = null, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(guardianId);
        var hash = hasher.Hash(pin);
        if (await subjects.GetAsync(subjectId, cancellationToken).ConfigureAwait(false) is null)
        {
            return Decision.Deny(ReasonCode.UnknownSubject);
        }

        var existing = await guardians.GetForSubjectAsync(subjectId, cancellationToken).ConfigureAwait(false);
        if (existing.Count > 0)
        {
            var (verification, _) = await VerifyAnyAsync(subjectId, existingGuardianPin, "guardian-bind", cancellationToken).ConfigureAwait(false);
            if (!verification.IsAllowed)
            {
                return verification;
            }
        }

        await guardians.SaveAsync(new GuardianBinding(subjectId, guardianId, hash, time.GetUtcNow()), cancellationToken).ConfigureAwait(false);
        await audit.AppendAsync(new AuditEvent("guardian:" + guardianId, "guardian-bound", subjectId), cancellationToken).ConfigureAwait(false);
        return Decision.Allow();
    }

    private async Task<(Decision Decision, string? GuardianId)> VerifyAnyAsync(string subjectId, string? pin, string purpose, CancellationToken cancellationToken)
    {
        var bindings = await guardians.GetForSubjectAsync(subjectId, cancellationToken).ConfigureAwait(false);
        if (bindings.Count == 0)
        {
            return (Decision.Deny(ReasonCode.NoGuardianBound, RequirementIds.ExitNeedsGuardian), null);
        }

        if (string.IsNullOrEmpty(pin))
        {
            return (Decision.Deny(ReasonCode.GuardianVerificationRequired, RequirementIds.ExitNeedsGuardian), null);
        }

        var now = time.GetUtcNow();
        var state = await lockouts.GetLockAsync(subjectId, cancellationToken).ConfigureAwait(false);
        if (state.IsLocked(now))
        {
            // Not even checked: otherwise the lock would still answer "right" or "wrong" to a guesser.
            return (Decision.Deny(ReasonCode.GuardianLockedOut, RequirementIds.ExitNeedsGuardian, new DecisionDetails(RetryAt: state.LockedUntil)), null);
        }

        foreach (var binding in bindings)
        {
            if (verifier.Verify(binding, pin))
            {
                if (state.Failures > 0)
                {
                    await lockouts.ClearFailuresAsync(subjectId, cancellationToken).ConfigureAwait(false);
                }

                return (Decision.Allow(), binding.GuardianId);
            }
        }

        var settings = options.Value;
        var after = await lockouts.RecordFailureAsync(subjectId, now, settings.GuardianMaxFailures, settings.GuardianLockout, cancellationToken).ConfigureAwait(false);

        // Failed attempts are evidence too (e.g. a minor guessing the PIN); the PIN itself is never recorded.
        await audit.AppendAsync(new AuditEvent("subject:" + subjectId, "guardian-verification-failed", subjectId, purpose), cancellationToken).ConfigureAwait(false);
        if (after.IsLocked(now))
        {
            await audit.AppendAsync(new AuditEvent("system", "guardian-verification-locked", subjectId, purpose), cancellationToken).ConfigureAwait(false);
        }

        return (Decision.Deny(ReasonCode.GuardianVerificationFailed, RequirementIds.ExitNeedsGuardian,
            after.IsLocked(now) ? new DecisionDetails(RetryAt: after.LockedUntil) : null), null);
    }
}
