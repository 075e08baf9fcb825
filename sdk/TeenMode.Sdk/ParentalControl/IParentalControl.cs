namespace TeenMode.ParentalControl;

/// <summary>Entering and leaving teen mode, and binding guardians.</summary>
public interface IParentalControl
{
    /// <summary>Turns teen mode on in one step; no verification is needed to raise protection.</summary>
    Task<Decision> EnterTeenModeAsync(string subjectId, CancellationToken cancellationToken = default);

    /// <summary>
    /// Turns teen mode off, only with a bound guardian's PIN. On any denial nothing changes.
    /// </summary>
    Task<Decision> ExitTeenModeAsync(string subjectId, string guardianPin, CancellationToken cancellationToken = default);

    /// <summary>
    /// Binds a guardian with a PIN. The first guardian binds freely; a further guardian needs
    /// <paramref name="existingGuardianPin"/> from one already bound.
    /// </summary>
    /// <exception cref="ArgumentException">The PIN is not 4 to 16 digits.</exception>
    Task<Decision> BindGuardianAsync(string subjectId, string guardianId, string pin, string? existingGuardianPin = null, CancellationToken cancellationToken = default);
}
