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
}
