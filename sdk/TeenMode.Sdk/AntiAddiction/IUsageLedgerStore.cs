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

    /// <summary>
    /// Counts a heartbeat atomically, like the other overload, and also adds its seconds to the subject's total for
    /// (<paramref name="append"/>.LocalDate, category). When <see cref="UsageAppend.CountsTowardBudget"/> is false
    /// (an exempt category) only the category total grows: neither the day's budget total nor continuous use.
    /// </summary>
    Task<(bool Counted, UsageDay Day)> AppendAsync(UsageAppend append, CancellationToken cancellationToken = default);

    /// <summary>Seconds per app category on <paramref name="localDate"/> (exempt and counted alike), for guardian usage reports.</summary>
    Task<IReadOnlyDictionary<string, long>> GetCategorySecondsAsync(string subjectId, DateOnly localDate, CancellationToken cancellationToken = default);

    /// <summary>The subject's use on <paramref name="localDate"/>.</summary>
    Task<UsageDay> GetDayAsync(string subjectId, DateOnly localDate, CancellationToken cancellationToken = default);
}

/// <summary>One heartbeat to count.</summary>
/// <param name="SubjectId">The subject.</param>
/// <param name="DeviceId">The device.</param>
/// <param name="Sequence">The device's sequence number (the idempotency key with the device).</param>
/// <param name="LocalDate">The local day it counts for.</param>
/// <param name="Seconds">Seconds of use.</param>
/// <param name="At">When it was received.</param>
/// <param name="BreakAfter">A longer gap since the previous heartbeat restarts continuous use.</param>
/// <param name="Category">The app category, or <see cref="UsageCategories.Uncategorized"/>.</param>
/// <param name="CountsTowardBudget">False for an exempt category.</param>
public sealed record UsageAppend(string SubjectId, string DeviceId, long Sequence, DateOnly LocalDate, int Seconds, DateTimeOffset At,
    TimeSpan BreakAfter, string Category, bool CountsTowardBudget);

/// <summary>Category names the ledger uses itself.</summary>
public static class UsageCategories
{
    /// <summary>Heartbeats that named no category.</summary>
    public const string Uncategorized = "uncategorized";
}
