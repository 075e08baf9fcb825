using System.Globalization;
using TeenMode.AntiAddiction;
using TeenMode.Audit;
using TeenMode.Rules;
using TeenMode.Spending;
using TeenMode.Subjects;

namespace TeenMode.ParentalControl;

/// <summary>One local day of use.</summary>
/// <param name="Day">The local day, in the rule pack's time zone.</param>
/// <param name="Minutes">Minutes counted toward the daily budget (exempt categories not included), rounded down.</param>
/// <param name="MinutesByCategory">Minutes per app category, exempt ones included, rounded down.</param>
public sealed record UsageReportDay(DateOnly Day, long Minutes, IReadOnlyDictionary<string, long> MinutesByCategory);

/// <summary>One payment in the report.</summary>
/// <param name="At">When it was made.</param>
/// <param name="Kind"><c>spend</c> (an app category) or <c>game-top-up</c>.</param>
/// <param name="Category">The app category, or the game company for a top-up.</param>
/// <param name="Amount">The amount.</param>
/// <param name="Refunded">True when a refund was approved.</param>
public sealed record UsageReportPayment(DateTimeOffset At, string Kind, string Category, decimal Amount, bool Refunded);

/// <summary>What a guardian sees about a minor's use over a range of local days.</summary>
/// <param name="SubjectId">The minor.</param>
/// <param name="FirstDay">The first local day, included.</param>
/// <param name="LastDay">The last local day, included.</param>
/// <param name="TimeZone">The IANA time zone of the days.</param>
/// <param name="Currency">The currency of the amounts.</param>
/// <param name="Days">Every day of the range, oldest first, days without use included.</param>
/// <param name="Blocked">Denied attempts by day, kind and reason.</param>
/// <param name="BlockedByReason">Denied attempts over the whole range, per reason code.</param>
/// <param name="Payments">Payments in the range, oldest first.</param>
/// <param name="SpentTotal">The sum of payments not refunded.</param>
/// <remarks>
/// <see cref="AgeSource"/>, <see cref="RealName"/> and <see cref="DeviceMinorMode"/> tell the guardian how the minor's age is known.
/// </remarks>
public sealed record GuardianUsageReport(
    string SubjectId,
    DateOnly FirstDay,
    DateOnly LastDay,
    string TimeZone,
    string Currency,
    IReadOnlyList<UsageReportDay> Days,
    IReadOnlyList<BlockedAttemptCount> Blocked,
    IReadOnlyDictionary<string, long> BlockedByReason,
    IReadOnlyList<UsageReportPayment> Payments,
    decimal SpentTotal)
{
    /// <summary>The longest range one report covers: a calendar month and a day.</summary>
    public const int MaxDays = 32;

    /// <summary>How the minor's age is known.</summary>
    public Subjects.AgeSource AgeSource { get; init; }

    /// <summary>Where the minor's real-name verification stands.</summary>
    public Subjects.RealNameStatus RealName { get; init; }

    /// <summary>True while a device of the minor reports system-wide minor mode.</summary>
    public bool DeviceMinorMode { get; init; }
}

/// <summary>The result of asking for a usage report.</summary>
/// <param name="Decision">Allowed, or why not (unknown subject, a guardian not bound to the subject, a range too long).</param>
/// <param name="Report">The report when allowed.</param>
public sealed record GuardianUsageReportResult(Decision Decision, GuardianUsageReport? Report);

/// <summary>
/// The guardian's view of a minor's use (REG-MINOR-43: time, permission and spending management for guardians;
/// CAC-MMD-PARENT-01: linked guardians see the minor's use): minutes by day and category, blocked attempts by
/// reason, and spending.
/// </summary>
public interface IGuardianUsageReports
{
    /// <summary>
    /// The report for <paramref name="subjectId"/> from <paramref name="firstDay"/> to <paramref name="lastDay"/>
    /// (local days, both included) for <paramref name="guardianId"/>, who must be bound to the subject.
    /// </summary>
    /// <exception cref="ArgumentException">The range is reversed or longer than <see cref="GuardianUsageReport.MaxDays"/> days.</exception>
    Task<GuardianUsageReportResult> GetAsync(string subjectId, string guardianId, DateOnly firstDay, DateOnly lastDay, CancellationToken cancellationToken = default);
}

internal sealed class GuardianUsageReports(
    ISubjectStore subjects,
    IGuardianStore guardians,
    IUsageLedgerStore ledger,
    BlockedAttemptRecorder blocked,
    ISpendingGate spending,
    IAuditStore audit,
    RulePack pack) : IGuardianUsageReports
{
    private const int MaxDays = GuardianUsageReport.MaxDays;
    private static readonly string[] RequirementIds = ["REG-MINOR-43", "CAC-MMD-PARENT-01"];

    public async Task<GuardianUsageReportResult> GetAsync(string subjectId, string guardianId, DateOnly firstDay, DateOnly lastDay, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(subjectId);
        ArgumentException.ThrowIfNullOrWhiteSpace(guardianId);
        if (lastDay < firstDay || lastDay.DayNumber - firstDay.DayNumber + 1 > MaxDays)
        {
            throw new ArgumentException($"The range must run forward and cover at most {MaxDays} days.", nameof(lastDay));
        }

        var subject = await subjects.GetAsync(subjectId, cancellationToken).ConfigureAwait(false);
        if (subject is null)
        {
            return new(Decision.Deny(ReasonCode.UnknownSubject), null);
        }

        var bound = await guardians.GetForSubjectAsync(subject.Id, cancellationToken).ConfigureAwait(false);
        if (!bound.Any(b => string.Equals(b.GuardianId, guardianId, StringComparison.Ordinal)))
        {
            return new(Decision.Deny(ReasonCode.GuardianNotBound, RequirementIds), null);
        }

        var days = new List<UsageReportDay>(lastDay.DayNumber - firstDay.DayNumber + 1);
        for (var day = firstDay; day <= lastDay; day = day.AddDays(1))
        {
            var counted = await ledger.GetDayAsync(subject.Id, day, cancellationToken).ConfigureAwait(false);
            var byCategory = await ledger.GetCategorySecondsAsync(subject.Id, day, cancellationToken).ConfigureAwait(false);
            days.Add(new UsageReportDay(day, counted.Seconds / 60,
                byCategory.OrderBy(c => c.Key, StringComparer.Ordinal).ToDictionary(c => c.Key, c => c.Value / 60, StringComparer.Ordinal)));
        }

        // Stored counts plus this instance's not yet flushed: exact on this instance right after a denial.
        var blockedRows = await blocked.GetAsync(subject.Id, firstDay, lastDay, cancellationToken).ConfigureAwait(false);
        var byReason = blockedRows.GroupBy(r => r.Reason.Value, StringComparer.Ordinal)
            .OrderBy(g => g.Key, StringComparer.Ordinal)
            .ToDictionary(g => g.Key, g => g.Sum(r => r.Count), StringComparer.Ordinal);

        var since = Start(firstDay);
        var until = Start(lastDay.AddDays(1));
        var payments = new List<UsageReportPayment>();
        var currency = pack.Spending?.Currency ?? "CNY";
        if (pack.Spending is not null)
        {
            var statement = await spending.GetStatementAsync(subject.Id, since, until, cancellationToken).ConfigureAwait(false);
            currency = statement?.Currency ?? currency;
            payments.AddRange((statement?.Spends ?? []).Select(s => new UsageReportPayment(s.SpentAt, "spend", s.Category, s.Amount, s.RefundedAt is not null)));
        }

        // The game ledger keeps monthly totals only; each top-up is in the audit log with its amount.
        payments.AddRange(await GameTopUpsAsync(subject.Id, since, until, cancellationToken).ConfigureAwait(false));
        payments.Sort((a, b) => a.At.CompareTo(b.At));

        var report = new GuardianUsageReport(subject.Id, firstDay, lastDay, pack.TimeZone.Id, currency, days, blockedRows, byReason, payments,
            payments.Where(p => !p.Refunded).Sum(p => p.Amount))
        {
            AgeSource = subject.AgeSource,
            RealName = subject.RealName,
            DeviceMinorMode = subject.DeviceMinorMode,
        };
        return new(Decision.Allow(), report);
    }

    private DateTimeOffset Start(DateOnly day)
    {
        var local = day.ToDateTime(TimeOnly.MinValue, DateTimeKind.Unspecified);
        return new DateTimeOffset(local, pack.TimeZone.GetUtcOffset(local));
    }

    private async Task<List<UsageReportPayment>> GameTopUpsAsync(string subjectId, DateTimeOffset since, DateTimeOffset until, CancellationToken cancellationToken)
    {
        var found = new List<UsageReportPayment>();
        long after = 0;
        while (true)
        {
            var page = await audit.ReadAsync(after, 500, subjectId, cancellationToken).ConfigureAwait(false);
            foreach (var entry in page)
            {
                if (entry.Event.Action == "game-top-up" && entry.At >= since && entry.At < until
                    && entry.Event.Details?.GetValueOrDefault("amount") is { } text
                    && decimal.TryParse(text, NumberStyles.Number, CultureInfo.InvariantCulture, out var amount))
                {
                    found.Add(new UsageReportPayment(entry.At, "game-top-up", entry.Event.Target ?? "", amount, Refunded: false));
                }
            }

            if (page.Count < 500)
            {
                return found;
            }

            after = page[^1].Sequence;
        }
    }
}
