using TeenMode.Subjects;

namespace TeenMode.AgeAssurance;

/// <summary>
/// How a subject's age becomes known beyond self-declaration: real-name verification through the app's provider,
/// operating-system age signals, and the device's system-wide minor mode.
/// </summary>
public interface IAgeAssurance
{
    /// <summary>
    /// Checks the identity number, then asks the real-name provider. Verified: the number's birth date becomes the
    /// subject's, source <see cref="AgeSource.RealNameVerified"/>. Pending, failed and unavailable: the subject stays
    /// unverified (no game service; teen mode applies the most protective band while a check is pending or failed).
    /// Neither the name nor the number is stored or logged.
    /// </summary>
    Task<RealNameVerification> VerifyRealNameAsync(string subjectId, string name, string identityNumber, CancellationToken cancellationToken = default);

    /// <summary>Asks the provider where a pending check stands, and records the answer.</summary>
    Task<RealNameVerification> RefreshRealNameAsync(string subjectId, CancellationToken cancellationToken = default);

    /// <summary>Records a result the provider pushed (a callback) for the account, which is the subject id.</summary>
    Task<RealNameVerification> CompleteRealNameAsync(string subjectId, RealNameResult result, CancellationToken cancellationToken = default);

    /// <summary>
    /// Applies an operating-system age signal: the band it maps to is stored (never a birth date); declined or unknown
    /// leaves no age, so teen mode applies the most protective band. A real-name verified age is kept.
    /// </summary>
    Task<AgeSignalResult> ApplyAgeSignalAsync(string subjectId, AgeSignal signal, CancellationToken cancellationToken = default);

    /// <summary>
    /// The device reports system-wide minor mode on or off. On: teen mode is entered in one step, with the device's age
    /// group as the band when it gives one; leaving teen mode is then refused until every such device reports off.
    /// </summary>
    Task<DeviceMinorModeResult> SetDeviceMinorModeAsync(DeviceMinorModeSignal signal, CancellationToken cancellationToken = default);

    /// <summary>
    /// Reports a game log-in or log-out to the real-name provider (behaviour reporting). A log-in is reported only
    /// when the game may serve the subject now; a log-out is always reported.
    /// </summary>
    Task<GameSessionResult> ReportGameSessionAsync(GameSessionEvent session, CancellationToken cancellationToken = default);
}

/// <summary>The outcome of a real-name request.</summary>
/// <param name="Decision">
/// Allowed when verified; otherwise the reason: an <c>identity-number-*</c> code (nothing was sent),
/// <c>real-name-pending</c>, <c>real-name-failed</c>, <c>real-name-unavailable</c> or <c>unknown-subject</c>.
/// </param>
/// <param name="Status">Where the subject's verification stands afterwards (unchanged when nothing was recorded).</param>
/// <param name="Subject">The subject's status (band, age source) afterwards; null when the subject is unknown or the store failed.</param>
public sealed record RealNameVerification(Decision Decision, RealNameStatus Status, SubjectStatus? Subject = null);

/// <summary>The outcome of an age signal.</summary>
/// <param name="Decision">Allowed, <c>age-signal-declined</c>, <c>age-signal-adult</c> or <c>unknown-subject</c>.</param>
/// <param name="Mapping">How the signal mapped, when it was valid.</param>
/// <param name="Error">The field at fault when the signal is invalid; nothing was changed.</param>
/// <param name="Subject">The subject's status (band, age source, teen mode) afterwards; null when nothing was applied or it could not be read.</param>
public sealed record AgeSignalResult(Decision Decision, AgeSignalMapping? Mapping, AgeSignalFieldError? Error, SubjectStatus? Subject = null);

/// <summary>A device's system-wide minor-mode report.</summary>
/// <param name="SubjectId">The subject using the device.</param>
/// <param name="DeviceId">The app's id for the device.</param>
/// <param name="MinorMode">True when the device is in minor mode.</param>
/// <param name="AgeGroup">The device's age group, when it gives one (e.g. HarmonyOS <c>ageGroup</c>), as a signal of its source.</param>
public sealed record DeviceMinorModeSignal(string SubjectId, string DeviceId, bool MinorMode, AgeSignal? AgeGroup = null);

/// <summary>The outcome of a device minor-mode report.</summary>
/// <param name="Decision">Allowed, <c>unknown-subject</c>, or the age group's reason.</param>
/// <param name="Error">The field at fault when the report is invalid; nothing was changed.</param>
/// <param name="Subject">The subject's status (teen mode, devices, band) afterwards; null when nothing was applied or it could not be read.</param>
public sealed record DeviceMinorModeResult(Decision Decision, AgeSignalFieldError? Error, SubjectStatus? Subject = null);

/// <summary>A game session event for behaviour reporting.</summary>
/// <param name="SubjectId">The player.</param>
/// <param name="SessionId">The game's session id: the log-in and the matching log-out carry the same one.</param>
/// <param name="DeviceId">The device (the provider needs it for players who are not verified).</param>
/// <param name="Online">True for a log-in, false for a log-out.</param>
public sealed record GameSessionEvent(string SubjectId, string SessionId, string DeviceId, bool Online);

/// <summary>The outcome of a game session event.</summary>
/// <param name="Decision">For a log-in, whether the game may serve the subject now; a log-out is always allowed.</param>
/// <param name="Upload">What the provider said about the report, when one was sent.</param>
public sealed record GameSessionResult(Decision Decision, BehaviourUploadResult? Upload);
