namespace TeenMode.ParentalControl;

/// <summary>Stores guardian bindings.</summary>
public interface IGuardianStore
{
    /// <summary>Adds or replaces the binding of (subject, guardian).</summary>
    Task SaveAsync(GuardianBinding binding, CancellationToken cancellationToken = default);

    /// <summary>Every guardian bound to the subject.</summary>
    Task<IReadOnlyList<GuardianBinding>> GetForSubjectAsync(string subjectId, CancellationToken cancellationToken = default);
}
