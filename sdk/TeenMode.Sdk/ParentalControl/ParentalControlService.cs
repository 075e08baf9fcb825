using TeenMode.Subjects;

namespace TeenMode.ParentalControl;

internal sealed class ParentalControlService(
    ISubjectStore subjects,
    IGuardianStore guardians,
    IGuardianVerifier verifier,
    PinHasher hasher,
    TimeProvider time) : IParentalControl
{
    public async Task<Decision> EnterTeenModeAsync(string subjectId, CancellationToken cancellationToken = default) =>
        await subjects.SetTeenModeAsync(subjectId, true, cancellationToken).ConfigureAwait(false)
            ? Decision.Allow()
            : Decision.Deny(ReasonCode.UnknownSubject);

    public async Task<Decision> ExitTeenModeAsync(string subjectId, string guardianPin, CancellationToken cancellationToken = default)
    {
        var subject = await subjects.GetAsync(subjectId, cancellationToken).ConfigureAwait(false);
        if (subject is null)
        {
            return Decision.Deny(ReasonCode.UnknownSubject);
        }

        var verification = await VerifyAnyAsync(subjectId, guardianPin, cancellationToken).ConfigureAwait(false);
        if (!verification.IsAllowed)
        {
            return verification;
        }

        await subjects.SetTeenModeAsync(subjectId, false, cancellationToken).ConfigureAwait(false);
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
            var verification = await VerifyAnyAsync(subjectId, existingGuardianPin, cancellationToken).ConfigureAwait(false);
            if (!verification.IsAllowed)
            {
                return verification;
            }
        }

        await guardians.SaveAsync(new GuardianBinding(subjectId, guardianId, hash, time.GetUtcNow()), cancellationToken).ConfigureAwait(false);
        return Decision.Allow();
    }

    private async Task<Decision> VerifyAnyAsync(string subjectId, string? pin, CancellationToken cancellationToken)
    {
        var bindings = await guardians.GetForSubjectAsync(subjectId, cancellationToken).ConfigureAwait(false);
        if (bindings.Count == 0)
        {
            return Decision.Deny(ReasonCode.NoGuardianBound, RequirementIds.ExitNeedsGuardian);
        }

        if (string.IsNullOrEmpty(pin))
        {
            return Decision.Deny(ReasonCode.GuardianVerificationRequired, RequirementIds.ExitNeedsGuardian);
        }

        foreach (var binding in bindings)
        {
            if (verifier.Verify(binding, pin))
            {
                return Decision.Allow();
            }
        }

        return Decision.Deny(ReasonCode.GuardianVerificationFailed, RequirementIds.ExitNeedsGuardian);
    }
}
