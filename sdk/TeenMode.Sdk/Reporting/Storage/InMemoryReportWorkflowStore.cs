using Microsoft.Extensions.DependencyInjection;
using TeenMode.Reporting;

namespace TeenMode.Storage;

/// <summary>The report workflow (tracking, history, authority outbox) in process memory: for tests and demos only.</summary>
internal sealed class InMemoryReportWorkflowStore : IReportWorkflowStore
{
    private readonly Dictionary<string, ReportRecord> _reportsById;
    private readonly Dictionary<string, ReportRecord> _reportsByKey;
    private readonly Dictionary<string, ReportTracking> _tracking = new(StringComparer.Ordinal);
    private readonly Dictionary<string, AuthorityNotice> _notices = new(StringComparer.Ordinal);
    private readonly List<string> _noticeOrder = [];

    // One lock with the report store: filing and moving a report are one step with AddOrGet.
    private readonly Lock _reportingLock;

    /// <summary>A workflow over the reports of <paramref name="reports"/>.</summary>
    /// <exception cref="ArgumentNullException"><paramref name="reports"/> is null.</exception>
    [ActivatorUtilitiesConstructor]
    public InMemoryReportWorkflowStore(InMemoryReportStore reports)
    {
        ArgumentNullException.ThrowIfNull(reports);
        _reportsById = reports.ById;
        _reportsByKey = reports.ByKey;
        _reportingLock = reports.Gate;
    }

    /// <summary>A workflow over its own, fresh report store (tests).</summary>
    public InMemoryReportWorkflowStore()
        : this(new InMemoryReportStore())
    {
    }

    /// <inheritdoc />
    public Task<(ReportRecord Stored, bool Created)> FileAsync(ReportRecord record, ReportTracking tracking, AuthorityNotice? notice, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(record);
        ArgumentNullException.ThrowIfNull(tracking);
        lock (_reportingLock)
        {
            if (_reportsByKey.TryGetValue(record.IdempotencyKey, out var existing))
            {
                return Task.FromResult((existing, false));
            }

            _reportsByKey[record.IdempotencyKey] = record;
            _reportsById[record.Id] = record;
            _tracking[record.Id] = tracking with { History = [], Actions = [] };
            if (notice is not null)
            {
                _notices[notice.Id] = notice;
                _noticeOrder.Add(notice.Id);
            }

            return Task.FromResult((record, true));
        }
    }

    /// <inheritdoc />
    public Task<ReportTracking?> GetTrackingAsync(string reportId, CancellationToken cancellationToken = default)
    {
        lock (_reportingLock)
        {
            return Task.FromResult(_tracking.GetValueOrDefault(reportId));
        }
    }

    /// <inheritdoc />
    public Task<bool> TransitionAsync(string reportId, ReportTransition transition, IReadOnlyList<ReportAction> actions, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(transition);
        ArgumentNullException.ThrowIfNull(actions);
        lock (_reportingLock)
        {
            if (!_reportsById.TryGetValue(reportId, out var report) || report.Status != transition.From)
            {
                return Task.FromResult(false);
            }

            var moved = report with { Status = transition.To };
            _reportsById[reportId] = moved;
            _reportsByKey[report.IdempotencyKey] = moved;

            // A report stored without tracking (filed before the workflow existed) only changes status; the audit log keeps its steps.
            if (_tracking.TryGetValue(reportId, out var tracking))
            {
                _tracking[reportId] = tracking with { History = [.. tracking.History, transition], Actions = [.. tracking.Actions, .. actions] };
            }

            return Task.FromResult(true);
        }
    }

    /// <inheritdoc />
    public Task<IReadOnlyList<(ReportRecord Report, ReportTracking Tracking)>> ListOpenAsync(int limit, CancellationToken cancellationToken = default)
    {
        lock (_reportingLock)
        {
            IReadOnlyList<(ReportRecord, ReportTracking)> open = _reportsById.Values
                .Where(r => r.Status != ReportStatus.Closed && _tracking.ContainsKey(r.Id))
                .OrderBy(r => r.ReceivedAt).ThenBy(r => r.Id, StringComparer.Ordinal)
                .Take(limit)
                .Select(r => (r, _tracking[r.Id]))
                .ToList();
            return Task.FromResult(open);
        }
    }

    /// <inheritdoc />
    public Task<IReadOnlyList<ReportRecord>> ListForSubjectAsync(string subjectId, int limit, CancellationToken cancellationToken = default)
    {
        lock (_reportingLock)
        {
            IReadOnlyList<ReportRecord> list = _tracking.Values
                .Where(t => t.Context.SubjectId == subjectId)
                .Select(t => _reportsById[t.ReportId])
                .OrderByDescending(r => r.ReceivedAt).ThenBy(r => r.Id, StringComparer.Ordinal)
                .Take(limit)
                .ToList();
            return Task.FromResult(list);
        }
    }

    /// <inheritdoc />
    public Task<IReadOnlyList<AuthorityNotice>> GetDueNoticesAsync(DateTimeOffset now, int limit, CancellationToken cancellationToken = default)
    {
        lock (_reportingLock)
        {
            IReadOnlyList<AuthorityNotice> due = _noticeOrder.Select(id => _notices[id])
                .Where(n => n.DeliveredAt is null && n.NextAttemptAt <= now)
                .Take(limit)
                .ToList();
            return Task.FromResult(due);
        }
    }

    /// <inheritdoc />
    public Task<AuthorityNotice?> GetNoticeForReportAsync(string reportId, CancellationToken cancellationToken = default)
    {
        lock (_reportingLock)
        {
            return Task.FromResult(_noticeOrder.Select(id => _notices[id]).FirstOrDefault(n => n.ReportId == reportId));
        }
    }

    /// <inheritdoc />
    public Task<IReadOnlyList<AuthorityNotice>> ListNoticesAsync(int limit, CancellationToken cancellationToken = default)
    {
        lock (_reportingLock)
        {
            IReadOnlyList<AuthorityNotice> all = _noticeOrder.Select(id => _notices[id]).Take(limit).ToList();
            return Task.FromResult(all);
        }
    }

    /// <inheritdoc />
    public Task MarkNoticeDeliveredAsync(string noticeId, int attempts, DateTimeOffset at, CancellationToken cancellationToken = default)
    {
        lock (_reportingLock)
        {
            if (_notices.TryGetValue(noticeId, out var notice) && notice.DeliveredAt is null)
            {
                _notices[noticeId] = notice with { Attempts = attempts, DeliveredAt = at, LastError = null };
            }

            return Task.CompletedTask;
        }
    }

    /// <inheritdoc />
    public Task MarkNoticeFailedAsync(string noticeId, int attempts, DateTimeOffset nextAttemptAt, string failure, CancellationToken cancellationToken = default)
    {
        lock (_reportingLock)
        {
            if (_notices.TryGetValue(noticeId, out var notice) && notice.DeliveredAt is null)
            {
                _notices[noticeId] = notice with { Attempts = attempts, NextAttemptAt = nextAttemptAt, LastError = failure };
            }

            return Task.CompletedTask;
        }
    }

    /// <inheritdoc />
    public Task<OutboxBacklog> GetOutboxBacklogAsync(CancellationToken cancellationToken = default)
    {
        lock (_reportingLock)
        {
            var count = 0;
            DateTimeOffset? oldest = null;
            foreach (var notice in _notices.Values)
            {
                if (notice.DeliveredAt is null)
                {
                    count++;
                    oldest = oldest is { } o && o <= notice.CreatedAt ? o : notice.CreatedAt;
                }
            }

            return Task.FromResult(new OutboxBacklog(count, oldest));
        }
    }
}
