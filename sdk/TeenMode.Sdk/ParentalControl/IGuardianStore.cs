namespace TeenMode.ParentalControl;

/// <summary>Stores guardian bindings: several guardians per subject, several subjects per guardian.</summary>
public interface IGuardianStore
{
    /// <summary>Adds or replaces the binding of (subject, guardian).</summary>
    Task SaveAsync(GuardianBinding binding, CancellationToken cancellationToken = default);

    /// <summary>Every guardian bound to the subject, ordered by guardian id (ordinal).</summary>
    Task<IReadOnlyList<GuardianBinding>> GetForSubjectAsync(string subjectId, CancellationToken cancellationToken = default);

    /// <summary>Every subject the guardian is bound to, ordered by subject id (ordinal).</summary>
    Task<IReadOnlyList<GuardianBinding>> GetForGuardianAsync(string guardianId, CancellationToken cancellationToken = default);

    /// <summary>Removes the binding of (subject, guardian); false when there was none.</summary>
    Task<bool> RemoveAsync(string subjectId, string guardianId, CancellationToken cancellationToken = default);
}
