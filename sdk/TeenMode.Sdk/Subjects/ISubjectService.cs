namespace TeenMode.Subjects;

/// <summary>Creates subjects and tells which band applies to them now.</summary>
public interface ISubjectService
{
    /// <summary>Creates a subject. Returns null when a subject with that id exists already.</summary>
    Task<Subject?> RegisterAsync(SubjectRegistration registration, CancellationToken cancellationToken = default);

    /// <summary>The subject with its current band, or null when unknown.</summary>
    Task<SubjectStatus?> GetStatusAsync(string subjectId, CancellationToken cancellationToken = default);
}
