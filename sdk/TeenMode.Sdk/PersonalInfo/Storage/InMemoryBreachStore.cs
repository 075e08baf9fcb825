using TeenMode.PersonalInfo;

namespace TeenMode.Storage;

/// <summary>Breach incidents and their notices in process memory: for tests and demos only.</summary>
internal sealed class InMemoryBreachStore : IBreachStore
{
    private readonly Dictionary<string, BreachIncident> _incidents = new(StringComparer.Ordinal);
    private readonly List<BreachNotice> _breachNotices = [];
    private readonly Lock _breachLock = new();

    public Task<bool> AddIncidentAsync(BreachIncident incident, IReadOnlyList<BreachNotice> notices, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(incident);
        ArgumentNullException.ThrowIfNull(notices);
        lock (_breachLock)
        {
            if (!_incidents.TryAdd(incident.Id, incident))
            {
                return Task.FromResult(false);
            }

            _breachNotices.AddRange(notices);
            return Task.FromResult(true);
        }
    }

    public Task<BreachIncident?> GetIncidentAsync(string incidentId, CancellationToken cancellationToken = default)
    {
        lock (_breachLock)
        {
            return Task.FromResult(_incidents.GetValueOrDefault(incidentId));
        }
    }

    public Task<IReadOnlyList<BreachNotice>> ListNoticesAsync(string incidentId, CancellationToken cancellationToken = default)
    {
        lock (_breachLock)
        {
            IReadOnlyList<BreachNotice> list = _breachNotices.Where(n => n.IncidentId == incidentId).ToList();
            return Task.FromResult(list);
        }
    }

    public Task<IReadOnlyList<BreachNotice>> ListNoticesForSubjectAsync(string subjectId, CancellationToken cancellationToken = default)
    {
        lock (_breachLock)
        {
            IReadOnlyList<BreachNotice> list = _breachNotices.Where(n => n.SubjectId == subjectId).Reverse().ToList();
            return Task.FromResult(list);
        }
    }

    public Task MarkNoticeAsync(string noticeId, int attempts, DateTimeOffset? sentAt, string? lastError, CancellationToken cancellationToken = default)
    {
        lock (_breachLock)
        {
            var i = _breachNotices.FindIndex(n => n.Id == noticeId);
            if (i >= 0 && _breachNotices[i].SentAt is null)
            {
                _breachNotices[i] = _breachNotices[i] with { Attempts = attempts, SentAt = sentAt, LastError = sentAt is null ? lastError : null };
            }

            return Task.CompletedTask;
        }
    }

    public Task<bool> TransitionIncidentAsync(string incidentId, BreachStatus fromStatus, BreachStatus toStatus, DateTimeOffset at, CancellationToken cancellationToken = default)
    {
        lock (_breachLock)
        {
            if (!_incidents.TryGetValue(incidentId, out var incident) || incident.Status != fromStatus)
            {
                return Task.FromResult(false);
            }

            _incidents[incidentId] = toStatus switch
            {
                BreachStatus.Notified => incident with { Status = toStatus, NotifiedAt = at },
                BreachStatus.Reported => incident with { Status = toStatus, ReportedAt = at },
                _ => incident with { Status = toStatus },
            };
            return Task.FromResult(true);
        }
    }
}
