namespace TeenMode.Subjects;

/// <summary>How a subject's age is known.</summary>
public enum AgeSource
{
    /// <summary>Nothing is known; teen mode then applies the most protective band.</summary>
    Unknown,

    /// <summary>The user stated it.</summary>
    SelfDeclared,

    /// <summary>A guardian stated it.</summary>
    GuardianDeclared,

    /// <summary>Checked against a real-name identity.</summary>
    RealNameVerified,

    /// <summary>Read from the operating system's age signal (HarmonyOS, Apple Declared Age Range, Google Play Age Signals).</summary>
    OsSignal,

    /// <summary>The device is in system-wide minor mode (with the device's age group where it gives one).</summary>
    DeviceMinorMode,
}

/// <summary>Where a subject's real-name verification stands.</summary>
public enum RealNameStatus
{
    /// <summary>No real-name check was asked for.</summary>
    NotChecked,

    /// <summary>A check is in progress at the provider; the subject is treated as unverified.</summary>
    Pending,

    /// <summary>The provider matched the name and identity number.</summary>
    Verified,

    /// <summary>The provider found no match; the subject is treated as unverified.</summary>
    Failed,
}

/// <summary>A minor's profile as the SDK stores it.</summary>
/// <param name="Id">The app's own stable id for the user.</param>
/// <param name="BirthDate">The birth date, when known.</param>
/// <param name="DeclaredBand">A declared band, used when no birth date is known.</param>
/// <param name="AgeSource">How the age is known.</param>
/// <param name="TeenMode">Whether teen mode is on.</param>
/// <param name="CreatedAt">When the profile was created.</param>
public sealed record Subject(string Id, DateOnly? BirthDate, AgeBand? DeclaredBand, AgeSource AgeSource, bool TeenMode, DateTimeOffset CreatedAt)
{
    /// <summary>Where the subject's real-name verification stands.</summary>
    public RealNameStatus RealName { get; init; }

    /// <summary>The real-name provider's player id once verified (an opaque id, never the identity number).</summary>
    public string? RealNamePlayerId { get; init; }

    /// <summary>
    /// The birth date the identity number of the latest real-name check gives. It becomes <see cref="BirthDate"/> only
    /// once the provider verifies the check; until then it is not trusted.
    /// </summary>
    public DateOnly? RealNameBirthDate { get; init; }

    /// <summary>The devices that reported system-wide minor mode and have not reported it off; teen mode cannot be left while any remains.</summary>
    public IReadOnlyList<string> MinorModeDevices { get; init; } = [];

    /// <summary>True while at least one device reports system-wide minor mode.</summary>
    public bool DeviceMinorMode => MinorModeDevices.Count > 0;

    /// <summary>Value equality, with the device list compared item by item.</summary>
    public bool Equals(Subject? other) =>
        other is not null
        && Id == other.Id && BirthDate == other.BirthDate && DeclaredBand == other.DeclaredBand && AgeSource == other.AgeSource
        && TeenMode == other.TeenMode && CreatedAt == other.CreatedAt && RealName == other.RealName
        && RealNamePlayerId == other.RealNamePlayerId && RealNameBirthDate == other.RealNameBirthDate && MinorModeDevices.SequenceEqual(other.MinorModeDevices);

    /// <inheritdoc />
    public override int GetHashCode() => HashCode.Combine(Id, BirthDate, DeclaredBand, AgeSource, TeenMode, CreatedAt, RealName, MinorModeDevices.Count);
}

/// <summary>What an app supplies to create a subject.</summary>
public sealed record SubjectRegistration(string Id, DateOnly? BirthDate = null, AgeBand? DeclaredBand = null, AgeSource AgeSource = AgeSource.SelfDeclared, bool TeenMode = true);

/// <summary>A subject with the band that applies now.</summary>
/// <param name="Subject">The stored profile.</param>
/// <param name="Age">Whole years of age in the rule pack's time zone, when the birth date is known.</param>
/// <param name="Rules">The band rules that apply now.</param>
public sealed record SubjectStatus(Subject Subject, int? Age, Rules.BandRules Rules);
