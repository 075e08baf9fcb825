using System.Text;

namespace TeenMode.AgeAssurance;

/// <summary>
/// The app's real-name system (the NPPA anti-addiction real-name service, or a vendor in front of it).
/// A definite answer is a result; transport trouble (<see cref="HttpRequestException"/>, <see cref="TimeoutException"/>,
/// I/O errors) is thrown, and the SDK's resilient wrapper turns it into <see cref="RealNameOutcome.Unavailable"/>.
/// </summary>
public interface IRealNameVerifier
{
    /// <summary>Submits a name and identity number for the account <see cref="RealNameCheck.AccountId"/>.</summary>
    Task<RealNameResult> CheckAsync(RealNameCheck check, CancellationToken cancellationToken = default);

    /// <summary>Asks again about an account whose check was <see cref="RealNameOutcome.Pending"/>.</summary>
    Task<RealNameResult> QueryAsync(string accountId, CancellationToken cancellationToken = default);

    /// <summary>Uploads a batch of log-in / log-out events (NPPA allows 1 to 128 records a batch).</summary>
    Task<BehaviourUploadResult> ReportBehaviourAsync(IReadOnlyList<GameBehaviourRecord> records, CancellationToken cancellationToken = default);
}

/// <summary>A real-name check request. <see cref="ToString"/> shows only the account id.</summary>
/// <param name="AccountId">The app's own account id (NPPA <c>ai</c>).</param>
/// <param name="Name">The user's legal name (personal data: never logged).</param>
/// <param name="IdentityNumber">The 18-character resident identity number (personal data: never logged).</param>
public sealed record RealNameCheck(string AccountId, string Name, string IdentityNumber)
{
    // Records print every member by default; the name and number must not reach logs or exception messages.
    private bool PrintMembers(StringBuilder builder)
    {
        builder.Append("AccountId = ").Append(AccountId);
        return true;
    }
}

/// <summary>How a real-name check stands.</summary>
public enum RealNameOutcome
{
    /// <summary>The provider matched name and number (NPPA status 0); a player id comes with it.</summary>
    Verified,

    /// <summary>The provider is still checking (NPPA status 1); ask again with <see cref="IRealNameVerifier.QueryAsync"/>.</summary>
    Pending,

    /// <summary>The provider found no match (NPPA status 2).</summary>
    Failed,

    /// <summary>The provider could not be reached or did not answer in time; the user stays unverified.</summary>
    Unavailable,
}

/// <summary>The answer to a check or query.</summary>
/// <param name="Outcome">How the check stands.</param>
/// <param name="PlayerId">The provider's player id (NPPA <c>pi</c>), given only when <see cref="RealNameOutcome.Verified"/>.</param>
public sealed record RealNameResult(RealNameOutcome Outcome, string? PlayerId = null)
{
    /// <summary>The provider could not be reached.</summary>
    public static RealNameResult Unavailable { get; } = new(RealNameOutcome.Unavailable);
}

/// <summary>One log-in or log-out event for the NPPA behaviour upload. <see cref="ToString"/> leaves out the device and player ids.</summary>
/// <param name="Index">1-based position in the batch, unique within it (NPPA <c>no</c>).</param>
/// <param name="SessionId">The game session; log-in and log-out of one session share it (NPPA <c>si</c>).</param>
/// <param name="Online">True for log-in (NPPA <c>bt</c> 1), false for log-out (<c>bt</c> 0).</param>
/// <param name="At">When it happened (NPPA <c>ot</c>, Unix seconds).</param>
/// <param name="Guest">True for a guest (NPPA <c>ct</c> 2), false for a certified user (<c>ct</c> 0).</param>
/// <param name="DeviceId">The device id (NPPA <c>di</c>); required for guests.</param>
/// <param name="PlayerId">The player id from a verified check (NPPA <c>pi</c>); required for certified users.</param>
public sealed record GameBehaviourRecord(int Index, string SessionId, bool Online, DateTimeOffset At, bool Guest, string? DeviceId, string? PlayerId)
{
    // Device and player ids are persistent identifiers: keep them out of logs.
    private bool PrintMembers(StringBuilder builder)
    {
        builder.Append("Index = ").Append(Index)
            .Append(", SessionId = ").Append(SessionId)
            .Append(", Online = ").Append(Online)
            .Append(", At = ").Append(At.ToString("O", System.Globalization.CultureInfo.InvariantCulture))
            .Append(", Guest = ").Append(Guest);
        return true;
    }
}

/// <summary>Why one record (or, with index 0, the whole batch) was refused.</summary>
/// <param name="Index">The record's <see cref="GameBehaviourRecord.Index"/>; 0 for the batch as a whole.</param>
/// <param name="Code">One of the codes on this type, or a provider's own.</param>
public sealed record BehaviourRecordError(int Index, string Code)
{
    /// <summary>The provider could not be reached; nothing was uploaded.</summary>
    public const string Unavailable = "unavailable";

    /// <summary>The batch holds no records.</summary>
    public const string BatchEmpty = "batch-empty";

    /// <summary>The batch holds more than 128 records.</summary>
    public const string BatchTooLarge = "batch-too-large";

    /// <summary>The index is below 1 or above the batch size.</summary>
    public const string IndexInvalid = "index-invalid";

    /// <summary>Another record in the batch has the same index.</summary>
    public const string IndexDuplicate = "index-duplicate";

    /// <summary>The session id is missing.</summary>
    public const string SessionIdMissing = "session-id-missing";

    /// <summary>A guest record has no device id.</summary>
    public const string DeviceIdMissing = "device-id-missing";

    /// <summary>A certified user's record has no player id.</summary>
    public const string PlayerIdMissing = "player-id-missing";

    /// <summary>A certified user's player id was never issued by the provider.</summary>
    public const string PlayerIdUnknown = "player-id-unknown";

    /// <summary>The event time lies in the future (beyond a small clock skew).</summary>
    public const string TimeInFuture = "time-in-future";
}

/// <summary>The answer to a behaviour upload.</summary>
/// <param name="Accepted">True when the provider took the whole batch.</param>
/// <param name="Errors">Why not, per record; empty when accepted.</param>
public sealed record BehaviourUploadResult(bool Accepted, IReadOnlyList<BehaviourRecordError> Errors)
{
    /// <summary>The batch was taken.</summary>
    public static BehaviourUploadResult Ok { get; } = new(true, []);

    /// <summary>The provider could not be reached; the app keeps the batch and uploads it later.</summary>
    public static BehaviourUploadResult Unavailable { get; } = new(false, [new BehaviourRecordError(0, BehaviourRecordError.Unavailable)]);
}
