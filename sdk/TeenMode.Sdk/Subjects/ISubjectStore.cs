namespace TeenMode.Subjects;

/// <summary>Stores subject profiles.</summary>
public interface ISubjectStore
{
    /// <summary>Adds a subject; returns false when the id exists already (nothing is changed).</summary>
    Task<bool> TryAddAsync(Subject subject, CancellationToken cancellationToken = default);

    /// <summary>Reads a subject, or null.</summary>
    Task<Subject?> GetAsync(string subjectId, CancellationToken cancellationToken = default);

    /// <summary>
    /// Turns teen mode on or off; returns false when the subject is unknown, or when turning it off while a device
    /// reports system-wide minor mode (checked in the same write, so a device signal arriving meanwhile is never lost).
    /// </summary>
    Task<bool> SetTeenModeAsync(string subjectId, bool teenMode, CancellationToken cancellationToken = default);

    /// <summary>Replaces how the subject's age is known (birth date or band, and its source); false when the subject is unknown.</summary>
    Task<bool> SetAgeAsync(string subjectId, DateOnly? birthDate, AgeBand? declaredBand, AgeSource source, CancellationToken cancellationToken = default);

    /// <summary>
    /// Records where real-name verification stands and the birth date the checked identity number gives
    /// (<see cref="Subject.RealNameBirthDate"/>). With <see cref="RealNameStatus.Verified"/> that date also becomes the
    /// subject's birth date, with <see cref="AgeSource.RealNameVerified"/>. A verified subject is never moved back to
    /// pending or failed: returns false then, and when the subject is unknown.
    /// </summary>
    Task<bool> SetRealNameAsync(string subjectId, RealNameStatus status, string? playerId, DateOnly? birthDate, CancellationToken cancellationToken = default);

    /// <summary>
    /// Records that <paramref name="deviceId"/> reports system-wide minor mode on (<paramref name="minorModeOn"/>) (which also turns teen mode on, in the
    /// same write) or off; false when the subject is unknown.
    /// </summary>
    Task<bool> SetDeviceMinorModeAsync(string subjectId, string deviceId, bool minorModeOn, CancellationToken cancellationToken = default);
}
