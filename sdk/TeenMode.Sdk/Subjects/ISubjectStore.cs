namespace TeenMode.Subjects;

/// <summary>Stores subject profiles.</summary>
public interface ISubjectStore
{
    /// <summary>Adds a subject; returns false when the id exists already (nothing is changed).</summary>
    Task<bool> TryAddAsync(Subject subject, CancellationToken cancellationToken = default);

    /// <summary>Reads a subject, or null.</summary>
    Task<Subject?> GetAsync(string subjectId, CancellationToken cancellationToken = default);

    /// <summary>Turns teen mode on or off; returns false when the subject is unknown.</summary>
    Task<bool> SetTeenModeAsync(string subjectId, bool teenMode, CancellationToken cancellationToken = default);
}
