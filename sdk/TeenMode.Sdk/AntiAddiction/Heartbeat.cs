namespace TeenMode.AntiAddiction;

/// <summary>
/// "The subject is using the app on this device." Heartbeats are idempotent by
/// (<see cref="DeviceId"/>, <see cref="Sequence"/>); the server's clock decides which day they count for.
/// </summary>
/// <param name="SubjectId">The subject.</param>
/// <param name="DeviceId">The device that sent it.</param>
/// <param name="Sequence">A per-device number that increases with each heartbeat.</param>
/// <param name="Seconds">The use it reports; capped by <see cref="TeenModeOptions.MaxHeartbeatSeconds"/>.</param>
/// <param name="Category">The app category in use (one of the rule pack's <c>appCategories</c>), if the app knows it;
/// exempt categories are allowed in curfew and past the budget and are not counted toward it.</param>
public sealed record Heartbeat(string SubjectId, string DeviceId, long Sequence, int Seconds, string? Category = null);

/// <summary>One subject's use on one local day.</summary>
/// <param name="Seconds">Total seconds counted today across every device.</param>
/// <param name="ContinuousSeconds">Seconds of use since the last break.</param>
/// <param name="LastHeartbeatAt">When the last heartbeat was counted, if any.</param>
public sealed record UsageDay(long Seconds, long ContinuousSeconds, DateTimeOffset? LastHeartbeatAt)
{
    /// <summary>No use yet.</summary>
    public static UsageDay Empty { get; } = new(0, 0, null);
}
