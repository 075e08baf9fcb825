namespace TeenMode.AgeAssurance;

/// <summary>
/// An age signal as the operating system reported it. The ages are exactly what the API returned; whether the upper
/// age is inclusive depends on the source (see <c>seeds/age-signals/os-age-signals.json</c>).
/// </summary>
/// <param name="Source">The source id, e.g. <c>harmonyos</c>, <c>apple-declared-age-range</c>, <c>google-play-age-signals</c>.</param>
/// <param name="Status">The status, e.g. <c>on</c>, <c>sharing</c>, <c>supervised</c> (case-insensitive; <c>_</c> reads as <c>-</c>).</param>
/// <param name="LowerAge">The reported lower age, if any.</param>
/// <param name="UpperAge">The reported upper age, if any.</param>
public sealed record AgeSignal(string Source, string Status, int? LowerAge = null, int? UpperAge = null);

/// <summary>What an age signal does to the subject's band.</summary>
public enum AgeSignalTreatment
{
    /// <summary>The signal names a minor's band.</summary>
    Band,

    /// <summary>The signal says the user is an adult.</summary>
    Adult,

    /// <summary>Declined or unknown: while in teen mode the most protective band applies.</summary>
    Declined,

    /// <summary>No age information (e.g. system minor mode off): nothing changes.</summary>
    None,
}

/// <summary>The result of mapping an age signal onto a rule pack.</summary>
/// <param name="Treatment">What the signal does.</param>
/// <param name="Band">The band for <see cref="AgeSignalTreatment.Band"/> and <see cref="AgeSignalTreatment.Declined"/>; otherwise null.</param>
/// <param name="Reason">Allowed, <see cref="ReasonCode.AgeSignalAdult"/> or <see cref="ReasonCode.AgeSignalDeclined"/>.</param>
/// <param name="RequirementIds">The requirement ids of the signal's source.</param>
public sealed record AgeSignalMapping(AgeSignalTreatment Treatment, AgeBand? Band, ReasonCode Reason, IReadOnlyList<string> RequirementIds);

/// <summary>An invalid age signal: the request field at fault (<c>source</c>, <c>status</c>, <c>lowerAge</c>, <c>upperAge</c>) and why.</summary>
/// <param name="Field">The field name as on the wire.</param>
/// <param name="Message">Why it is invalid, in zh-CN and English.</param>
public sealed record AgeSignalFieldError(string Field, LocalizedText Message)
{
    /// <inheritdoc />
    public override string ToString() => $"{Field}: {Message.En} / {Message.ZhCn}";
}

/// <summary>How a source's status is treated (the seed's <c>treatment</c>).</summary>
public enum AgeSignalStatusTreatment
{
    /// <summary>The status carries an age range to map to a band (or adult).</summary>
    Range,

    /// <summary>The status means an adult.</summary>
    Adult,

    /// <summary>Declined or unknown.</summary>
    Declined,

    /// <summary>No age information.</summary>
    None,
}

/// <summary>One documented range of a source and the band the seed says it maps to (<c>adult</c> for adults).</summary>
public sealed record AgeSignalDefaultRange(int? Lower, int? Upper, string Band);

/// <summary>One status of a source.</summary>
public sealed record AgeSignalStatus(string Status, string? ApiName, AgeSignalStatusTreatment Treatment, LocalizedText Meaning);

/// <summary>One OS age-signal source as the seed describes it.</summary>
public sealed record AgeSignalSource(
    string Id,
    LocalizedText Title,
    string DocumentName,
    Uri DocumentUrl,
    IReadOnlyList<string> RequirementIds,
    bool UpperInclusive,
    bool LowerRequired,
    bool UpperRequired,
    IReadOnlyList<AgeSignalStatus> Statuses,
    IReadOnlyList<AgeSignalDefaultRange> DefaultRanges);
