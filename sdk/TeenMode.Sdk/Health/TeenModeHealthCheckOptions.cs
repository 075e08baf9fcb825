namespace TeenMode.Health;

/// <summary>Thresholds of the TeenMode health checks (operational choices, not regulatory numbers).</summary>
public sealed class TeenModeHealthCheckOptions
{
    /// <summary>
    /// Undelivered authority notices above which the outbox check reports Degraded. Default 50: one dispatcher round
    /// (<c>AuthorityDispatchOptions.BatchSize</c>) cannot clear it any more.
    /// </summary>
    public int OutboxBacklogDegraded { get; set; } = 50;

    /// <summary>
    /// Age of the oldest undelivered authority notice above which the outbox check reports Degraded. Default 30 minutes:
    /// several failed delivery rounds at the default backoff, well before the sink's own deadlines matter.
    /// </summary>
    public TimeSpan OutboxOldestAgeDegraded { get; set; } = TimeSpan.FromMinutes(30);

    internal void Validate()
    {
        if (OutboxBacklogDegraded < 0)
        {
            throw new TeenModeConfigurationException($"{nameof(OutboxBacklogDegraded)} must not be negative (was {OutboxBacklogDegraded}).");
        }

        if (OutboxOldestAgeDegraded <= TimeSpan.Zero)
        {
            throw new TeenModeConfigurationException($"{nameof(OutboxOldestAgeDegraded)} must be positive.");
        }
    }
}
