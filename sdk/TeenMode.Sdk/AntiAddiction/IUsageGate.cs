namespace TeenMode.AntiAddiction;

/// <summary>Counts use and decides whether a subject may keep using the app now.</summary>
public interface IUsageGate
{
    /// <summary>Counts a heartbeat (idempotently) and returns the decision that holds afterwards.</summary>
    Task<Decision> RecordHeartbeatAsync(Heartbeat heartbeat, CancellationToken cancellationToken = default);

    /// <summary>Whether the subject may use the app now.</summary>
    Task<Decision> CheckAsync(string subjectId, CancellationToken cancellationToken = default);

    /// <summary>Whether the subject may use an app of <paramref name="category"/> now (exempt categories pass curfew and budget).</summary>
    Task<Decision> CheckAsync(string subjectId, string? category, CancellationToken cancellationToken = default);

    /// <summary>
    /// The subject's usage state now, to cache and decide from on every request with <see cref="UsageSnapshot.Decide"/>
    /// (refresh it on each heartbeat); null for an unknown subject. A store failure throws: keep denying, as the gate does.
    /// </summary>
    Task<UsageSnapshot?> GetSnapshotAsync(string subjectId, CancellationToken cancellationToken = default);
}
