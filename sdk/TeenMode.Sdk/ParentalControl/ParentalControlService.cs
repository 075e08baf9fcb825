using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Options;
using TeenMode.Audit;
using TeenMode.Subjects;

namespace TeenMode.ParentalControl;

internal sealed class ParentalControlService(
    ISubjectStore subjects,
    IGuardianStore guardians,
    IGuardianBindingCodeStore codes,
    GuardianVerification verification,
    IOptions<TeenModeOptions> options,
    PinHasher hasher,
    IAuditLog audit,
    TimeProvider time) : IParentalControl
{
    private const int CodeDigits = 8;

    public async Task<Decision> EnterTeenModeAsync(string subjectId, CancellationToken cancellationToken = default)
    {
        if (!await subjects.SetTeenModeAsync(subjectId, true, cancellationToken).ConfigureAwait(false))
        {
            return Decision.Deny(ReasonCode.UnknownSubject);
        }

        await audit.AppendAsync(new AuditEvent("subject:" + subjectId, "teen-mode-entered", subjectId), cancellationToken).ConfigureAwait(false);
        return Decision.Allow();
    }

    public Task<Decision> ExitTeenModeAsync(string subjectId, string guardianPin, CancellationToken cancellationToken = default) =>
        ExitTeenModeAsync(subjectId, GuardianCredential.Pin(guardianPin ?? string.Empty), cancellationToken);

    public async Task<Decision> ExitTeenModeAsync(string subjectId, GuardianCredential credential, CancellationToken cancellationToken = default)
    {
        var subject = await subjects.GetAsync(subjectId, cancellationToken).ConfigureAwait(false);
        if (subject is null)
        {
            return Decision.Deny(ReasonCode.UnknownSubject);
        }

        // The device's own minor mode binds the app: no credential is even tried (and none is counted toward a lockout).
        if (subject.DeviceMinorMode)
        {
            return Decision.Deny(ReasonCode.DeviceMinorModeOn, RequirementIds.DeviceMinorMode);
        }

        var (verified, guardianId) = await verification.VerifyAsync(subjectId, credential, "teen-mode-exit", RequirementIds.ExitNeedsGuardian, cancellationToken).ConfigureAwait(false);
        if (!verified.IsAllowed)
        {
            return verified;
        }

        // The store refuses in the same write if a device reported minor mode since the read above.
        if (!await subjects.SetTeenModeAsync(subjectId, false, cancellationToken).ConfigureAwait(false))
        {
            return Decision.Deny(ReasonCode.DeviceMinorModeOn, RequirementIds.DeviceMinorMode);
        }

        await audit.AppendAsync(new AuditEvent("guardian:" + guardianId, "teen-mode-exited", subjectId), cancellationToken).ConfigureAwait(false);
        return Decision.Allow();
    }

    public async Task<GuardianBindingStart> StartGuardianBindingAsync(string subjectId, CancellationToken cancellationToken = default)
    {
        if (await subjects.GetAsync(subjectId, cancellationToken).ConfigureAwait(false) is null)
        {
            return new GuardianBindingStart(Decision.Deny(ReasonCode.UnknownSubject), null, null);
        }

        var code = RandomNumberGenerator.GetInt32(0, 100_000_000).ToString("D" + CodeDigits, CultureInfo.InvariantCulture);
        var expiresAt = time.GetUtcNow() + options.Value.GuardianBindingCodeLifetime;
        await codes.SaveBindingCodeAsync(subjectId, HashCode(code), expiresAt, cancellationToken).ConfigureAwait(false);
        await audit.AppendAsync(new AuditEvent("subject:" + subjectId, "guardian-binding-started", subjectId), cancellationToken).ConfigureAwait(false);
        return new GuardianBindingStart(Decision.Allow(), code, expiresAt);
    }

    public async Task<Decision> BindGuardianAsync(string subjectId, string guardianId, string pin, string? bindingCode, GuardianCredential? existingGuardian = null, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(guardianId);
        var hash = hasher.Hash(pin);
        if (await subjects.GetAsync(subjectId, cancellationToken).ConfigureAwait(false) is null)
        {
            return Decision.Deny(ReasonCode.UnknownSubject);
        }

        var ids = RequirementIds.GuardianBinding;
        var existing = await guardians.GetForSubjectAsync(subjectId, cancellationToken).ConfigureAwait(false);
        string? approvedBy = null;
        GuardianAttemptReservation? attempt;
        if (existing.Count > 0)
        {
            // A bound guardian must agree to every further guardian, so a new "guardian" cannot take over alone.
            var (refused, by, reserved) = await verification.CheckCredentialAsync(subjectId, existingGuardian, "guardian-bind", ids, cancellationToken).ConfigureAwait(false);
            if (refused is not null)
            {
                return refused;
            }

            (approvedBy, attempt) = (by, reserved);
        }
        else
        {
            var (locked, reserved) = await verification.ReserveAsync(subjectId, ids, cancellationToken).ConfigureAwait(false);
            if (locked is not null)
            {
                return locked;
            }

            attempt = reserved;
        }

        // The minor's side: without its one-time code the guardian's side alone cannot bind. The attempt reserved
        // above covers the code too, so a correct guardian PIN does not wipe out wrong codes.
        if (string.IsNullOrEmpty(bindingCode)
            || !await codes.TryConsumeBindingCodeAsync(subjectId, HashCode(bindingCode), time.GetUtcNow(), cancellationToken).ConfigureAwait(false))
        {
            return await verification.FailedAsync(subjectId, "guardian-bind", ReasonCode.BindingCodeInvalid, attempt!, ids, cancellationToken).ConfigureAwait(false);
        }

        await verification.SucceededAsync(subjectId, attempt!, cancellationToken).ConfigureAwait(false);
        await guardians.SaveAsync(new GuardianBinding(subjectId, guardianId, hash, time.GetUtcNow()), cancellationToken).ConfigureAwait(false);
        var details = approvedBy is null ? null : new Dictionary<string, string> { ["approvedBy"] = approvedBy };
        await audit.AppendAsync(new AuditEvent("guardian:" + guardianId, "guardian-bound", subjectId, null, details), cancellationToken).ConfigureAwait(false);
        return Decision.Allow();
    }

    public async Task<Decision> UnbindGuardianAsync(string subjectId, string guardianId, GuardianCredential? credential, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(guardianId);
        if (await subjects.GetAsync(subjectId, cancellationToken).ConfigureAwait(false) is null)
        {
            return Decision.Deny(ReasonCode.UnknownSubject);
        }

        // Verified first: before that, every guardian id gets the same answer, so ids cannot be enumerated.
        var (verified, by) = await verification.VerifyAsync(subjectId, credential, "guardian-unbind", RequirementIds.GuardianBinding, cancellationToken).ConfigureAwait(false);
        if (!verified.IsAllowed)
        {
            return verified;
        }

        var bound = await guardians.GetForSubjectAsync(subjectId, cancellationToken).ConfigureAwait(false);
        if (!bound.Any(b => b.GuardianId == guardianId))
        {
            return Decision.Deny(ReasonCode.GuardianNotBound);
        }

        await guardians.RemoveAsync(subjectId, guardianId, cancellationToken).ConfigureAwait(false);
        await audit.AppendAsync(new AuditEvent("guardian:" + by, "guardian-unbound", subjectId, "guardian:" + guardianId), cancellationToken).ConfigureAwait(false);
        return Decision.Allow();
    }

    // Codes are short-lived and single-use; a hash keeps a leaked database from handing them out.
    private static byte[] HashCode(string code) => SHA256.HashData(Encoding.UTF8.GetBytes(code));
}
