namespace TeenMode.ParentalControl;

/// <summary>Entering and leaving teen mode, and binding and unbinding guardians.</summary>
public interface IParentalControl
{
    /// <summary>Turns teen mode on in one step; no verification is needed to raise protection.</summary>
    Task<Decision> EnterTeenModeAsync(string subjectId, CancellationToken cancellationToken = default);

    /// <summary>
    /// Turns teen mode off, only with a bound guardian's PIN. On any denial nothing changes.
    /// </summary>
    Task<Decision> ExitTeenModeAsync(string subjectId, string guardianPin, CancellationToken cancellationToken = default);

    /// <summary>Turns teen mode off, only with a bound guardian's credential of any registered kind.</summary>
    Task<Decision> ExitTeenModeAsync(string subjectId, GuardianCredential credential, CancellationToken cancellationToken = default);

    /// <summary>
    /// The minor's side of a binding: creates a short-lived one-time code (lifetime
    /// <see cref="TeenModeOptions.GuardianBindingCodeLifetime"/>) to hand to the guardian.
    /// </summary>
    Task<GuardianBindingStart> StartGuardianBindingAsync(string subjectId, CancellationToken cancellationToken = default);

    /// <summary>
    /// The guardian's side of a binding: redeems the minor's one-time <paramref name="bindingCode"/> and sets the guardian's PIN.
    /// Once a guardian is bound, a further guardian (or a new PIN) also needs <paramref name="existingGuardian"/>:
    /// the approval of one already bound. Neither side alone can bind.
    /// </summary>
    /// <exception cref="ArgumentException">The PIN is not 4 to 16 digits, or the guardian id is empty.</exception>
    Task<Decision> BindGuardianAsync(string subjectId, string guardianId, string pin, string? bindingCode, GuardianCredential? existingGuardian = null, CancellationToken cancellationToken = default);

    /// <summary>Removes a guardian, approved by any bound guardian's credential; audited.</summary>
    Task<Decision> UnbindGuardianAsync(string subjectId, string guardianId, GuardianCredential? credential, CancellationToken cancellationToken = default);
}
