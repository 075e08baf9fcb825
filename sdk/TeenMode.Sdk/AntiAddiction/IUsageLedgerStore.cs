namespace TeenMode.AntiAddiction;

/// <summary>One time ledger per subject across all devices.</summary>
public interface IUsageLedgerStore
{
    /// <summary>
    /// Counts a heartbeat atomically: unless (subject, device, sequence) was seen before, adds
    /// <paramref name="seconds"/> to the subject's total for <paramref name="localDate"/> and to its continuous use
    /// (which restarts when more than <paramref name="breakAfter"/> passed since the previous heartbeat).
    /// Returns whether it was counted and the day's state afterwards.
    /// </summary>
    Task<(bool Counted, UsageDay Day)> AppendAsync(string subjectId, string deviceId, long sequence, DateOnly localDate,
        int seconds, DateTimeOffset at, TimeSpan breakAfter, CancellationToken cancellationToken = default);

    /// <summary>The subject's use on <paramref name="localDate"/>.</summary>
    Task<UsageDay> GetDayAsync(string subjectId, DateOnly localDate, CancellationToken cancellationToken = default);
}
